/**
 * Every page of the web app, as the day in stack.ts filled it, and what the browser tests need to
 * look at one: how to tell it has loaded, and what it shows as text in the chosen language.
 */
import type { Page } from "playwright-core";
import type { WebStack } from "./stack";

export interface AppPage {
  /** The screenshot's file name stem. */
  name: string;
  path: string;
  /** The main pages get screenshots in both languages. */
  main: boolean;
}

export function appPages({ day, periodsUpToDay }: WebStack): AppPage[] {
  return [
    { name: "home", path: "/", main: false },
    { name: "overview", path: `/ledger${periodsUpToDay}`, main: true },
    { name: "agreements", path: "/ledger/agreements", main: false },
    { name: "settlements", path: `/ledger/settlements${periodsUpToDay}`, main: true },
    { name: "settlement", path: `/ledger/settlements/${day.period}`, main: true },
    { name: "domain", path: `/ledger/domains/2${periodsUpToDay}`, main: false },
    { name: "domain-period", path: `/ledger/domains/2/periods/${day.period}`, main: true },
    { name: "transaction", path: `/ledger/tx/${day.exchangeTx}`, main: true },
    { name: "partners", path: "/partners", main: false },
    { name: "partner-checkout", path: `/partners/${day.partner.toLowerCase()}`, main: true },
    // Before its check is started; test/web/verify.test.ts covers its results.
    { name: "verify-start", path: "/ledger/verify", main: false },
    { name: "not-found", path: "/ledger/no-such-page", main: false },
    // The wallet's pages as anyone first opens them, signed out (wallet.test.ts and pay.test.ts check them signed in).
    { name: "wallet-sign-in", path: "/wallet", main: false },
    { name: "pay-open", path: "/pay", main: false },
    // The station terminal before a station is chosen (station.test.ts checks it with staff and a resident).
    { name: "station-pick", path: "/station", main: false },
  ];
}

/** Waits until the page shows its heading and has nothing left loading. */
export async function settled(page: Page): Promise<void> {
  await page.locator("main h1").waitFor();
  await page.waitForFunction(() => document.querySelector('main p.notice[role="status"]') === null && document.fonts.status === "loaded");
}

export interface ShownText {
  /** Visible text, one entry per text node; `neutral` where it is data or marked not to translate. */
  texts: { text: string; neutral: boolean }[];
  /** Labels a screen reader reads that are not text on the page (aria-label, title, alt). */
  labels: string[];
}

/** What the page shows and says, read from the DOM (visible text nodes and accessible labels). */
export function shownText(page: Page): Promise<ShownText> {
  return page.evaluate(() => {
    const texts: { text: string; neutral: boolean }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent!.trim();
      const parent = node.parentElement!;
      if (!text || !parent.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions)) continue;
      texts.push({ text, neutral: parent.closest('[translate="no"]') !== null });
    }
    const labels = [...document.querySelectorAll("[aria-label], [title], [alt]")]
      .filter((e) => e.closest('[translate="no"]') === null)
      .flatMap((e) => ["aria-label", "title", "alt"].map((a) => e.getAttribute(a)).filter((v): v is string => !!v));
    return { texts, labels: [document.title, ...labels] };
  });
}
