/**
 * Relay benchmark: the relay, its baselines and the chain's own limit measured in one run, each
 * phase a function of its own (scripts/bench/relay/):
 *  (a) baseline: single `issue` transactions signed with ethers from one signer, sent straight to
 *      the node, pipelined, until all are mined (baseline.ts);
 *  (b) the same number of single-issuance requests through the relay's HTTP API by concurrent
 *      clients, until every operation is confirmed (the relay coalesces them into batches);
 *  (b') as many issuances through POST /v1/issuances/batch, in requests of the relay's batch size;
 *  (c) backlog: issuances accepted while the chain does not mine, then mined (relayPhases.ts);
 *  (d) the ceiling: the same clients against a bare Express handler (ceiling.ts);
 *  (e) the chain's limit: issueBatch transactions of the relay's batch size sent straight to the
 *      node, no HTTP, no journal (chainLimit.ts);
 *  (f) two relay instances on one PostgreSQL journal: issues/s, and the failover gap when the
 *      sender is SIGKILLed under load (postgresPair.ts);
 *  (g) the SQLite journal's own ceiling: its writes per batched issuance, in this process, per CPU
 *      second (journalCeiling.ts). With (d) it says how close to the chain's limit a relay could come.
 * (a), (e) and (f) each run on a chain of their own, started and deployed the same way: anvil slows
 * down as it grows, so each side gets a young chain. Issuances use the claim ids the README
 * recommends (claimIdForRecordNumber). The relay runs as a child process; its peak RSS (VmHWM) is
 * read from /proc over (b), (b') and (c). Prints a table and writes bench/results/relay.json.
 *   npm run bench:relay
 *   (BENCH_ISSUES=6000 BENCH_CONCURRENCY=16 BENCH_BACKLOG=100000 BENCH_BASELINE_WINDOW=512
 *    BENCH_PG_ISSUES=5000; BENCH_SKIP_POSTGRES=1 leaves (f) out; BATCH_MAX_ITEMS, BATCH_MAX_WAIT_MS)
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lib/processes";
import { baseline } from "./relay/baseline";
import { DIRECT_DOMAIN, startBenchChain, withFreshChain } from "./relay/chain";
import { httpCeiling } from "./relay/ceiling";
import { chainLimit } from "./relay/chainLimit";
import { journalCeiling } from "./relay/journalCeiling";
import type { Credentials } from "./relay/client";
import { peakRssMb, round } from "./relay/measure";
import { postgresPair, type PostgresPairResult } from "./relay/postgresPair";
import { backlog, batches, singles } from "./relay/relayPhases";
import { BATCH_MAX_ITEMS, startRelay, transpileRelay, type RelayProcess } from "./relay/relayProcess";

// 6,000 by default: beyond about 10,000 the baseline's one-transaction blocks slow anvil down so far
// (20,000 took 237 s, the last 5,000 at 31 a second) that the throughput ratio measures anvil's decline.
const N = Number(process.env.BENCH_ISSUES ?? 6_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const BASELINE_WINDOW = Number(process.env.BENCH_BASELINE_WINDOW ?? 512);
const PG_ISSUES = Number(process.env.BENCH_PG_ISSUES ?? 5_000);
const TARGETS = { throughputRatio: 2, limitRatio: 0.6, batchLimitRatio: 0.9, relayCpuPerRequestRatio: 2, acceptP99Ms: 100, peakRssMb: 400 };
/** Record numbers of each relay phase, so no claim id repeats on the relay's chain. */
const RECORDS = { singles: 0, batches: 10_000_000, backlog: 20_000_000, postgres: 0 };

function credentialsOf(dir: string, agency: string): Credentials & { signer: string } {
  return JSON.parse(readFileSync(join(dir, `${agency}.json`), "utf8"));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "relay-bench-"));
  const entry = transpileRelay(join(dir, "relay-js"));
  let relay: RelayProcess | undefined;
  const interrupted = () => {
    if (relay) void relay.stop("SIGKILL");
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  process.stdout.write(`(a) baseline: ${N} single issue transactions, signed with ethers in order, one signer, ${BASELINE_WINDOW} in flight...\n`);
  const raw = await withFreshChain(join(dir, "baseline"), async (bench) => {
    const result = await baseline(bench.chain.url, bench.deployment.ledger, bench.directKey, DIRECT_DOMAIN, N, BASELINE_WINDOW);
    if (result.mined !== N) throw new Error(`baseline mined ${result.mined} of ${N}`);
    return { perSec: N / result.seconds, rebroadcasts: result.rebroadcasts };
  });

  process.stdout.write(`(e) chain limit: ${N} issuances as issueBatch transactions of ${BATCH_MAX_ITEMS}, sent straight to the node...\n`);
  const limit = await withFreshChain(join(dir, "limit"), (bench) => chainLimit(bench.chain.url, bench.deployment.ledger, bench.directKey, DIRECT_DOMAIN, N, BATCH_MAX_ITEMS));

  const bench = await startBenchChain(join(dir, "relay"));
  const creds = credentialsOf(bench.files.credentialsDir, "volunteer");
  let peak = 0;
  let peakWhilePaused = 0;
  let sampler: NodeJS.Timeout | undefined;
  let one, many, queued;
  try {
    relay = await startRelay(entry, bench, { JOURNAL_PATH: join(dir, "journal.db") }, BACKLOG + 2 * N + 10_000);
    const pid = relay.pid;
    sampler = setInterval(() => {
      try {
        peak = Math.max(peak, peakRssMb(pid));
      } catch {
        // exited
      }
    }, 200);
    process.stdout.write(`(b) relay: ${N} single-issuance requests by ${CONCURRENCY} concurrent clients...\n`);
    one = await singles(bench, relay, creds, RECORDS.singles, N, CONCURRENCY);
    process.stdout.write(`(b') relay: ${N} issuances in POST /v1/issuances/batch requests of ${BATCH_MAX_ITEMS}, 4 at a time...\n`);
    many = await batches(bench, relay, creds, RECORDS.batches, N, BATCH_MAX_ITEMS, 4);
    process.stdout.write(`(c) backlog: ${BACKLOG} issuances accepted while the chain is not mining...\n`);
    queued = await backlog(bench, relay, creds, RECORDS.backlog, BACKLOG, () => (peakWhilePaused = Math.max(peak, peakRssMb(pid))));
    peak = Math.max(peak, peakRssMb(pid));
  } finally {
    if (sampler) clearInterval(sampler);
    await relay?.stop();
    relay = undefined;
    await bench.chain.stop();
  }

  process.stdout.write(`(d) ceiling: ${N} requests by ${CONCURRENCY} clients against a bare Express handler...\n`);
  const ceiling = await httpCeiling(creds, N, CONCURRENCY);

  let pair: PostgresPairResult | undefined;
  if (!process.env.BENCH_SKIP_POSTGRES) {
    process.stdout.write(`(f) two relay instances on PostgreSQL: ${PG_ISSUES} single-issuance requests, then the sender SIGKILLed under load...\n`);
    pair = await withFreshChain(join(dir, "postgres"), (pgBench) =>
      postgresPair(pgBench, entry, credentialsOf(pgBench.files.credentialsDir, "volunteer"), RECORDS.postgres, PG_ISSUES, CONCURRENCY),
    );
  }

  process.stdout.write(`(g) journal ceiling: ${N} issuances through the SQLite journal alone, in batches of ${BATCH_MAX_ITEMS}...\n`);
  const journal = await journalCeiling(dir, N, BATCH_MAX_ITEMS);

  const result = {
    measuredAt: new Date().toISOString(),
    chain: "anvil 1.7.1 (automine, free gas), same machine",
    claimIds: "claimIdForRecordNumber (consecutive records share a bitmap word), as the README recommends",
    issues: N,
    concurrency: CONCURRENCY,
    batchMaxItems: BATCH_MAX_ITEMS,
    rawIssuesPerSec: Math.round(raw.perSec),
    baselineRebroadcasts: raw.rebroadcasts,
    chainLimitIssuesPerSec: Math.round(limit.issuesPerSec),
    chainLimitTransactions: limit.transactions,
    relaySeconds: round(one.seconds, 3),
    relayAcceptSeconds: round(one.acceptSeconds, 3),
    relayIssuesPerSec: Math.round(one.issuesPerSec),
    relayTransactions: one.transactions,
    relayBatchIssuesPerSec: Math.round(many.issuesPerSec),
    cpuSecondsDuringRelayPhase: one.cpu,
    throughputRatio: round(one.issuesPerSec / raw.perSec, 2),
    limitRatio: round(one.issuesPerSec / limit.issuesPerSec, 2),
    batchLimitRatio: round(many.issuesPerSec / limit.issuesPerSec, 2),
    acceptP50Ms: round(one.acceptP50Ms, 2),
    acceptP99Ms: round(one.acceptP99Ms, 2),
    httpCeilingPerSec: Math.round(ceiling.perSec),
    // The most single requests could reach: a bare handler's rate over the chain's limit.
    httpCeilingLimitRatio: round(ceiling.perSec / limit.issuesPerSec, 3),
    journalIssuesPerCpuSec: Math.round(journal.issuesPerCpuSec),
    journalCpuUsPerIssue: journal.cpuUsPerIssue,
    // The most batches could reach on one core: the journal's own rate over the chain's limit.
    journalLimitRatio: round(journal.issuesPerCpuSec / limit.issuesPerSec, 2),
    ceilingRatio: round(ceiling.perSec / raw.perSec, 2),
    ceilingCpuMsPerRequest: { server: round(ceiling.serverCpuMsPerRequest, 3), client: round(ceiling.clientCpuMsPerRequest, 3) },
    relayCpuMsPerRequest: round(one.relayCpuMsPerRequest, 3),
    relayCpuPerRequestRatio: round(one.relayCpuMsPerRequest / ceiling.serverCpuMsPerRequest, 2),
    failedOperations: queued.failed,
    backlog: BACKLOG,
    backlogAcceptSeconds: round(queued.acceptSeconds, 3),
    backlogDrainSeconds: round(queued.drainSeconds, 3),
    peakRssMbWhilePaused: round(peakWhilePaused, 1),
    peakRssMb: round(peak, 1),
    postgres: pair && {
      instances: 2,
      issues: PG_ISSUES,
      issuesPerSec: Math.round(pair.issuesPerSec),
      failoverGapSeconds: round(pair.failoverGapSeconds, 2),
      issuedAcrossFailover: pair.issuedAcrossFailover,
    },
    targets: TARGETS,
  };
  const pgCell = (value: number | undefined) => (value === undefined ? "skipped" : String(value));
  const table = [
    ["", "SQLite", "PostgreSQL x2", "target"],
    ["baseline issues/s (ethers, one signer)", String(result.rawIssuesPerSec), "", ""],
    ["chain limit issues/s (issueBatch straight to the node)", String(result.chainLimitIssuesPerSec), "", ""],
    ["relay issues/s, single requests (until confirmed)", String(result.relayIssuesPerSec), pgCell(result.postgres?.issuesPerSec), ""],
    ["relay issues/s, batch requests", String(result.relayBatchIssuesPerSec), "", ""],
    ["throughput ratio (single requests / baseline)", String(result.throughputRatio), "", `>= ${TARGETS.throughputRatio}`],
    ["limit ratio (single requests / chain limit)", String(result.limitRatio), "", `>= ${TARGETS.limitRatio}`],
    ["batch limit ratio (batch requests / chain limit)", String(result.batchLimitRatio), "", `>= ${TARGETS.batchLimitRatio}`],
    ["bare Express requests/s / chain limit (most singles could reach)", String(result.httpCeilingLimitRatio), "", ""],
    ["journal alone, issues per CPU second (batched)", String(result.journalIssuesPerCpuSec), "", ""],
    ["journal alone / chain limit (most batches could reach, one core)", String(result.journalLimitRatio), "", ""],
    ["relay CPU ms per request", String(result.relayCpuMsPerRequest), "", ""],
    ["bare Express CPU ms per request (same clients)", String(result.ceilingCpuMsPerRequest.server), "", ""],
    ["relay CPU per request ratio (relay / bare)", String(result.relayCpuPerRequestRatio), "", `<= ${TARGETS.relayCpuPerRequestRatio}`],
    ["accept p50 ms", String(result.acceptP50Ms), "", ""],
    ["accept p99 ms", String(result.acceptP99Ms), "", `< ${TARGETS.acceptP99Ms}`],
    [`peak RSS MB (incl. ${BACKLOG} waiting)`, String(result.peakRssMb), "", `< ${TARGETS.peakRssMb}`],
    ["failover gap s (sender SIGKILLed)", "", pgCell(result.postgres?.failoverGapSeconds), "< 10"],
  ];
  const width = Math.max(...table.map((r) => r[0].length));
  process.stdout.write("\n" + table.map((r) => `${r[0].padEnd(width)}  ${r[1].padStart(8)}  ${r[2].padStart(13)}  ${r[3]}`).join("\n") + "\n");
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "relay.json"), JSON.stringify(result, null, 2) + "\n");
  process.stdout.write("wrote bench/results/relay.json\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
