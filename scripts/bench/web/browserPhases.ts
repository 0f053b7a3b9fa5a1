/**
 * What a browser measures on the bench ledger, in Chromium: the in-browser audit of /ledger/verify
 * (from the click to its result), the Node audit of the same chain through the same relay's /rpc,
 * alternately; and the overview, from opening /ledger to its charts and tables drawn.
 */
import type { Browser } from "playwright-core";
import { audit } from "../../../sdk/src/auditor/audit";
import type { Deployment } from "../../../sdk/src/deployment";

export interface AuditPair {
  browserSeconds: number;
  /** What the audit itself took inside the worker (the rest is loading the page's figures and comparing). */
  browserAuditSeconds: number;
  nodeSeconds: number;
  events: number;
  ok: boolean;
}

/** One in-browser audit on a fresh page. */
async function browserAudit(browser: Browser, url: string): Promise<{ seconds: number; auditSeconds: number; events: number; ok: boolean }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/ledger/verify?lang=en`);
    const button = page.getByRole("button", { name: "Start the check" });
    await button.waitFor();
    const started = await page.evaluate(() => performance.now());
    await button.click();
    await page.locator("[data-audit-ok]").waitFor({ timeout: 600_000 });
    const ended = await page.evaluate(() => performance.now());
    const facts = await page.locator("[data-audit-ok]").innerText();
    const m = /Checked up to block [\d,]+: ([\d,]+) records read, [\d,]+ balances checked with the contract, in ([\d.]+) s/.exec(facts);
    if (!m) throw new Error(`the verify page's result does not read as expected: ${facts}`);
    const ok = (await page.locator("[data-audit-ok]").getAttribute("data-audit-ok")) === "true";
    return { seconds: (ended - started) / 1000, auditSeconds: Number(m[2]), events: Number(m[1].replace(/,/g, "")), ok };
  } finally {
    await context.close();
  }
}

/** Browser and Node audits of the same chain through the same gateway, `runs` pairs alternating. */
export async function auditPairs(browser: Browser, url: string, deployment: Deployment, runs: number, log: (line: string) => void): Promise<AuditPair[]> {
  const pairs: AuditPair[] = [];
  for (let run = 0; run < runs; run++) {
    const inBrowser = await browserAudit(browser, url);
    const started = performance.now();
    const report = await audit({ rpcUrl: `${url}/rpc`, deployment });
    const nodeSeconds = (performance.now() - started) / 1000;
    if (report.events.total !== inBrowser.events) throw new Error(`the browser audit read ${inBrowser.events} events, Node's ${report.events.total}`);
    pairs.push({ browserSeconds: inBrowser.seconds, browserAuditSeconds: inBrowser.auditSeconds, nodeSeconds, events: report.events.total, ok: report.ok && inBrowser.ok });
    log(`  run ${run + 1}: browser ${inBrowser.seconds.toFixed(2)} s (audit ${inBrowser.auditSeconds} s), Node ${nodeSeconds.toFixed(2)} s`);
  }
  return pairs;
}

export interface OverviewTiming {
  /** From navigating to /ledger until its charts and tables are drawn. */
  ms: number;
  /** When the last script had arrived, and when the relay's overview answer had (both from the navigation's start). */
  scriptsMs: number;
  overviewAnswerMs: number;
  /** How long the relay took to answer the overview request. */
  overviewRequestMs: number;
}

/** The overview on a fresh page (nothing cached), with where its time went. */
export async function overviewMs(browser: Browser, url: string): Promise<OverviewTiming> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/ledger`, { waitUntil: "commit" });
    await page.waitForFunction(
      () => {
        // This program's TypeScript has no DOM library: the little of the page's document used here, typed.
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number }; querySelector(s: string): unknown } }).document;
        return (
          doc.querySelectorAll("main .chart-svg").length >= 3 &&
          doc.querySelectorAll("main table.data-table tbody tr").length > 0 &&
          doc.querySelector('main p.notice[role="status"]') === null
        );
      },
      undefined,
      { timeout: 60_000, polling: "raf" },
    );
    // performance.now() and the resource timings count from the navigation's start.
    const ms = await page.evaluate(() => performance.now());
    const entries = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((e) => ({ name: e.name, start: e.startTime, end: (e as unknown as { responseEnd: number }).responseEnd })),
    );
    const scripts = entries.filter((e) => e.name.endsWith(".js"));
    const answer = entries.find((e) => e.name.includes("/v1/ledger/overview"));
    if (!answer) throw new Error("the overview page did not ask for /v1/ledger/overview");
    return { ms, scriptsMs: Math.max(...scripts.map((e) => e.end)), overviewAnswerMs: answer.end, overviewRequestMs: answer.end - answer.start };
  } finally {
    await context.close();
  }
}
