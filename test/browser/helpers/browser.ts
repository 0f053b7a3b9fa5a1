/**
 * A real browser for the passkey test: the test page bundled with Vite's build API, served with
 * the relay's API from one origin on 127.0.0.1 (opened as http://localhost:<port>, a secure context,
 * as WebAuthn requires), and headless Chromium with CDP virtual authenticators.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";

/** Vite's build API (its types need moduleResolution "bundler", which this project does not use). */
type ViteBuild = (config: Record<string, unknown>) => Promise<unknown>;
const VITE = "vite";

export const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PAGE_DIR = join(__dirname, "page");
const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

/** Bundles helpers/page (index.html and main.ts, which imports the SDK from sdk/src) into a fresh folder. */
export async function bundlePage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "passkey-page-"));
  const { build } = (await import(VITE)) as { build: ViteBuild };
  await build({ configFile: false, logLevel: "warn", root: PAGE_DIR, build: { outDir, emptyOutDir: true, minify: false, target: "es2022" } });
  return outDir;
}

/** Serves the bundle, and hands /v1/* and /openapi.json to the relay's app, on 127.0.0.1. */
export async function servePage(dir: string, api: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path.startsWith("/v1/")) return api(req, res);
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    if (!file.startsWith(dir)) return void res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

export interface VirtualAuthenticatorOptions {
  /** "internal": a phone's own authenticator; "usb" or "nfc": a roaming card or key. */
  transport: "internal" | "usb" | "nfc";
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Adds a CTAP2 authenticator with resident keys and user verification (a fingerprint that always matches). */
export async function addVirtualAuthenticator(cdp: CDPSession, options: VirtualAuthenticatorOptions): Promise<string> {
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: options.transport, hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return authenticatorId;
}

/**
 * Lets only `active` answer: with several authenticators, the first that the user "touches" ends
 * the ceremony, and one without the credential ends it with NotAllowedError, as a real one would.
 */
export async function touchOnly(cdp: CDPSession, authenticators: string[], active: string): Promise<void> {
  for (const id of authenticators) await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: id, enabled: id === active });
}

export async function webAuthnSession(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  return cdp;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
