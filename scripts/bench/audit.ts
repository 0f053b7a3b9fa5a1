/**
 * Audit benchmark: on a local anvil chain that it fills with at least 100,000 ledger events, it
 * measures (a) the baseline, every log of the deployment fetched with plain `eth_getLogs` pages
 * and decoding nothing (fetch + JSON.parse), and (b) the full audit (paged fetch, decode, rebuild,
 * every balance and supply read back, invariants checked). Each run is a fresh child process, so
 * the peak RSS is the run's own; pairs alternate and the medians are kept. Writes
 * bench/results/audit.json.
 *   npm run bench:audit        (BENCH_AUDIT_EVENTS=100000 by default)
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "ethers";
import { audit } from "../../sdk/src/auditor/audit";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { ledgerDomain, intentTypes } from "../../sdk/src/eip712";
import { parseDeployment } from "../../sdk/src/deployment";
import { deployCityLedger } from "../lib/deploy";
import { startAnvil, type Anvil } from "../../test/sdk/helpers/anvil";

const TARGETS = { auditToFetchRatio: 2.5, peakRssMb: 512 };
const BATCH = 500;
const TARGET_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const HOLDERS = 40_000;
const EMPTY_BLOCKS_BETWEEN_BATCHES = 24;
/** The baseline's fixed window: about 10,000 logs a page at this chain's density, as the audit aims for. */
const BASELINE_WINDOW = 500;
const RUNS = 3;

interface RunResult {
  seconds: number;
  events: number;
  pages: number;
  maxRssMb: number;
  accounts?: number;
  readMethod?: string;
  ok?: boolean;
}

// ───────────────────────────────────────────── the measured runs (child processes)

async function baselineRun(url: string, deploymentFile: string): Promise<RunResult> {
  const d = parseDeployment(JSON.parse(readFileSync(deploymentFile, "utf8")));
  const started = performance.now();
  const post = async (body: unknown) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return (await res.json()) as { result: unknown[] };
  };
  const head = Number(((await post({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] })) as unknown as { result: string }).result);
  let events = 0;
  let pages = 0;
  for (let from = d.deployBlock; from <= head; from += BASELINE_WINDOW) {
    const to = Math.min(head, from + BASELINE_WINDOW - 1);
    const reply = await post({ jsonrpc: "2.0", id: 2, method: "eth_getLogs", params: [{ address: [d.ledger, d.council], fromBlock: "0x" + from.toString(16), toBlock: "0x" + to.toString(16) }] });
    events += reply.result.length;
    pages++;
  }
  return { seconds: (performance.now() - started) / 1000, events, pages, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function auditRun(url: string, deploymentFile: string): Promise<RunResult> {
  const deployment = JSON.parse(readFileSync(deploymentFile, "utf8"));
  const started = performance.now();
  const report = await audit({ rpcUrl: url, deployment });
  return {
    seconds: (performance.now() - started) / 1000,
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

async function fill({ provider, transact }: Anvil, deploymentFile: string): Promise<void> {
  const s = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.getSigner(i)));
  const addr = await Promise.all(s.map((x) => x.getAddress()));
  const deployment = await deployCityLedger(
    s[0],
    {
      councilMembers: addr.slice(5, 8),
      councilThreshold: 2,
      pauser: addr[8],
      periodSeconds: 86_400,
      domains: ["volunteer", "transport", "culture", "environment"].map((name, i) => ({
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
  const send = (from: string, method: string, args: unknown[]) => transact(from, deployment.ledger, iface.encodeFunctionData(method, args));
  const nonceOf = async (resident: string) =>
    BigInt(await provider.send("eth_call", [{ to: deployment.ledger, data: iface.encodeFunctionData("nonces", [resident, 1]) }, "latest"]));

  // Residents who sign intents: fresh random keys, used only here.
  const signers = Array.from({ length: 50 }, () => ethers.Wallet.createRandom());
  const domain = ledgerDomain(31337, deployment.ledger);
  const types = (kind: keyof typeof intentTypes) => ({ [kind]: intentTypes[kind].map((f) => ({ ...f })) });
  await send(addr[1], "issueBatch", [1, signers.map((w, i) => ({ resident: w.address, amount: 10_000, claimId: 1_000_000 + i }))]);
  await send(addr[1], "proposeAgreement", [1, 2, 3, 7, 0, 0, 1_000_000]);
  await send(addr[2], "approveAgreement", [(1n << 32n) | 2n, 1]);
  await send(addr[1], "setPartner", [1, addr[9], true]);

  const nextClaim = [0, 0, 0, 0, 0];
  let events = 4 + 4 + 4 + 1 + 50 + 3 + 1; // deployment events and the set-up above, roughly
  let batch = 0;
  const started = Date.now();
  while (events < TARGET_EVENTS) {
    const domainId = (batch % 4) + 1;
    const items = Array.from({ length: BATCH }, (_, i) => {
      const j = batch * BATCH + i;
      return { resident: ethers.getAddress(ethers.toBeHex(0x100000 + (j % HOLDERS), 20)), amount: 1 + (j % 97), claimId: nextClaim[domainId]++ };
    });
    await send(addr[domainId], "issueBatch", [domainId, items]);
    events += BATCH;
    // A few residents' intents between batches: exchanges and redemptions.
    for (let k = 0; k < 3; k++) {
      const w = signers[(batch * 3 + k) % signers.length];
      const nonce = await nonceOf(w.address);
      if (k < 2) {
        const intent = { resident: w.address, fromDomain: 1, toDomain: 2, amountIn: 10n, minAmountOut: 0n, nonce, deadline: 1n << 40n };
        const sig = ethers.Signature.from(await w.signTypedData(domain, types("ExchangeIntent"), intent));
        await send(addr[9], "exchange", [intent, sig.v, sig.r, sig.s]);
      } else {
        const intent = { resident: w.address, domainId: 1, amount: 5n, partner: addr[9], orderRef: ethers.id(`order-${batch}`), nonce, deadline: 1n << 40n };
        const sig = ethers.Signature.from(await w.signTypedData(domain, types("RedeemIntent"), intent));
        await send(addr[9], "redeem", [intent, sig.v, sig.r, sig.s]);
      }
      events++;
    }
    await provider.send("anvil_mine", ["0x" + EMPTY_BLOCKS_BETWEEN_BATCHES.toString(16)]);
    batch++;
    if (batch % 40 === 0) console.log(`  ${events} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // Close the first period: the settlement events are part of the ledger too.
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
  const anvil = await startAnvil(["--gas-limit", "30000000"]);
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
      network: "anvil (local child process), automine",
      events: audits[0].events,
      residentAccounts: audits[0].accounts,
      balanceReadMethod: audits[0].readMethod,
      fetchSeconds: round(fetchSeconds),
      auditSeconds: round(auditSeconds),
      auditToFetchRatio: round(auditSeconds / fetchSeconds),
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
