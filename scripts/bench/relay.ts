/**
 * Relay benchmark, baseline and relay on the same local chain (anvil, free gas) in one run:
 *  (a) baseline: single `issue` transactions signed with ethers from one signer, sent straight to the
 *      JSON-RPC endpoint, pipelined, until all are mined;
 *  (b) the same number of single-issuance requests through the relay's HTTP API by concurrent
 *      clients, until every operation is confirmed (the relay coalesces them into batches);
 *  (c) backlog: 100,000 issuances accepted while the chain does not mine, then mined;
 *  (d) the ceiling: the same clients against a bare Express handler, the most any relay could accept here.
 * (a) runs on a chain of its own, started and deployed the same way and stopped before (b): anvil slows
 * down as it grows, so each side gets a young chain.
 * The relay runs as a child process; its peak RSS (VmHWM) is read from /proc over (b) and (c).
 * Prints a table and writes bench/results/relay.json.
 *   npm run bench:relay   (BENCH_ISSUES=20000 BENCH_CONCURRENCY=16 BENCH_BACKLOG=100000 BENCH_BASELINE_WINDOW=512)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { Interface, JsonRpcProvider, Wallet, type InterfaceAbi } from "ethers";
import { createPublicClient, getAbiItem, http, type Address } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { signRequest } from "../../sdk/src/auth";
import { open } from "../../server/auth/secretBox";
import type { KeystoreFile } from "../../server/keystore";
import { CITY_CHAIN, startAnvil } from "../lib/anvil";
import { freePort, killGroup, spawnProcess } from "../lib/processes";
import { deployDemo, prepareDemoKeys } from "../start";
import ts from "typescript";
import { MAX_BATCH_ITEMS_PER_TX } from "../../server/chain/gasCap";

const ROOT = join(__dirname, "..", "..");

/**
 * The relay runs as plain JavaScript, as it would in production: server/ and sdk/src/ are transpiled
 * once into a temporary folder (no type check; `npm run lint` does that), so the TypeScript compiler
 * that ts-node keeps in memory is not counted in the relay's RSS.
 */
function transpileRelay(outDir: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
  for (const file of [...walk(join(ROOT, "server")), ...walk(join(ROOT, "sdk", "src"))]) {
    const out = join(outDir, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(out, outputText);
  }
  return join(outDir, "server", "index.js");
}


const N = Number(process.env.BENCH_ISSUES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const BASELINE_WINDOW = Number(process.env.BENCH_BASELINE_WINDOW ?? 512);
const STALL_MS = 5_000;
/** No historical states kept: tens of thousands of blocks would otherwise slow anvil down further as it grows. */
const ANVIL_ARGS = ["--gas-limit", "60000000", "--prune-history", "256"];
const TARGETS = { throughputRatio: 5, acceptP99Ms: 100, peakRssMb: 400 };
const ISSUED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsIssued" });

function residents(n: number): Address[] {
  // Distinct fresh holders, as a city's issuance would mostly be; cheap to derive.
  return Array.from({ length: n }, () => `0x${randomBytes(20).toString("hex")}` as Address);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of a process and all its descendants (anvil's npm launcher runs the real binary as a child). */
function treeCpuSeconds(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    // gone, or no such file on this kernel: count the process alone
  }
  return cpuSeconds(pid) + children.reduce((sum, child) => sum + treeCpuSeconds(child), 0);
}

/** Kernel-side share of it (system time), where loopback networking and file writes are paid. */
function systemSeconds(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[12]) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** PointsIssued events of a domain since a block, in pages that shrink when a response is too large. */
async function countIssued(rpcUrl: string, ledger: Address, domainId: number, fromBlock: bigint): Promise<number> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const latest = await client.getBlockNumber();
  let count = 0;
  let span = 2_000n;
  for (let from = fromBlock; from <= latest; ) {
    const to = from + span - 1n < latest ? from + span - 1n : latest;
    try {
      count += (await client.getLogs({ address: ledger, event: ISSUED, args: { domainId }, fromBlock: from, toBlock: to })).length;
      from = to + 1n;
    } catch (error) {
      if (span === 1n || !/exceeded the size limit/.test((error as Error).message)) throw error;
      span /= 4n;
      if (span < 1n) span = 1n;
    }
  }
  return count;
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/**
 * (a) One signer, single issuances signed with ethers in nonce order and sent at once, never more
 * than BASELINE_WINDOW sent and not yet mined, until the last is mined. A send is answered when the
 * node has pooled it, not mined it, so the window follows the mined count: one loop reads the
 * signer's nonce at "latest" and the sender waits on it. An unbounded pool (thousands pending)
 * makes anvil slower with every block. Signing stays in the loop: a sender without a relay pays it.
 */
async function baseline(rpcUrl: string, ledger: Address, privateKey: string, domainId: number): Promise<{ seconds: number; rebroadcasts: number; mined: number }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true });
  const wallet = new Wallet(privateKey, provider);
  const iface = new Interface(pointsLedgerAbi as InterfaceAbi);
  const { chainId } = await provider.getNetwork();
  const start0 = await provider.getTransactionCount(wallet.address, "latest");
  const fromBlock = BigInt(await provider.getBlockNumber()) + 1n;
  const holders = residents(N);
  const started = performance.now();
  let mined = 0;
  let failure: Error | undefined;
  let announce = () => {};
  let minedChanged = new Promise<void>((r) => (announce = r));
  // Sent bytes by nonce offset: a transaction the node lost (seen here once in a while at thousands
  // sent) stalls every later nonce, so after STALL_MS without progress the next one is sent again.
  const raws: string[] = [];
  let rebroadcasts = 0;
  const poller = (async () => {
    let lastProgress = performance.now();
    while (mined < N && !failure) {
      const now = (await provider.getTransactionCount(wallet.address, "latest")) - start0;
      if (now !== mined) {
        if (Math.floor(now / 5_000) > Math.floor(mined / 5_000)) {
          process.stdout.write(`    ${now} mined after ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        }
        mined = now;
        lastProgress = performance.now();
        announce();
        minedChanged = new Promise<void>((r) => (announce = r));
      } else if (performance.now() - lastProgress > STALL_MS && raws[mined]) {
        rebroadcasts++;
        lastProgress = performance.now();
        await provider.send("eth_sendRawTransaction", [raws[mined]]).catch(() => undefined);
      } else await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < N; i++) {
    const raw = await wallet.signTransaction({
      type: 0,
      to: ledger,
      data: iface.encodeFunctionData("issue", [domainId, holders[i], 5, BigInt(i + 1)]),
      nonce: start0 + i,
      gasLimit: 200_000,
      gasPrice: 0,
      chainId,
    });
    while (i - mined >= BASELINE_WINDOW) {
      if (failure) throw failure;
      await minedChanged;
    }
    raws[i] = raw;
    sends.push(
      provider.send("eth_sendRawTransaction", [raw]).catch((error: Error) => {
        failure ??= new Error(`baseline send of nonce ${start0 + i} failed: ${error.message}`);
        announce();
      }),
    );
  }
  await Promise.all([poller, ...sends]);
  if (failure) throw failure;
  const seconds = (performance.now() - started) / 1000;
  provider.destroy();
  return { seconds, rebroadcasts, mined: await countIssued(rpcUrl, ledger, domainId, fromBlock) };
}

/**
 * (d) The ceiling: the same clients against a bare Express handler that reads the body and answers
 * 202, in its own process. No relay on this machine can accept requests faster than this.
 */
async function httpCeiling(creds: Credentials): Promise<{ perSec: number; serverCpuMsPerRequest: number; clientCpuMsPerRequest: number }> {
  const port = await freePort();
  const server = spawnProcess(
    process.execPath,
    [
      "-e",
      `const express = require("express"); const app = express();
       app.use(express.raw({ type: () => true, limit: 262144 }));
       app.post("/v1/issuances", (req, res) => { JSON.parse(req.body.toString("utf8")); res.status(202).json({ operation: { id: "op", status: "queued" } }); });
       app.listen(${port}, "127.0.0.1", () => console.log("ceiling listening"));`,
    ],
    { NODE_PATH: join(ROOT, "node_modules") },
  );
  try {
    await server.waitFor(/ceiling listening/);
    const url = `http://127.0.0.1:${port}`;
    const holders = residents(N);
    const cpu0 = { server: cpuSeconds(server.child.pid!), client: cpuSeconds(process.pid) };
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          await post(url, creds, "/v1/issuances", { resident: holders[i], amount: "5", claimId: String(i + 1) });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      perSec: N / seconds,
      serverCpuMsPerRequest: ((cpuSeconds(server.child.pid!) - cpu0.server) * 1000) / N,
      clientCpuMsPerRequest: ((cpuSeconds(process.pid) - cpu0.client) * 1000) / N,
    };
  } finally {
    killGroup(server, "SIGKILL");
    await server.exited;
  }
}

interface Credentials {
  keyId: string;
  secret: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY + 16 });

/** A signed POST over a kept-alive connection, as an agency's back office would send it. */
function post(url: string, creds: Credentials, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(body);
  const headers = signRequest(creds, { method: "POST", host: new URL(url).host, path, idempotencyKey: randomBytes(12).toString("hex"), body: raw });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      {
        method: "POST",
        agent,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(raw) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    req.end(raw);
  });
}

/** A chain started and deployed as main()'s, for one phase; the environment agency's key signs. */
async function withFreshChain<T>(dir: string, phase: (url: string, ledger: Address, privateKey: string) => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const chain = await startAnvil({ port: await freePort(), args: [...CITY_CHAIN, ...ANVIL_ARGS] });
  try {
    const files = prepareDemoKeys(dir, "http://127.0.0.1");
    const { deployment } = await deployDemo(chain.url, files, 86_400);
    const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
    const keystore = JSON.parse(readFileSync(files.keystoreFile, "utf8")) as KeystoreFile;
    return await phase(chain.url, deployment.ledger, open(master, keystore.agencies[3].privateKey));
  } finally {
    await chain.stop();
  }
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line ? Number(line.split(" ").pop()) : 0;
}

/** Operations the relay has finished so far, by final status. */
async function finished(url: string): Promise<{ confirmed: number; failed: number }> {
  const [confirmed, failed] = await Promise.all([
    metric(url, 'relay_operations_finished_total{status="confirmed"}'),
    metric(url, 'relay_operations_finished_total{status="failed"}'),
  ]);
  return { confirmed, failed };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "relay-bench-"));
  const chain = await startAnvil({ port: await freePort(), args: [...CITY_CHAIN, ...ANVIL_ARGS] });
  const files = prepareDemoKeys(dir, "http://127.0.0.1");
  const { deployment, path: deploymentPath } = await deployDemo(chain.url, files, 86_400);
  const creds: Credentials = JSON.parse(readFileSync(join(files.credentialsDir, "volunteer.json"), "utf8"));
  let relay: ReturnType<typeof spawnProcess> | undefined;
  let baselineRebroadcasts = 0;
  const interrupted = () => {
    if (relay) killGroup(relay, "SIGKILL");
    void chain.stop().then(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    // (a) the baseline first, on a chain of its own started and deployed exactly as the relay's, then
    // stopped. On one shared chain, its 20,000 one-transaction blocks made anvil use 42 CPU seconds
    // over (b) instead of 16, and after (b) and (c) anvil mined the baseline at 19/s instead of ~470:
    // anvil slows down as it grows, so each side gets a young chain and a quiet machine.
    process.stdout.write(`(a) baseline: ${N} single issue transactions, signed with ethers in order, one signer, ${BASELINE_WINDOW} in flight...\n`);
    const rawIssuesPerSec = await withFreshChain(join(dir, "baseline"), async (url, ledger, privateKey) => {
      const raw = await baseline(url, ledger, privateKey, 4);
      if (raw.mined !== N) throw new Error(`baseline mined ${raw.mined} of ${N}`);
      baselineRebroadcasts = raw.rebroadcasts;
      return N / raw.seconds;
    });

    // (b) the relay, a child process.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const entry = transpileRelay(join(dir, "relay-js"));
    const nodeArgs = process.env.BENCH_RELAY_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    relay = spawnProcess(process.execPath, [...nodeArgs, entry], {
      NODE_PATH: join(ROOT, "node_modules"),
      RPC_URL: chain.url,
      DEPLOYMENT_FILE: deploymentPath,
      KEYSTORE_FILE: files.keystoreFile,
      MASTER_KEY_FILE: files.masterKeyFile,
      JOURNAL_PATH: join(dir, "journal.db"),
      PORT: String(port),
      AGENCY_RATE_LIMIT_PER_MINUTE: "10000000",
      QUEUE_LIMIT: String(BACKLOG + N + 10_000),
      BATCH_MAX_ITEMS: process.env.BATCH_MAX_ITEMS ?? String(MAX_BATCH_ITEMS_PER_TX),
      BATCH_MAX_WAIT_MS: process.env.BATCH_MAX_WAIT_MS ?? "25",
      POLL_INTERVAL_MS: "50",
      LOG_LEVEL: "warn",
    });
    await relay.waitFor(/relay listening on/);
    const pid = relay.child.pid!;
    let peak = peakRssMb(pid);
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, peakRssMb(pid));
      } catch {
        // exited
      }
    }, 200);

    process.stdout.write(`(b) relay: ${N} single-issuance requests by ${CONCURRENCY} concurrent clients...\n`);
    const holders = residents(N);
    const latencies: number[] = [];
    let next = 0;
    let refused = 0;
    const before = await finished(url);
    const fromBlock = BigInt((await rpc(chain.url, "eth_blockNumber")) as string) + 1n;
    const cpu0 = { relay: cpuSeconds(pid), relaySystem: systemSeconds(pid), client: cpuSeconds(process.pid), chain: treeCpuSeconds(chain.process.pid!) };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          const t0 = performance.now();
          const res = await post(url, creds, "/v1/issuances", { resident: holders[i], amount: "5", claimId: String(i + 1) });
          latencies.push(performance.now() - t0);
          if (res.status !== 202) {
            refused += 1;
            if (refused < 5) process.stderr.write(`refused: ${res.status} ${JSON.stringify(res.body)}\n${refused === 1 ? relay!.output().slice(-1500) : ""}\n`);
          }
        }
      }),
    );
    const acceptedSeconds = (performance.now() - started) / 1000;
    // Every issuance has a fresh claim id: each must end confirmed. A failed one ends the wait too, and the run.
    for (let now = await finished(url); now.confirmed + now.failed - before.confirmed - before.failed < N; now = await finished(url)) {
      if (performance.now() - started > 600_000) throw new Error("relay did not finish everything within 10 minutes");
      await new Promise((r) => setTimeout(r, 25));
    }
    const relaySeconds = (performance.now() - started) / 1000;
    const cpu = {
      relay: Number((cpuSeconds(pid) - cpu0.relay).toFixed(2)),
      relaySystem: Number((systemSeconds(pid) - cpu0.relaySystem).toFixed(2)),
      client: Number((cpuSeconds(process.pid) - cpu0.client).toFixed(2)),
      chain: Number((treeCpuSeconds(chain.process.pid!) - cpu0.chain).toFixed(2)),
    };
    process.stdout.write(`    cpu seconds during (b): ${JSON.stringify(cpu)} over ${relaySeconds.toFixed(1)} s\n`);
    const mined = await countIssued(chain.url, deployment.ledger, 1, fromBlock);
    let failedOperations = (await finished(url)).failed - before.failed;
    process.stdout.write(`    failed operations: ${failedOperations}\n`);
    if (refused > 0 || mined !== N || failedOperations > 0) throw new Error(`relay: ${refused} refused, ${failedOperations} failed, ${mined} of ${N} on chain`);
    latencies.sort((x, y) => x - y);
    const relayIssuesPerSec = N / relaySeconds;


    // (c) a backlog while the chain does not mine: accepted into the journal, memory stays bounded.
    process.stdout.write(`(c) backlog: ${BACKLOG} issuances accepted while the chain is not mining...\n`);
    await rpc(chain.url, "evm_setAutomine", [false]);
    const backlogHolders = residents(BACKLOG);
    const backlogStarted = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sent < BACKLOG) {
          const from = sent;
          sent += 500;
          const items = backlogHolders.slice(from, from + 500).map((resident, k) => ({ resident, amount: "1", claimId: String(1_000_000 + from + k) }));
          const res = await post(url, creds, "/v1/issuances/batch", { items });
          if (res.status !== 202) throw new Error(`backlog batch refused: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }),
    );
    const backlogAcceptSeconds = (performance.now() - backlogStarted) / 1000;
    const peakWhilePaused = Math.max(peak, peakRssMb(pid));
    await rpc(chain.url, "evm_setAutomine", [true]);
    const drainStarted = performance.now();
    for (let now = await finished(url); now.confirmed + now.failed - before.confirmed - before.failed < N + BACKLOG; now = await finished(url)) {
      await rpc(chain.url, "evm_mine");
      if (performance.now() - drainStarted > 900_000) throw new Error("backlog not confirmed within 15 minutes");
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    failedOperations = (await finished(url)).failed - before.failed;
    process.stdout.write(`    failed operations, backlog included: ${failedOperations}\n`);
    if (failedOperations > 0) throw new Error(`relay: ${failedOperations} issuances with fresh claim ids ended failed`);
    clearInterval(sampler);
    peak = Math.max(peak, peakRssMb(pid));
    killGroup(relay, "SIGTERM");
    await relay.exited;
    relay = undefined;
    await chain.stop(); // the ceiling needs no chain


    process.stdout.write(`(d) ceiling: ${N} requests by ${CONCURRENCY} clients against a bare Express handler...\n`);
    const ceiling = await httpCeiling(creds);

    const result = {
      measuredAt: new Date().toISOString(),
      chain: "anvil 1.7.1 (automine, free gas), same machine",
      issues: N,
      concurrency: CONCURRENCY,
      batchMaxItems: Number(process.env.BATCH_MAX_ITEMS ?? MAX_BATCH_ITEMS_PER_TX),
      rawIssuesPerSec: Math.round(rawIssuesPerSec),
      baselineRebroadcasts,
      relaySeconds: Number(relaySeconds.toFixed(3)),
      relayAcceptSeconds: Number(acceptedSeconds.toFixed(3)),
      relayIssuesPerSec: Math.round(relayIssuesPerSec),
      cpuSecondsDuringRelayPhase: cpu,
      throughputRatio: Number((relayIssuesPerSec / rawIssuesPerSec).toFixed(2)),
      acceptP50Ms: Number(percentile(latencies, 50).toFixed(2)),
      acceptP99Ms: Number(percentile(latencies, 99).toFixed(2)),
      httpCeilingPerSec: Math.round(ceiling.perSec),
      ceilingRatio: Number((ceiling.perSec / rawIssuesPerSec).toFixed(2)),
      ceilingCpuMsPerRequest: { server: Number(ceiling.serverCpuMsPerRequest.toFixed(3)), client: Number(ceiling.clientCpuMsPerRequest.toFixed(3)) },
      relayCpuMsPerRequest: Number(((cpu.relay * 1000) / N).toFixed(3)),
      failedOperations,
      backlog: BACKLOG,
      backlogAcceptSeconds: Number(backlogAcceptSeconds.toFixed(3)),
      backlogDrainSeconds: Number(drainSeconds.toFixed(3)),
      peakRssMbWhilePaused: Number(peakWhilePaused.toFixed(1)),
      peakRssMb: Number(peak.toFixed(1)),
      targets: TARGETS,
    };
    const table = [
      ["", "value", "target"],
      ["baseline issues/s (ethers, one signer)", String(result.rawIssuesPerSec), ""],
      ["relay issues/s (HTTP, until confirmed)", String(result.relayIssuesPerSec), ""],
      ["throughput ratio", String(result.throughputRatio), `>= ${TARGETS.throughputRatio}`],
      ["ceiling: bare Express, same clients, req/s", String(result.httpCeilingPerSec), ""],
      ["ceiling ratio (the most any relay could reach)", String(result.ceilingRatio), ""],
      ["relay CPU ms per request", String(result.relayCpuMsPerRequest), ""],
      ["operations ended failed (fresh claim ids)", String(result.failedOperations), "0"],
      ["accept p50 ms", String(result.acceptP50Ms), ""],
      ["accept p99 ms", String(result.acceptP99Ms), `< ${TARGETS.acceptP99Ms}`],
      [`peak RSS MB (incl. ${BACKLOG} waiting)`, String(result.peakRssMb), `< ${TARGETS.peakRssMb}`],
    ];
    const width = Math.max(...table.map((r) => r[0].length));
    process.stdout.write("\n" + table.map((r) => `${r[0].padEnd(width)}  ${r[1].padStart(8)}  ${r[2]}`).join("\n") + "\n");
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    writeFileSync(join(ROOT, "bench", "results", "relay.json"), JSON.stringify(result, null, 2) + "\n");
    process.stdout.write("wrote bench/results/relay.json\n");
  } finally {
    if (relay) {
      killGroup(relay, "SIGTERM");
      await relay.exited;
    }
    await chain.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
