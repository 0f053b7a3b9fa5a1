/**
 * Web benchmark: what a resident's first page downloads (gzipped JavaScript, from the build
 * manifest, per route: the home page `/` and the wallet `/wallet` when the app has it), and on the
 * ledger of `npm run bench:audit` (at least 100,000 events) served by a relay of its own: the
 * in-browser audit of /ledger/verify against the Node audit of the same chain through the same
 * gateway in the same run (ratio), and the overview page's time to its charts and tables, in
 * Chromium. Writes bench/results/web.json.
 *   npm run bench:web        (BENCH_WEB_EVENTS=100000, BENCH_RUNS=3 by default)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { audit } from "../../sdk/src/auditor/audit";
import { launchChromium } from "../lib/chromium";
import { ROOT } from "../lib/processes";
import { buildWeb } from "../lib/webBuild";
import { auditPairs, overviewMs, type OverviewTiming } from "./web/browserPhases";
import { routeBundle, type RouteBundle } from "./web/bundle";
import { fillBenchLedger, startBenchRelay } from "./web/ledgerRelay";

const TARGETS = { residentBundleKb: 250, browserAuditRatio: 2, overviewMs: 1_000 };
const RESIDENT_ROUTES = ["/", "/wallet"];
const TARGET_EVENTS = Number(process.env.BENCH_WEB_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const log = (line: string) => console.log(line);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Phase 1: the build, and what each resident route's first visit loads. */
async function bundles(): Promise<Record<string, RouteBundle | null>> {
  log("building the web app ...");
  await buildWeb();
  return Object.fromEntries(RESIDENT_ROUTES.map((route) => [route, routeBundle(route) ?? null]));
}

async function main(): Promise<void> {
  const routes = await bundles();
  for (const [route, b] of Object.entries(routes)) log(b ? `  ${route}: ${b.gzipKb} kB gzipped (${b.files.join(", ")})` : `  ${route}: the app has no such route in this build`);
  const residentBundleKb = Math.max(...Object.values(routes).flatMap((b) => (b ? [b.gzipKb] : [])));

  const dir = mkdtempSync(join(tmpdir(), "bench-web-"));
  log(`filling a local anvil chain with at least ${TARGET_EVENTS} ledger events ...`);
  const ledger = await fillBenchLedger(dir, TARGET_EVENTS);
  let stopRelay = async () => undefined as void;
  const browser = await launchChromium();
  try {
    log("starting a relay on it, waiting for its index to catch up ...");
    const relay = await startBenchRelay(ledger, dir);
    stopRelay = relay.stop;
    log(`  index caught up in ${relay.indexCatchUpSeconds.toFixed(1)} s`);

    log("auditing in Chromium and in Node, alternately ...");
    const pairs = await auditPairs(browser, relay.url, ledger.deployment, RUNS, log);
    if (pairs.some((p) => !p.ok)) throw new Error("an audit of the benchmark chain found violations");
    // For scale: the same audit straight against the node, without the gateway.
    const direct = performance.now();
    await audit({ rpcUrl: ledger.chain.url, deployment: ledger.deployment });
    const nodeDirectSeconds = (performance.now() - direct) / 1000;
    log(`  Node, straight to the node: ${nodeDirectSeconds.toFixed(2)} s`);
    const timings: OverviewTiming[] = [];
    for (let run = 0; run < RUNS; run++) timings.push(await overviewMs(browser, relay.url));
    const overview = timings.map((x) => x.ms);
    for (const x of timings) {
      log(`  overview: ${x.ms.toFixed(0)} ms (scripts in by ${x.scriptsMs.toFixed(0)} ms, the relay's answer by ${x.overviewAnswerMs.toFixed(0)} ms, which took it ${x.overviewRequestMs.toFixed(0)} ms)`);
    }

    const browserSeconds = median(pairs.map((p) => p.browserSeconds));
    const nodeSeconds = median(pairs.map((p) => p.nodeSeconds));
    const results = {
      measuredAt: new Date().toISOString(),
      residentBundleKb,
      residentRoutes: Object.fromEntries(Object.entries(routes).map(([route, b]) => [route, b ? { gzipKb: b.gzipKb, module: b.module, files: b.files } : "not in this build"])),
      events: pairs[0].events,
      browserAuditSeconds: round(browserSeconds),
      browserAuditInWorkerSeconds: round(median(pairs.map((p) => p.browserAuditSeconds))),
      nodeAuditSeconds: round(nodeSeconds),
      browserAuditRatio: round(browserSeconds / nodeSeconds),
      nodeAuditDirectSeconds: round(nodeDirectSeconds),
      overviewMs: Math.round(median(overview)),
      overviewBreakdownMs: {
        scriptsLoaded: Math.round(median(timings.map((x) => x.scriptsMs))),
        relayAnswered: Math.round(median(timings.map((x) => x.overviewAnswerMs))),
        relayRequest: Math.round(median(timings.map((x) => x.overviewRequestMs))),
      },
      indexCatchUpSeconds: round(relay.indexCatchUpSeconds, 1),
      fillSeconds: round(ledger.fillSeconds, 1),
      runs: RUNS,
      runSeconds: { browser: pairs.map((p) => round(p.browserSeconds)), node: pairs.map((p) => round(p.nodeSeconds)), overviewMs: overview.map(Math.round) },
      how: "browser: /ledger/verify in headless Chromium, from the click to the result (deployment record, overview, audit in a worker through the relay's /rpc, comparison); node: audit() through the same /rpc; overview: a fresh page, from navigation to its charts and tables drawn",
      targets: TARGETS,
    };
    log("");
    log(`residentBundleKb      ${results.residentBundleKb} (target <= ${TARGETS.residentBundleKb}; ${RESIDENT_ROUTES.map((r) => `${r}: ${routes[r]?.gzipKb ?? "not built"}`).join(", ")})`);
    log(`events                ${results.events}`);
    log(`browser audit         ${results.browserAuditSeconds} s (${results.browserAuditInWorkerSeconds} s of it the audit in the worker)`);
    log(`Node audit            ${results.nodeAuditSeconds} s (same relay /rpc; ${results.nodeAuditDirectSeconds} s straight to the node)`);
    log(`browserAuditRatio     ${results.browserAuditRatio} (target <= ${TARGETS.browserAuditRatio})`);
    log(`overviewMs            ${results.overviewMs} (target <= ${TARGETS.overviewMs}; scripts in by ${results.overviewBreakdownMs.scriptsLoaded} ms, the relay's answer by ${results.overviewBreakdownMs.relayAnswered} ms)`);
    log(`index catch-up        ${results.indexCatchUpSeconds} s (relay start to the chain's head indexed)`);

    const out = join(ROOT, "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "web.json"), JSON.stringify(results, null, 2) + "\n");
    const over = results.residentBundleKb > TARGETS.residentBundleKb || results.browserAuditRatio > TARGETS.browserAuditRatio || results.overviewMs > TARGETS.overviewMs;
    log(`\nwrote bench/results/web.json${over ? "; OVER TARGET" : "; within targets"}`);
    if (over || results.events < 100_000) process.exitCode = 1;
  } finally {
    await browser.close();
    await stopRelay();
    await ledger.chain.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
