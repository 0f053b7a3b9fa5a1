/**
 * The relay (server/index.ts, as its own process) against a real node behind a proxy that
 * misbehaves (helpers/faultyRpc.ts): receipts and transactions answered as missing the first times
 * they are asked although mined, receipts answered late, and some answers lost after the node acted
 * on the request. A transaction whose nonce the chain has used but whose receipt is not readable yet
 * must never be taken for replaced: every operation ends confirmed, with the transaction that really
 * carried it, and every claim and intent nonce is used once on chain.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, parseEventLogs, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { CITY_CHAIN, startAnvil, type LocalChain } from "../../scripts/lib/anvil";
import { deployDemo, prepareDemoKeys } from "../../scripts/start";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { createAgencyClient, type AgencyClient } from "../../sdk/src/agency";
import type { Operation } from "../../sdk/src/agency/types";
import type { Deployment } from "../../sdk/src/deployment";
import { agreementIdOf, buildExchangeIntent, quoteExchange, signIntent } from "../../sdk/src";
import { startFaultyRpc, type FaultyRpc } from "./helpers/faultyRpc";
import { freePort, killGroup, spawnTs, type Spawned } from "../../scripts/lib/processes";

const ISSUANCES = 500;
const RESIDENTS = 12;
const SEED = Number(process.env.FAULTY_NODE_SEED ?? 20_261_201);

describe("relay behind a node that answers late, partly, or not at all", function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), "faulty-node-"));
  let chain: LocalChain;
  let proxy: FaultyRpc;
  let relay: Spawned;
  let deployment: Deployment;
  let viem: PublicClient;
  let volunteer: AgencyClient;
  let transport: AgencyClient;

  before(async () => {
    chain = await startAnvil({ port: await freePort(), args: CITY_CHAIN });
    viem = createPublicClient({ transport: http(chain.url) });
    const demo = prepareDemoKeys(join(dir, "keys"), "http://127.0.0.1");
    let deploymentPath: string;
    ({ deployment, path: deploymentPath } = await deployDemo(chain.url, demo, 86_400));
    proxy = await startFaultyRpc(chain.url, { hideFirst: 2, receiptDelayMs: 150, dropRate: 0.02, seed: SEED });
    const port = await freePort();
    relay = spawnTs("server/index.ts", {
      RPC_URL: proxy.url,
      DEPLOYMENT_FILE: deploymentPath,
      KEYSTORE_FILE: demo.keystoreFile,
      MASTER_KEY_FILE: demo.masterKeyFile,
      JOURNAL_PATH: join(dir, "journal.db"),
      HOST: "127.0.0.1",
      PORT: String(port),
      // Small batches: many transactions, so many nonces whose receipts the proxy hides.
      BATCH_MAX_ITEMS: "8",
      BATCH_MAX_WAIT_MS: "5",
      POLL_INTERVAL_MS: "20",
      LOG_LEVEL: "warn",
    });
    await relay.waitFor(/relay listening on/, 30_000);
    const url = `http://127.0.0.1:${port}`;
    const client = (name: string) => {
      const c = JSON.parse(readFileSync(join(demo.credentialsDir, `${name}.json`), "utf8"));
      return createAgencyClient({ url, keyId: c.keyId, secret: c.secret, retry: { baseDelayMs: 50 } });
    };
    volunteer = client("volunteer");
    transport = client("transport");
  });

  after(async () => {
    if (relay && relay.child.exitCode === null) {
      killGroup(relay, "SIGTERM");
      const timer = setTimeout(() => killGroup(relay, "SIGKILL"), 5_000);
      await relay.exited;
      clearTimeout(timer);
    }
    await proxy?.stop();
    await chain?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits for every operation, a few at a time. */
  async function finals(client: AgencyClient, ops: Operation[]): Promise<Operation[]> {
    const out: Operation[] = new Array(ops.length);
    let next = 0;
    const follower = async () => {
      while (next < ops.length) {
        const i = next++;
        out[i] = await client.waitForOperation(ops[i].id, { timeoutMs: 120_000, throwOnFailure: false });
      }
    };
    await Promise.all(Array.from({ length: 8 }, follower));
    return out;
  }

  function failures(ops: Operation[]): string[] {
    return ops.filter((op) => op.status !== "confirmed").map((op) => `${op.id} ${op.status} ${JSON.stringify(op.error)}`);
  }

  /** The ledger's events of a transaction, from the node itself (not through the proxy). */
  async function eventsOf(hash: Hex) {
    const receipt = await viem.getTransactionReceipt({ hash });
    return parseEventLogs({ abi: pointsLedgerAbi, logs: receipt.logs.filter((l) => l.address.toLowerCase() === deployment.ledger.toLowerCase()) });
  }

  it(`confirms ${ISSUANCES} single issuances, each with the transaction that issued its claim, each claim once`, async () => {
    const accepted: { op: Operation; claimId: bigint }[] = [];
    let n = 0;
    const sender = async () => {
      while (n < ISSUANCES) {
        const claimId = BigInt(9_000_000 + n++);
        accepted.push({ op: await volunteer.issuePoints({ resident: privateKeyToAccount(generatePrivateKey()).address, amount: 7n, claimId }), claimId });
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    const done = await finals(volunteer, accepted.map((a) => a.op));
    expect(failures(done), "no operation failed").to.deep.equal([]);

    const logs = await viem.getContractEvents({ address: deployment.ledger, abi: pointsLedgerAbi, eventName: "PointsIssued", fromBlock: 0n });
    const byClaim = new Map<bigint, Hex[]>();
    for (const log of logs) byClaim.set(log.args.claimId!, [...(byClaim.get(log.args.claimId!) ?? []), log.transactionHash]);
    const wrong = accepted.filter(({ op, claimId }, i) => {
      const hashes = byClaim.get(claimId) ?? [];
      return hashes.length !== 1 || hashes[0] !== done[i].transaction?.hash.toLowerCase() || done[i].id !== op.id;
    });
    expect(wrong.map((w) => w.op.id), "each claim issued once, by the transaction the relay reported").to.deep.equal([]);
    expect(proxy.counts.hidden, "receipts answered as missing").to.be.greaterThan(ISSUANCES / 16);
    expect(proxy.counts.dropped, "answers lost").to.be.greaterThan(0);
    expect(proxy.counts.delayed, "receipts answered late").to.be.greaterThan(0);
  });

  it("confirms agreement approvals and residents' exchanges (two intents each, sent at once) with their own transactions", async () => {
    const from = 1;
    const to = 2;
    const { currentPeriod } = await volunteer.getDomains();
    const proposed = await finals(volunteer, [
      await volunteer.proposeAgreement({ fromDomain: from, toDomain: to, rateNum: 1, rateDen: 2, validFromPeriod: currentPeriod, validUntilPeriod: currentPeriod + 1_000 }),
    ]);
    expect(failures(proposed)).to.deep.equal([]);
    const approved = await finals(transport, [await transport.approveAgreement({ agreementId: agreementIdOf(from, to), version: 1 })]);
    expect(failures(approved)).to.deep.equal([]);

    const residents: PrivateKeyAccount[] = Array.from({ length: RESIDENTS }, () => privateKeyToAccount(generatePrivateKey()));
    const funded = await Promise.all(residents.map((r, i) => volunteer.issuePoints({ resident: r.address, amount: 100n, claimId: BigInt(8_000_000 + i) })));
    expect(failures(await finals(volunteer, funded))).to.deep.equal([]);

    const ledger = { chainId: deployment.chainId, address: deployment.ledger as Address };
    const quote = await quoteExchange(viem, { ledger: deployment.ledger as Address, fromDomain: from, toDomain: to, amountIn: 20n });
    const submitted: { op: Operation; resident: Address; nonce: bigint }[] = [];
    await Promise.all(
      residents.map(async (resident) => {
        for (const nonce of [0n, 1n]) {
          const intent = buildExchangeIntent({ resident: resident.address, fromDomain: from, toDomain: to, amountIn: 20n, minAmountOut: quote.amountOut, nonce });
          const { signature } = await signIntent(resident, "ExchangeIntent", intent, ledger);
          submitted.push({ op: await volunteer.submitExchange({ intent, signature }), resident: resident.address, nonce });
        }
      }),
    );
    const done = await finals(volunteer, submitted.map((s) => s.op));
    expect(failures(done), "no exchange failed").to.deep.equal([]);
    for (const [i, { resident, nonce }] of submitted.entries()) {
      const exchanged = (await eventsOf(done[i].transaction!.hash)).filter((e) => e.eventName === "PointsExchanged");
      expect(
        exchanged.some((e) => (e.args as { resident: Address }).resident === resident && (e.args as { nonce: bigint }).nonce === nonce),
        `the transaction reported for ${resident}'s intent ${nonce} exchanged it`,
      ).to.equal(true);
    }
    for (const r of residents) {
      expect(await viem.readContract({ address: deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [r.address, BigInt(from)] })).to.equal(60n);
      expect(await viem.readContract({ address: deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [r.address, BigInt(to)] })).to.equal(2n * quote.amountOut);
    }
  });

  it("confirms, with the mined transaction, operations whose transaction the node refused in words but mined", async () => {
    // The relay gives up such a transaction at once (no node admitted to having it) and tries its
    // operations again, which the ledger then refuses as already done: they must end confirmed.
    Object.assign(proxy.faults, { hideFirst: 1, refuseAcceptedRate: 0.3, dropRate: 0 });
    const before = proxy.counts.refusedAccepted;
    const accepted: { op: Operation; claimId: bigint }[] = [];
    for (let i = 0; i < 60; i += 1) {
      const claimId = BigInt(7_000_000 + i);
      accepted.push({ op: await volunteer.issuePoints({ resident: privateKeyToAccount(generatePrivateKey()).address, amount: 3n, claimId }), claimId });
    }
    const done = await finals(volunteer, accepted.map((a) => a.op));
    expect(proxy.counts.refusedAccepted - before, "sends answered with an error although accepted").to.be.greaterThan(0);
    expect(failures(done), "no operation failed").to.deep.equal([]);
    for (const [i, { claimId }] of accepted.entries()) {
      const issued = (await eventsOf(done[i].transaction!.hash)).filter((e) => e.eventName === "PointsIssued");
      expect(issued.some((e) => (e.args as { claimId: bigint }).claimId === claimId), `claim ${claimId} issued by the reported transaction`).to.equal(true);
    }
  });
});
