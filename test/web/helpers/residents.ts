/**
 * A resident in the browser tests: a page on the stack's origin as `localhost` (WebAuthn needs a
 * secure context and a domain, and 127.0.0.1 is not one) with a DevTools-protocol virtual
 * authenticator (a phone's: internal transport, resident keys, user verification), the passkey
 * copied to another context (the same credential on a second device, or after the browser forgot
 * the page), and what the browser keeps of the page.
 */
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import type { Address } from "viem";
import type { WebStack } from "./stack";

export interface ResidentPage {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  /** The app's origin as the resident opens it (http://localhost:<port>). */
  origin: string;
  close(): Promise<void>;
}

export function residentOrigin(stack: WebStack): string {
  return stack.url.replace("//127.0.0.1:", "//localhost:");
}

export async function residentPage(stack: WebStack, options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<ResidentPage> {
  const { context, page } = await stack.newPage(options);
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { context, page, cdp, authenticatorId, origin: residentOrigin(stack), close: () => context.close() };
}

/** Copies every credential of one page's authenticator into another's: the same passkey, on another device. */
export async function copyPasskeys(from: ResidentPage, to: ResidentPage): Promise<number> {
  const { credentials } = await from.cdp.send("WebAuthn.getCredentials", { authenticatorId: from.authenticatorId });
  for (const credential of credentials) await to.cdp.send("WebAuthn.addCredential", { authenticatorId: to.authenticatorId, credential });
  return credentials.length;
}

/** Everything the browser keeps for the page: local and session storage, IndexedDB databases, cookies. */
export async function keptByBrowser(r: ResidentPage) {
  const inPage = await r.page.evaluate(async () => ({
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
    indexedDB: (await indexedDB.databases()).map((d) => d.name),
    cookie: document.cookie,
  }));
  return { ...inPage, cookies: (await r.context.cookies()).length };
}

/** Only display preferences (cp.lang, cp.textSize) may be kept; nothing of a resident. */
export function onlyPreferences(kept: Awaited<ReturnType<typeof keptByBrowser>>) {
  return { ...kept, local: Object.keys(kept.local).filter((k) => k !== "cp.lang" && k !== "cp.textSize") };
}
export const NOTHING_KEPT = { local: [], session: {}, indexedDB: [], cookie: "", cookies: 0 };

/** Whether the text of anything kept mentions the account (any case), as a belt to the braces above. */
export async function mentions(r: ResidentPage, account: Address): Promise<boolean> {
  const kept = JSON.stringify(await keptByBrowser(r)).toLowerCase();
  return kept.includes(account.toLowerCase().slice(2));
}
