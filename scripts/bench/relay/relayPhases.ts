/**
 * Phases (b), (b') and (c): the relay under an agency's load, until every operation is confirmed.
 *  (b) single-issuance requests by concurrent clients (the relay coalesces them into batches);
 *  (b') the same issuances through POST /v1/issuances/batch, batches of the relay's batch size;
 *  (c) a backlog accepted while the chain does not mine, then mined: memory stays bounded.
 */
import { blockNumber, countIssued, rpc, type BenchChain } from "./chain";
import { drive, post, type Credentials } from "./client";
import { cpuSeconds, percentile, round, systemSeconds, treeCpuSeconds } from "./measure";
import { finished, waitFinished, type RelayProcess } from "./relayProcess";
import { issuanceItems } from "./workload";

/** The relay issues in the volunteer agency's domain. */
export const RELAY_DOMAIN = 1;

export interface SinglesResult {
  issuesPerSec: number;
  seconds: number;
  acceptSeconds: number;
  acceptP50Ms: number;
  acceptP99Ms: number;
  cpu: { relay: number; relaySystem: number; client: number; chain: number };
  relayCpuMsPerRequest: number;
  transactions: number;
}

/** Fails the run unless every issuance ended confirmed and on chain: with fresh claim ids, none may fail. */
async function expectAllIssued(bench: BenchChain, relay: RelayProcess, before: { failed: number }, fromBlock: bigint, count: number, refused: number): Promise<void> {
  const mined = await countIssued(bench.chain.url, bench.deployment.ledger, RELAY_DOMAIN, fromBlock);
  const failed = (await finished(relay.url)).failed - before.failed;
  if (refused > 0 || failed > 0 || mined !== count) throw new Error(`relay: ${refused} refused, ${failed} failed, ${mined} of ${count} on chain`);
}

export async function singles(bench: BenchChain, relay: RelayProcess, creds: Credentials, firstRecord: number, count: number, concurrency: number): Promise<SinglesResult> {
  const items = issuanceItems(firstRecord, count);
  let refused = 0;
  const before = await finished(relay.url);
  const fromBlock = (await blockNumber(bench.chain.url)) + 1n;
  const cpu0 = { relay: cpuSeconds(relay.pid), relaySystem: systemSeconds(relay.pid), client: cpuSeconds(process.pid), chain: treeCpuSeconds(bench.chain.process.pid!) };
  const started = performance.now();
  const { latencies, seconds: acceptSeconds } = await drive(count, concurrency, async (i) => {
    const res = await post(relay.url, creds, "/v1/issuances", items[i]);
    if (res.status !== 202 && ++refused < 5) process.stderr.write(`refused: ${res.status} ${JSON.stringify(res.body)}\n`);
  });
  await waitFinished(relay.url, before, count, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = {
    relay: round(cpuSeconds(relay.pid) - cpu0.relay, 2),
    relaySystem: round(systemSeconds(relay.pid) - cpu0.relaySystem, 2),
    client: round(cpuSeconds(process.pid) - cpu0.client, 2),
    chain: round(treeCpuSeconds(bench.chain.process.pid!) - cpu0.chain, 2),
  };
  // One relay transaction per block (automine), nothing else sends here.
  const transactions = Number((await blockNumber(bench.chain.url)) - fromBlock + 1n);
  process.stdout.write(`    cpu seconds: ${JSON.stringify(cpu)} over ${seconds.toFixed(1)} s; ${transactions} transactions, ${(count / transactions).toFixed(1)} issuances each\n`);
  await expectAllIssued(bench, relay, before, fromBlock, count, refused);
  latencies.sort((x, y) => x - y);
  return {
    issuesPerSec: count / seconds,
    seconds,
    acceptSeconds,
    acceptP50Ms: percentile(latencies, 50),
    acceptP99Ms: percentile(latencies, 99),
    cpu,
    relayCpuMsPerRequest: (cpu.relay * 1000) / count,
    transactions,
  };
}

/** (b') `count` issuances in requests of `batchSize` items, `concurrency` at a time, until confirmed. */
export async function batches(bench: BenchChain, relay: RelayProcess, creds: Credentials, firstRecord: number, count: number, batchSize: number, concurrency: number): Promise<{ issuesPerSec: number; seconds: number }> {
  const requests = Math.ceil(count / batchSize);
  const bodies = Array.from({ length: requests }, (_, r) => ({ items: issuanceItems(firstRecord + r * batchSize, Math.min(batchSize, count - r * batchSize)) }));
  let refused = 0;
  const before = await finished(relay.url);
  const fromBlock = (await blockNumber(bench.chain.url)) + 1n;
  const started = performance.now();
  await drive(requests, concurrency, async (r) => {
    const res = await post(relay.url, creds, "/v1/issuances/batch", bodies[r]);
    if (res.status !== 202 && ++refused < 5) process.stderr.write(`batch refused: ${res.status} ${JSON.stringify(res.body)}\n`);
  });
  await waitFinished(relay.url, before, count, 600_000);
  const seconds = (performance.now() - started) / 1000;
  await expectAllIssued(bench, relay, before, fromBlock, count, refused);
  return { issuesPerSec: count / seconds, seconds };
}

/** (c) `count` issuances accepted (in batch requests) while the chain does not mine, then mined. */
export async function backlog(bench: BenchChain, relay: RelayProcess, creds: Credentials, firstRecord: number, count: number, whilePaused: () => void): Promise<{ acceptSeconds: number; drainSeconds: number; failed: number }> {
  const url = bench.chain.url;
  await rpc(url, "evm_setAutomine", [false]);
  const before = await finished(relay.url);
  const requests = Math.ceil(count / 500);
  const accepted = await drive(requests, 8, async (r) => {
    const res = await post(relay.url, creds, "/v1/issuances/batch", { items: issuanceItems(firstRecord + r * 500, Math.min(500, count - r * 500), "1") });
    if (res.status !== 202) throw new Error(`backlog batch refused: ${res.status} ${JSON.stringify(res.body)}`);
  });
  whilePaused();
  await rpc(url, "evm_setAutomine", [true]);
  const drainStarted = performance.now();
  await waitFinished(relay.url, before, count, 900_000, () => rpc(url, "evm_mine"));
  const failed = (await finished(relay.url)).failed - before.failed;
  if (failed > 0) throw new Error(`relay: ${failed} backlog issuances with fresh claim ids ended failed`);
  return { acceptSeconds: accepted.seconds, drainSeconds: (performance.now() - drainStarted) / 1000, failed };
}
