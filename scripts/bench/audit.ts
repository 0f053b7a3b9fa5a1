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
import { ethers } from "ethers";
import type { Hex } from "viem";
import { audit, historyStart } from "../../sdk/src/auditor/audit";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { agreementIdOf } from "../../sdk/src/agreementId";
import { ledgerDomain, intentTypes } from "../../sdk/src/eip712";
import { parseDeployment } from "../../sdk/src/deployment";
import { splitSignature } from "../../sdk/src/resident/sign";
import { fetchLogPages } from "../../sdk/src/auditor/logs";
import { createHttpRpc } from "../../sdk/src/auditor/rpc";
import { deployCityLedger } from "../lib/deploy";
import { DEMO_AGENCIES } from "../lib/demoAgencies";
import { startUnlockedAnvil, type UnlockedChain } from "../lib/anvil";

const TARGETS = { auditToFetchRatio: 2.5, peakRssMb: 512 };
const BATCH = 500;
const TARGET_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const HOLDERS = 40_000;
const BATCHES_PER_BLOCK = 4;
const INTENTS_PER_BLOCK = 6;
/** An empty stretch after the deployment, longer than Besu's 5,000-block page limit. */
const EMPTY_BLOCKS = 6_000;
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

// ───────────────────────────────────────────── filling the chain

/**
 * Deploys, mines a long empty stretch (so the audit pages across Besu's 5,000-block limit), then
 * fills blocks of four 500-item batch issuances and a few residents' intents each. Mining is on
 * demand: anvil recomputes its state root per block, so one block per transaction would make the
 * fill quadratic in the ledger's size.
 */
async function fill({ provider, transact }: UnlockedChain, deploymentFile: string): Promise<void> {
  const s = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.getSigner(i)));
  const addr = await Promise.all(s.map((x) => x.getAddress()));
  const deployment = await deployCityLedger(
    s[0],
    {
      councilMembers: addr.slice(5, 8),
      councilThreshold: 2,
      pauser: addr[8],
      periodSeconds: 86_400,
      domains: DEMO_AGENCIES.map((name, i) => ({
        name,
        agency: addr[i + 1],
        pointValue: 10 * (i + 1),
        residentCap: 0n,
        transferable: name === "culture",
        issuers: [{ address: addr[i + 1], quota: 10n ** 15n }],
      })),
    },
    deploymentFile,
  );
  const iface = new ethers.Interface(pointsLedgerAbi as never);
  const call = (method: string, args: unknown[]) => iface.encodeFunctionData(method, args);
  const send = (from: string, method: string, args: unknown[]) => transact(from, deployment.ledger, call(method, args));

  // Residents who sign intents: fresh random keys, used only here.
  const signers = Array.from({ length: 50 }, () => ethers.Wallet.createRandom());
  const nonces = new Map<string, bigint>(signers.map((w) => [w.address, 0n]));
  const domain = ledgerDomain(31337, deployment.ledger);
  const types = (kind: keyof typeof intentTypes) => ({ [kind]: intentTypes[kind].map((f) => ({ ...f })) });
  await send(addr[1], "issueBatch", [1, signers.map((w, i) => ({ resident: w.address, amount: 100_000, claimId: 1_000_000 + i }))]);
  await send(addr[1], "proposeAgreement", [1, 2, 3, 7, 0, 0, 1_000_000]);
  await send(addr[2], "approveAgreement", [agreementIdOf(1, 2), 1]);
  await send(addr[1], "setPartner", [1, addr[9], true]);
  await provider.send("anvil_mine", ["0x" + EMPTY_BLOCKS.toString(16)]);

  await provider.send("evm_setAutomine", [false]);
  const nextClaim = [0, 0, 0, 0, 0];
  let events = 4 * 3 + 3 + 50 + 3 + 1; // deployment and set-up events, about
  let batch = 0;
  let block = 0;
  const started = Date.now();
  while (events < TARGET_EVENTS) {
    const hashes: string[] = [];
    // The block's gas limit must hold the sum of the transactions' gas limits.
    const submit = async (from: string, data: string, gas: number) =>
      hashes.push(await provider.send("eth_sendTransaction", [{ from, to: deployment.ledger, data, gas: "0x" + gas.toString(16) }]));
    for (let k = 0; k < BATCHES_PER_BLOCK && events < TARGET_EVENTS; k++, batch++) {
      const domainId = (batch % 4) + 1;
      const items = Array.from({ length: BATCH }, (_, i) => {
        const j = batch * BATCH + i;
        return { resident: ethers.getAddress(ethers.toBeHex(0x100000 + (j % HOLDERS), 20)), amount: 1 + (j % 97), claimId: nextClaim[domainId]++ };
      });
      await submit(addr[domainId], call("issueBatch", [domainId, items]), 16_000_000);
      events += BATCH;
    }
    // A few residents' intents in each block: exchanges and redemptions, submitted by a relayer.
    for (let k = 0; k < INTENTS_PER_BLOCK; k++) {
      const w = signers[(block * INTENTS_PER_BLOCK + k) % signers.length];
      const nonce = nonces.get(w.address)!;
      nonces.set(w.address, nonce + 1n);
      if (k % 3 !== 2) {
        const intent = { resident: w.address, fromDomain: 1, toDomain: 2, amountIn: 10n, minAmountOut: 0n, nonce, deadline: 1n << 40n };
        const { v, r, s } = splitSignature((await w.signTypedData(domain, types("ExchangeIntent"), intent)) as Hex);
        await submit(addr[9], call("exchange", [intent, v, r, s]), 300_000);
      } else {
        const intent = { resident: w.address, domainId: 1, amount: 5n, partner: addr[9], orderRef: ethers.id(`order-${block}-${k}`), nonce, deadline: 1n << 40n };
        const { v, r, s } = splitSignature((await w.signTypedData(domain, types("RedeemIntent"), intent)) as Hex);
        await submit(addr[9], call("redeem", [intent, v, r, s]), 300_000);
      }
      events++;
    }
    await provider.send("evm_mine", []);
    for (const hash of hashes) {
      const receipt = await provider.send("eth_getTransactionReceipt", [hash]);
      if (receipt?.status !== "0x1") throw new Error(`benchmark transaction ${hash} ${receipt ? "failed" : "was not mined"}`);
    }
    block++;
    if (block % 10 === 0) console.log(`  ${events} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  await provider.send("evm_setAutomine", [true]);
  // Close the first period: settlement events are part of the ledger too.
  await provider.send("evm_increaseTime", [86_400]);
  await provider.send("evm_mine", []);
  await send(addr[0], "closePeriod", [0]);
  await send(addr[1], "confirmSettlement", [0, 1, ethers.id("payment-0")]);
  await send(addr[2], "confirmSettlement", [0, 2, ethers.id("payment-0")]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const anvil = await startUnlockedAnvil({ accounts: 12, args: ["--hardfork", "cancun", "--gas-limit", "100000000"] });
  const dir = mkdtempSync(join(tmpdir(), "bench-audit-"));
  const deploymentFile = join(dir, "deployment.json");
  try {
    console.log(`filling a local anvil chain with at least ${TARGET_EVENTS} ledger events ...`);
    const fillStarted = Date.now();
    await fill(anvil, deploymentFile);
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
