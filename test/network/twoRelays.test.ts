/**
 * One relay per agency (docs/network.md, part 6): the same relay software (server/index.ts, as child
 * processes) runs twice against one local chain, each relay with a keystore holding a single agency
 * (volunteer, transport) under its own master key, with its own relayer key, journal and port. Both
 * issue at the same time, singles and a batch each. Then: every operation confirmed and on chain
 * exactly once; each agency signer's nonce sequence used by its own relay only; and the auditor,
 * reading the shared chain alone, finds no violation and counts both domains.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { CITY_CHAIN_TIMED, startAnvil, type LocalChain } from "../../scripts/lib/anvil";
import { deployDemo, prepareDemoKeys } from "../../scripts/start";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { createAgencyClient, type AgencyClient } from "../../sdk/src/agency";
import { audit } from "../../sdk/src/auditor/audit";
import type { AuditReport } from "../../sdk/src/auditor/report";
import type { Deployment } from "../../sdk/src/deployment";
import { UnauthenticatedError } from "../../sdk/src/errors/relay";
import type { Operation } from "../../sdk/src/agency/types";
import { open, seal } from "../../server/auth/secretBox";
import { KEYSTORE_FORMAT, type KeystoreFile } from "../../server/keystore";
import { freePort, killGroup, spawnTs, type Spawned } from "../../scripts/lib/processes";
import { randomAddress } from "../server/helpers/relayFixture";

/** Single issuances per relay, sent while the other relay is sending its own. */
const SINGLES = 300;
/** Items of the one batch request each relay also receives. */
const BATCH = 40;
/** Requests each agency's back office keeps in flight. */
const CONCURRENCY = 16;

interface Credentials {
  agency: string;
  domainId: number;
  keyId: string;
  secret: string;
  signer: Address;
}

interface RelaySide {
  name: "volunteer" | "transport";
  credentials: Credentials;
  relayer: Address;
  url: string;
  process: Spawned;
  client: AgencyClient;
  /** Claim id → amount, for everything this relay was asked to issue. */
  issued: Map<bigint, bigint>;
  finals: Operation[];
}

describe("two relays, one agency each, issuing at once against one chain", function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), "two-relays-"));
  let chain: LocalChain | undefined;
  let deployment: Deployment;
  let viem: PublicClient;
  const sides: RelaySide[] = [];

  /**
   * A relay's own files: a fresh master key, and a keystore with exactly one agency (its API
   * credentials and signing key, resealed under that master key) and a fresh relayer key.
   */
  function relayFiles(demo: ReturnType<typeof prepareDemoKeys>, name: RelaySide["name"]) {
    const demoMaster = Buffer.from(readFileSync(demo.masterKeyFile, "utf8").trim(), "hex");
    const demoKeystore = JSON.parse(readFileSync(demo.keystoreFile, "utf8")) as KeystoreFile;
    const agency = demoKeystore.agencies.find((a) => a.name === name)!;
    const relayDir = join(dir, `relay-${name}`);
    mkdirSync(relayDir, { mode: 0o700 });
    const master = randomBytes(32);
    const relayerKey = generatePrivateKey();
    const keystore: KeystoreFile = {
      format: KEYSTORE_FORMAT,
      relayer: { privateKey: seal(master, relayerKey) },
      agencies: [
        {
          name: agency.name,
          domainId: agency.domainId,
          keyId: agency.keyId,
          secret: seal(master, open(demoMaster, agency.secret)),
          privateKey: seal(master, open(demoMaster, agency.privateKey)),
        },
      ],
    };
    const files = { masterKeyFile: join(relayDir, "master.key"), keystoreFile: join(relayDir, "keystore.json"), journalPath: join(relayDir, "journal.db") };
    writeFileSync(files.masterKeyFile, master.toString("hex") + "\n", { mode: 0o600 });
    writeFileSync(files.keystoreFile, JSON.stringify(keystore, null, 2) + "\n", { mode: 0o600 });
    const credentials = JSON.parse(readFileSync(join(demo.credentialsDir, `${name}.json`), "utf8")) as Credentials;
    return { ...files, credentials, relayer: privateKeyToAccount(relayerKey).address };
  }

  before(async function () {
    // A block a second, as on the city's chain: both signers' transactions share blocks.
    chain = await startAnvil({ port: await freePort(), args: CITY_CHAIN_TIMED });
    viem = createPublicClient({ transport: http(chain.url) });
    const demo = prepareDemoKeys(join(dir, "keys"), "http://127.0.0.1");
    let deploymentPath: string;
    ({ deployment, path: deploymentPath } = await deployDemo(chain.url, demo, 86_400));

    await Promise.all(
      (["volunteer", "transport"] as const).map(async (name) => {
        const files = relayFiles(demo, name);
        const port = await freePort();
        const relay = spawnTs("server/index.ts", {
          RPC_URL: chain!.url,
          DEPLOYMENT_FILE: deploymentPath,
          KEYSTORE_FILE: files.keystoreFile,
          MASTER_KEY_FILE: files.masterKeyFile,
          JOURNAL_PATH: files.journalPath,
          HOST: "127.0.0.1",
          PORT: String(port),
          // Small batches, so that each relay sends many transactions (many nonces) in the same blocks as the other.
          BATCH_MAX_ITEMS: "16",
          BATCH_MAX_WAIT_MS: "10",
          POLL_INTERVAL_MS: "50",
          LOG_LEVEL: "warn",
        });
        const url = `http://127.0.0.1:${port}`;
        sides.push({
          name,
          credentials: files.credentials,
          relayer: files.relayer,
          url,
          process: relay,
          client: createAgencyClient({ url, keyId: files.credentials.keyId, secret: files.credentials.secret, retry: { baseDelayMs: 50 } }),
          issued: new Map(),
          finals: [],
        });
        await relay.waitFor(/relay listening on/, 30_000);
      }),
    );
    sides.sort((a, b) => a.credentials.domainId - b.credentials.domainId);
  });

  after(async function () {
    await Promise.all(
      sides.map(async ({ process: relay }) => {
        if (relay.child.exitCode !== null || relay.child.signalCode !== null) return;
        killGroup(relay, "SIGTERM");
        const timer = setTimeout(() => killGroup(relay, "SIGKILL"), 5_000);
        await relay.exited;
        clearTimeout(timer);
      }),
    );
    await chain?.stop(); // SIGTERM, SIGKILL after 10 s
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs each relay with its own agency only: distinct signers and relayers, the other agency's credentials refused", async function () {
    const [volunteer, transport] = sides;
    expect([volunteer.credentials.domainId, transport.credentials.domainId]).to.deep.equal([1, 2]);
    const keys = [volunteer.credentials.signer, transport.credentials.signer, volunteer.relayer, transport.relayer].map((a) => a.toLowerCase());
    expect(new Set(keys).size, "two agency signers and two relayers, all different").to.equal(4);
    for (const side of sides) {
      const domain = deployment.domains.find((d) => d.id === side.credentials.domainId)!;
      expect(domain.agency.toLowerCase()).to.equal(side.credentials.signer.toLowerCase());
      expect((await side.client.getQuota()).issuer.toLowerCase()).to.equal(side.credentials.signer.toLowerCase());
    }
    const stranger = createAgencyClient({ url: volunteer.url, keyId: transport.credentials.keyId, secret: transport.credentials.secret, retry: { retries: 0 } });
    const refused = await stranger.getQuota().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused, "the volunteer relay must not know the transport agency").to.be.instanceOf(UnauthenticatedError);
  });

  it(`issues ${SINGLES} singles and a batch of ${BATCH} through each relay at the same time, and every operation is confirmed`, async function () {
    const work = sides.map(async (side, s) => {
      // Disjoint claim ids (relay s: s·10^6 + n) and a fresh pseudonymous resident per issuance.
      const claim = (n: number) => BigInt((s + 1) * 1_000_000 + n);
      const amount = (n: number) => BigInt(1 + ((n * (s + 3)) % 97));
      const accepted: Operation[] = [];
      const batchItems = Array.from({ length: BATCH }, (_, i) => ({ resident: randomAddress(), amount: amount(SINGLES + i), claimId: claim(SINGLES + i) }));
      let next = 0;
      const worker = async () => {
        while (next < SINGLES) {
          const n = next++;
          if (n === SINGLES / 2) {
            for (const item of batchItems) side.issued.set(item.claimId, item.amount);
            accepted.push(...(await side.client.issuePointsBatch({ items: batchItems })));
          }
          side.issued.set(claim(n), amount(n));
          accepted.push(await side.client.issuePoints({ resident: randomAddress(), amount: amount(n), claimId: claim(n) }));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(accepted).to.have.length(SINGLES + BATCH);
      next = 0;
      const finals: Operation[] = new Array(accepted.length);
      const follower = async () => {
        while (next < accepted.length) {
          const i = next++;
          finals[i] = await side.client.waitForOperation(accepted[i].id, { timeoutMs: 60_000, throwOnFailure: false });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, follower));
      side.finals = finals;
    });
    await Promise.all(work);

    for (const side of sides) {
      const statuses: Record<string, number> = {};
      for (const op of side.finals) statuses[op.status] = (statuses[op.status] ?? 0) + 1;
      const notConfirmed = side.finals.find((o) => o.status !== "confirmed");
      expect(statuses, `${side.name}: ${JSON.stringify(notConfirmed, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`).to.deep.equal({ confirmed: SINGLES + BATCH });
      expect(side.finals.every((op) => op.domainId === side.credentials.domainId)).to.equal(true);
      expect(new Set(side.finals.map((op) => op.claimId)).size).to.equal(SINGLES + BATCH);
      expect(side.finals.every((op) => op.transaction?.blockNumber !== undefined)).to.equal(true);
    }
  });

  it("puts each claim id in exactly one PointsIssued event, in its relay's domain, from its relay's signer", async function () {
    const events = await viem.getContractEvents({ address: deployment.ledger as Address, abi: pointsLedgerAbi, eventName: "PointsIssued", fromBlock: BigInt(deployment.deployBlock) });
    const seen = new Map<bigint, number>();
    for (const e of events) seen.set(e.args.claimId!, (seen.get(e.args.claimId!) ?? 0) + 1);
    expect([...seen.values()].filter((n) => n !== 1), "claim ids in more than one event").to.deep.equal([]);
    expect(events).to.have.length(sides.reduce((n, s) => n + s.issued.size, 0));
    for (const side of sides) {
      const mine = events.filter((e) => side.issued.has(e.args.claimId!));
      expect(mine, `${side.name}: every claim id it was given is on chain`).to.have.length(side.issued.size);
      for (const e of mine) {
        expect(e.args.domainId).to.equal(side.credentials.domainId);
        expect(e.args.issuer!.toLowerCase()).to.equal(side.credentials.signer.toLowerCase());
        expect(e.args.amount).to.equal(side.issued.get(e.args.claimId!));
      }
      // The operations name the transactions their events are in.
      const opTx = new Map(side.finals.map((op) => [op.claimId!, op.transaction!.hash.toLowerCase()]));
      expect(mine.filter((e) => opTx.get(e.args.claimId!) !== e.transactionHash.toLowerCase())).to.deep.equal([]);
    }
  });

  it("has no nonce clash: each signer's nonce counts exactly its own relay's transactions, all sent from it", async function () {
    for (const side of sides) {
      const hashes = [...new Set(side.finals.map((op) => op.transaction!.hash))] as Hex[];
      expect(hashes.length, `${side.name}: several transactions, so the nonce sequence was exercised`).to.be.greaterThan(5);
      const signer = side.credentials.signer;
      const nonce = await viem.getTransactionCount({ address: signer, blockTag: "latest" });
      expect(nonce, `${side.name}: on-chain nonce of ${signer} vs its relay's distinct transactions`).to.equal(hashes.length);
      const txs = await Promise.all(hashes.map((hash) => viem.getTransaction({ hash })));
      const receipts = await Promise.all(hashes.map((hash) => viem.getTransactionReceipt({ hash })));
      expect(txs.filter((tx) => tx.from.toLowerCase() !== signer.toLowerCase())).to.deep.equal([]);
      expect(receipts.filter((r) => r.from.toLowerCase() !== signer.toLowerCase() || r.status !== "success")).to.deep.equal([]);
      expect(txs.map((tx) => tx.nonce).sort((a, b) => a - b), "nonces 0..n-1, each once").to.deep.equal(Array.from({ length: hashes.length }, (_, i) => i));
      // The operations' recorded nonces agree with the chain's.
      const recorded = new Map(side.finals.map((op) => [op.transaction!.hash, op.transaction!.nonce]));
      expect(txs.filter((tx) => recorded.get(tx.hash) !== tx.nonce)).to.deep.equal([]);
      // Issuance is signed by the agency's key; the relayer key sent nothing.
      expect(await viem.getTransactionCount({ address: side.relayer })).to.equal(0);
    }
    const [a, b] = sides;
    expect(a.credentials.signer.toLowerCase()).to.not.equal(b.credentials.signer.toLowerCase());
    // Both signers were at work in the same blocks: the concurrency was real.
    const blocks = (side: RelaySide) => new Set(side.finals.map((op) => op.transaction!.blockNumber));
    const shared = [...blocks(a)].filter((n) => blocks(b).has(n));
    expect(shared.length, "blocks holding transactions of both relays").to.be.greaterThan(0);
  });

  it("audits clean over the shared chain from the deployment block, counting both domains' issuance", async function () {
    const report: AuditReport = await audit({ rpcUrl: chain!.url, deployment, fromBlock: deployment.deployBlock });
    expect(report.violations).to.deep.equal([]);
    expect(report.violationTotal).to.equal(0);
    expect(report.ok).to.equal(true);
    const total = sides.reduce((n, s) => n + s.issued.size, 0);
    expect(report.events.byName.PointsIssued).to.equal(total);
    expect(report.claimsUsed).to.equal(total);
    for (const side of sides) {
      const sum = [...side.issued.values()].reduce((x, y) => x + y, 0n).toString();
      const domain = report.domains.find((d) => d.id === side.credentials.domainId)!;
      expect({ issued: domain.issued, supply: domain.supply, chainSupply: domain.chainSupply, chainBalanceSum: domain.chainBalanceSum }, side.name).to.deep.equal({
        issued: sum,
        supply: sum,
        chainSupply: sum,
        chainBalanceSum: sum,
      });
      // One fresh resident per issuance: the auditor's accounts per domain count the domain's issuance events.
      expect([domain.accounts, domain.holders], `${side.name}: accounts, holders`).to.deep.equal([side.issued.size, side.issued.size]);
      const agency = report.agencies.find((a) => a.address.toLowerCase() === side.credentials.signer.toLowerCase())!;
      expect(agency, `${side.name}: the auditor's agency entry`).to.not.equal(undefined);
      expect(agency.domains).to.deep.equal([side.credentials.domainId]);
      expect(agency.issued).to.equal(sum);
    }
    for (const d of report.domains.filter((d) => !sides.some((s) => s.credentials.domainId === d.id))) {
      expect([d.name, d.issued], "no relay issued in this domain").to.deep.equal([d.name, "0"]);
    }
  });
});
