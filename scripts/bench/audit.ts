/**
 * Audit benchmark: on a local anvil chain that it fills with at least 100,000 ledger events, it
 * measures (a) the baseline, every log of the deployment fetched with plain `eth_getLogs` pages
 * and decoding nothing (fetch + JSON.parse), and (b) the full audit (the same pages, decoded, the
 * ledger rebuilt, every balance and supply read back, invariants checked). Each run is a fresh child process, so
 * the peak RSS is the run's own; pairs alternate and the medians are kept. Writes
 * bench/results/audit.json.
 *   npm run bench:audit        (BENCH_AUDIT_EVENTS=100000 by default)
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { audit, historyStart } from "../../sdk/src/auditor/audit";
import { parseDeployment } from "../../sdk/src/deployment";
import { fetchLogPages } from "../../sdk/src/auditor/logs";
import { createHttpRpc } from "../../sdk/src/auditor/rpc";
import { AUDIT_LEDGER_ANVIL_ARGS, fillAuditLedger } from "../lib/auditLedger";
import { startUnlockedAnvil } from "../lib/anvil";

const TARGETS = { auditToFetchRatio: 2.5, peakRssMb: 512 };
const TARGET_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface RunResult {
  seconds: number;
  /** For the audit: until the last event was folded (the rest is reading balances back and comparing). */
  eventsSeconds?: number;
  events: number;
  pages: number;
  maxRssMb: number;
  accounts?: number;
  readMethod?: string;
  ok?: boolean;
}

// ───────────────────────────────────────────── the measured runs (child processes)

/**
 * The baseline: the deployment's logs fetched with plain eth_getLogs pages (the same pages the
 * audit asks for: at most 5,000 blocks, about 10,000 logs each), raw fetch + JSON.parse, nothing
 * decoded, folded or read back.
 */
async function baselineRun(url: string, deploymentFile: string): Promise<RunResult> {
  const d = parseDeployment(JSON.parse(readFileSync(deploymentFile, "utf8")));
  const started = performance.now();
  const rpc = createHttpRpc(url);
  const head = Number(await rpc.request<string>("eth_blockNumber", []));
  let events = 0;
  let pages = 0;
  const fromBlock = await historyStart(rpc, d); // the council's creation, as the audit
  for await (const page of fetchLogPages(rpc, { addresses: [d.ledger, d.council], fromBlock, toBlock: head })) {
    events += page.logs.length;
    pages++;
  }
  return { seconds: (performance.now() - started) / 1000, events, pages, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function auditRun(url: string, deploymentFile: string): Promise<RunResult> {
  const deployment = JSON.parse(readFileSync(deploymentFile, "utf8"));
  const started = performance.now();
  let eventsDone = 0;
  const report = await audit({
    rpcUrl: url,
    deployment,
    onProgress: (p) => {
      if (p.phase === "balances" && eventsDone === 0) eventsDone = performance.now();
    },
  });
  return {
    seconds: (performance.now() - started) / 1000,
    eventsSeconds: (eventsDone - started) / 1000,
    events: report.events.total,
    pages: report.events.pages,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    accounts: report.balanceReads.accounts,
    readMethod: report.balanceReads.method,
    ok: report.ok,
  };
}

function inChild(mode: "baseline" | "audit", url: string, deploymentFile: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--worker", mode, url, deploymentFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${mode} run exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const anvil = await startUnlockedAnvil({ accounts: 12, args: AUDIT_LEDGER_ANVIL_ARGS });
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-"));
  const deploymentFile = join(dir, "deployment.json");
  try {
    console.log(`filling a local anvil chain with at least ${TARGET_EVENTS} ledger events ...`);
    const fillStarted = Date.now();
    await fillAuditLedger(anvil, deploymentFile, { targetEvents: TARGET_EVENTS });
    const fillSeconds = (Date.now() - fillStarted) / 1000;

    const baseline: RunResult[] = [];
    const audits: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(await inChild("baseline", anvil.url, deploymentFile));
      audits.push(await inChild("audit", anvil.url, deploymentFile));
      console.log(`  run ${run + 1}: fetch ${baseline[run].seconds.toFixed(2)} s, audit ${audits[run].seconds.toFixed(2)} s`);
    }
    if (audits.some((a) => !a.ok)) throw new Error("the audit of the benchmark chain found violations");
    if (audits[0].events !== baseline[0].events) throw new Error(`the audit saw ${audits[0].events} events, the baseline ${baseline[0].events}`);

    const fetchSeconds = median(baseline.map((r) => r.seconds));
    const auditSeconds = median(audits.map((r) => r.seconds));
    const results = {
      measuredAt: new Date().toISOString(),
      network: "anvil (local child process), blocks of four 500-item batches and six intents",
      baseline: "the same eth_getLogs pages as the audit (<= 5,000 blocks, ~10,000 logs), raw fetch + JSON.parse, nothing decoded",
      events: audits[0].events,
      residentAccounts: audits[0].accounts,
      balanceReadMethod: audits[0].readMethod,
      fetchSeconds: round(fetchSeconds),
      auditSeconds: round(auditSeconds),
      auditToFetchRatio: round(auditSeconds / fetchSeconds),
      auditEventsSeconds: round(median(audits.map((r) => r.eventsSeconds!))),
      eventsPerSec: Math.round(audits[0].events / auditSeconds),
      peakRssMb: round(Math.max(...audits.map((r) => r.maxRssMb)), 1),
      baselinePeakRssMb: round(Math.max(...baseline.map((r) => r.maxRssMb)), 1),
      baselinePages: baseline[0].pages,
      auditPages: audits[0].pages,
      runs: RUNS,
      runSeconds: { fetch: baseline.map((r) => round(r.seconds)), audit: audits.map((r) => round(r.seconds)) },
      fillSeconds: round(fillSeconds, 1),
      targets: TARGETS,
    };
    console.log("");
    console.log(`events                ${results.events} (${results.residentAccounts} resident accounts read, ${results.balanceReadMethod})`);
    console.log(`baseline fetch        ${results.fetchSeconds} s (${results.baselinePages} plain eth_getLogs pages, no decoding)`);
    console.log(`full audit            ${results.auditSeconds} s (${results.auditPages} pages)`);
    console.log(`audit / fetch         ${results.auditToFetchRatio} (target <= ${TARGETS.auditToFetchRatio})`);
    console.log(`events per second     ${results.eventsPerSec}`);
    console.log(`peak RSS of the audit ${results.peakRssMb} MB (target < ${TARGETS.peakRssMb}; baseline ${results.baselinePeakRssMb} MB)`);

    const out = join(__dirname, "..", "..", "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "audit.json"), JSON.stringify(results, null, 2) + "\n");
    const over = results.auditToFetchRatio > TARGETS.auditToFetchRatio || results.peakRssMb >= TARGETS.peakRssMb;
    console.log(`\nwrote bench/results/audit.json${over ? "; OVER TARGET" : "; within targets"}`);
    if (over || results.events < 100_000) process.exitCode = 1;
  } finally {
    await anvil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--worker") {
  const [, , , mode, url, file] = process.argv;
  (mode === "baseline" ? baselineRun(url, file) : auditRun(url, file)).then(
    (result) => process.stdout.write(JSON.stringify(result) + "\n"),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
