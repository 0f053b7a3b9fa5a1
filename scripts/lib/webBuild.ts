/**
 * The web app's build, for `npm start` and the browser tests alike: built with Vite into web/dist
 * when that is missing or older than any of its sources (web/src, web/index.html, web/public, its
 * config, and the SDK's sources its entries import: wire, resident, auditor), with Vite's progress shown line by line.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./processes";

const WEB = join(ROOT, "web");
export const WEB_DIST = join(WEB, "dist");
const SOURCES = [join(WEB, "src"), join(WEB, "public"), join(WEB, "index.html"), join(WEB, "vite.config.ts"), join(ROOT, "sdk", "src")];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/** Why the app needs building, or undefined when web/dist is up to date. */
export function webBuildReason(): string | undefined {
  const built = join(WEB_DIST, "index.html");
  if (!existsSync(built)) return "web/dist is missing";
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newestChange(s) > builtAt) ? "web/dist is older than its sources" : undefined;
}

/** Runs `vite build`, passing each line of its output to `log`; rejects if it fails. */
export function buildWeb(log: (line: string) => void = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--config", join(WEB, "vite.config.ts")], {
      cwd: ROOT,
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split(/\r?\n/)) if (line.trim()) log(line.trimEnd());
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the web app's build failed (vite exited with ${code}):\n${tail}`))));
  });
}

/** Builds the app if it needs it; says why and how long it took. */
export async function ensureWebBuilt(log: (line: string) => void): Promise<void> {
  const reason = webBuildReason();
  if (!reason) return;
  const started = Date.now();
  log(`building the web app (${reason})...`);
  await buildWeb((line) => log(`  ${line}`));
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
