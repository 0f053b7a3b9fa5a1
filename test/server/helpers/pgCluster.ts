/**
 * Several relay instances of one agency keystore on one PostgreSQL journal, against one anvil chain:
 * what the PostgreSQL failover tests share. A real PostgreSQL (scripts/lib/postgres.ts), relay
 * instances as child processes (server/index.ts), a load generator that behaves like an agency
 * behind a load balancer (each request to some instance, retried with its Idempotency-Key on
 * another when unanswered), a TCP proxy that can be cut (a partition), a JSON-RPC proxy recording
 * each instance's sends, and the checks: every claim on chain exactly once, every operation
 * confirmed, and no nonce used twice (every transaction the chain mined for a signer is the one the
 * journal holds at that nonce).
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { createPublicClient, http, parseAbiItem, type Address, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startPostgres, type PostgresServer } from "../../../scripts/lib/postgres";
import { CITY_CHAIN_TIMED, startAnvil, type LocalChain } from "../../../scripts/lib/anvil";
import { deployDemo, prepareDemoKeys, type DemoFiles } from "../../../scripts/start";
import type { Deployment } from "../../../sdk/src/deployment";
import { verifyWebhook } from "../../../sdk/src/auth";
import { seal } from "../../../server/auth/secretBox";
import type { KeystoreFile } from "../../../server/keystore";
import { call, waitOperation, type Credentials } from "./httpClient";
import { freePort, killGroup, spawnTs, type Spawned } from "../../../scripts/lib/processes";

export const ISSUED = parseAbiItem(
  "event PointsIssued(uint32 indexed domainId, address indexed resident, uint256 indexed claimId, address issuer, uint256 amount, uint32 period)",
);

export interface AgencyCredentials extends Credentials {
  agency: string;
  domainId: number;
  signer: Address;
}

export interface Instance {
  name: string;
  url: string;
  process: Spawned;
  pid: number;
  alive(): boolean;
}

export interface Cluster {
  dir: string;
  pg: PostgresServer;
  chain: LocalChain;
  viem: PublicClient;
  deployment: Deployment;
  files: DemoFiles;
  deploymentPath: string;
  volunteer: AgencyCredentials;
  /** Webhook deliveries to the volunteer agency (signature checked), in the order received. */
  webhooks: { id: number; type: string; operation: string }[];
  instances: Instance[];
  /** Starts a relay instance on the shared journal (or through `journalUrl` / `rpcUrl`, e.g. proxies). */
  startInstance(name: string, options?: { journalUrl?: string; rpcUrl?: string; env?: Record<string, string> }): Promise<Instance>;
  /** Runs a query on the journal (as its owner). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The holder of a lease and its token (undefined if never taken). */
  lease(name: string): Promise<{ holder: string; token: number; expired: boolean } | undefined>;
  /** Waits until the instance holds the lease; returns the time it took (ms). */
  waitForHolder(lease: string, instance: Instance, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export const RELAY_ENV = {
  BATCH_MAX_ITEMS: "16",
  BATCH_MAX_WAIT_MS: "10",
  POLL_INTERVAL_MS: "50",
  RECONCILE_INTERVAL_MS: "500",
  REBROADCAST_AFTER_MS: "3000",
  LOG_LEVEL: "info",
};

/** RELAY_TEST_DUMP=<dir>: each instance's whole output is also written there (<prefix>-<name>-<pid>.log). */
export async function startCluster(prefix: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const pg = await startPostgres();
  // A block a second, as on the city's chain: at any moment some transactions are sent and not yet mined.
  const chain = await startAnvil({ args: CITY_CHAIN_TIMED });
  const files = prepareDemoKeys(join(dir, "keys"), "http://127.0.0.1");
  const { deployment, path: deploymentPath } = await deployDemo(chain.url, files, 86_400);
  const volunteer = JSON.parse(readFileSync(join(files.credentialsDir, "volunteer.json"), "utf8")) as AgencyCredentials;
  // The volunteer agency gets a webhook: a receiver here that checks each delivery's signature.
  const webhooks: Cluster["webhooks"] = [];
  const webhookSecret = randomBytes(32).toString("hex");
  const receiver = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      if (!verifyWebhook(webhookSecret, body, String(req.headers["x-cp-webhook-signature"] ?? ""))) {
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as { id: string; type: string; operation: { id: string } };
      webhooks.push({ id: Number(event.id), type: event.type, operation: event.operation.id });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
  const keystore = JSON.parse(readFileSync(files.keystoreFile, "utf8")) as KeystoreFile;
  keystore.agencies[0].webhook = { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`, secret: seal(master, webhookSecret) };
  writeFileSync(files.keystoreFile, JSON.stringify(keystore, null, 2) + "\n", { mode: 0o600 });
  const viem = createPublicClient({ transport: http(chain.url), cacheTime: 0 });
  const instances: Instance[] = [];

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const cluster: Cluster = {
    dir,
    pg,
    chain,
    viem,
    deployment,
    files,
    deploymentPath,
    volunteer,
    webhooks,
    instances,
    async startInstance(name, options = {}) {
      const port = await freePort();
      const child = spawnTs("server/index.ts", {
        RPC_URL: options.rpcUrl ?? chain.url,
        DEPLOYMENT_FILE: deploymentPath,
        KEYSTORE_FILE: files.keystoreFile,
        MASTER_KEY_FILE: files.masterKeyFile,
        JOURNAL_URL: options.journalUrl ?? pg.url,
        JOURNAL_PATH: "",
        HOST: "127.0.0.1",
        PORT: String(port),
        ...RELAY_ENV,
        ...options.env,
      });
      if (process.env.RELAY_TEST_DUMP) {
        const file = createWriteStream(join(process.env.RELAY_TEST_DUMP, `${prefix}-${name}-${child.child.pid}.log`));
        child.child.stdout!.pipe(file);
        child.child.stderr!.pipe(file);
      }
      await child.waitFor(/relay listening on/, 60_000);
      const instance: Instance = {
        name,
        url: `http://127.0.0.1:${port}`,
        process: child,
        pid: child.child.pid!,
        alive: () => child.child.exitCode === null && child.child.signalCode === null,
      };
      instances.push(instance);
      return instance;
    },
    query,
    async lease(name) {
      const rows = await query<{ holder: string; token: number; expired: boolean }>(
        "SELECT holder, token::int AS token, expires_at <= clock_timestamp() AS expired FROM leases WHERE name = $1",
        [name],
      );
      return rows[0];
    },
    async waitForHolder(lease, instance, timeoutMs = 30_000) {
      const started = Date.now();
      for (;;) {
        const held = await cluster.lease(lease);
        if (held && !held.expired && held.holder.split(":")[1] === String(instance.pid)) return Date.now() - started;
        if (Date.now() - started > timeoutMs) throw new Error(`${instance.name} did not take ${lease} within ${timeoutMs} ms (holder: ${JSON.stringify(held)})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await Promise.all(
        instances.map(async (i) => {
          if (!i.alive()) return;
          killGroup(i.process, "SIGCONT");
          killGroup(i.process, "SIGKILL");
          await i.process.exited;
        }),
      );
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await chain.stop();
      if (process.env.RELAY_TEST_DUMP) writeFileSync(join(process.env.RELAY_TEST_DUMP, `${prefix}-postgres.log`), readFileSync(join(pg.dataDir, "..", "server.log")));
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export function signerLease(address: string): string {
  return `signer:${address.toLowerCase()}`;
}

// ─────────────────────────────────────────────────────────── Load

export interface LoadItem {
  key: string;
  body: { resident: Address; amount: string; claimId: string };
  claimId: bigint;
  /** The operation id of the first 202, if any. */
  opId?: string;
}

/** Single issuances of one agency, each to some live instance; an unanswered one is tried on another with the same key. */
export class Load {
  readonly items: LoadItem[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private n = 0;
  accepted = 0;
  unanswered = 0;

  constructor(
    private readonly targets: () => Instance[],
    private readonly credentials: Credentials,
    private readonly claimBase: bigint,
  ) {}

  start(concurrency: number, pauseMs = 0): void {
    this.running = true;
    for (let w = 0; w < concurrency; w += 1) {
      this.workers.push(
        (async () => {
          while (this.running) {
            const item = this.newItem();
            await this.send(item, w);
            if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
          }
        })(),
      );
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  private newItem(): LoadItem {
    this.n += 1;
    const claimId = this.claimBase + BigInt(this.n);
    const item: LoadItem = {
      key: `load-${this.claimBase}-${this.n}`,
      body: { resident: privateKeyToAccount(generatePrivateKey()).address, amount: String(1 + (this.n % 50)), claimId: claimId.toString() },
      claimId,
    };
    this.items.push(item);
    return item;
  }

  /** Up to two instances (as a load balancer would retry); records the operation id of a 202. */
  private async send(item: LoadItem, worker: number): Promise<void> {
    const live = this.targets().filter((t) => t.alive());
    for (let attempt = 0; attempt < Math.min(2, live.length); attempt += 1) {
      const target = live[(worker + this.n + attempt) % live.length];
      try {
        const res = await call(target.url, this.credentials, "POST", "/v1/issuances", item.body, item.key);
        if (res.status === 202) {
          item.opId ??= res.body.operation.id;
          expect(res.body.operation.id, `the same operation for ${item.key}`).to.equal(item.opId);
          this.accepted += 1;
          return;
        }
      } catch {
        // no answer (killed, paused): try the other instance
      }
    }
    this.unanswered += 1;
  }

  /**
   * Every request again with its own key (what an agency does after an outage), until answered 202
   * with the same operation as before; then waits until every operation is final. Returns the finals.
   */
  async settle(target: Instance, timeoutMs = 90_000): Promise<{ id: string; status: string }[]> {
    const deadline = Date.now() + timeoutMs;
    let next = 0;
    const resend = async () => {
      while (next < this.items.length) {
        const item = this.items[next++];
        for (;;) {
          const res = await call(target.url, this.credentials, "POST", "/v1/issuances", item.body, item.key).catch(() => ({ status: 0, body: undefined }));
          if (res.status === 202) {
            if (item.opId) expect(res.body.operation.id, `accepted ${item.key} kept its operation`).to.equal(item.opId);
            item.opId = res.body.operation.id;
            break;
          }
          if (Date.now() > deadline) throw new Error(`${item.key} not accepted by ${target.name}: ${res.status} ${JSON.stringify(res.body)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, resend));
    next = 0;
    const finals: { id: string; status: string }[] = [];
    const follow = async () => {
      while (next < this.items.length) {
        const item = this.items[next++];
        const op = await waitOperation(target.url, this.credentials, item.opId!, Math.max(1_000, deadline - Date.now()));
        finals.push({ id: op.id, status: op.status });
      }
    };
    await Promise.all(Array.from({ length: 8 }, follow));
    return finals;
  }
}

// ─────────────────────────────────────────────────────────── Checks

/** Each claim of the load on chain exactly once (PointsIssued), and nothing else issued in the domain since `fromBlock`. */
export async function expectIssuedOnce(cluster: Cluster, items: LoadItem[], fromBlock: bigint): Promise<void> {
  const logs = await cluster.viem.getLogs({ address: cluster.deployment.ledger as Address, event: ISSUED, fromBlock, args: { domainId: cluster.volunteer.domainId } });
  const counts = new Map<string, number>();
  for (const log of logs) counts.set(String(log.args.claimId), (counts.get(String(log.args.claimId)) ?? 0) + 1);
  const notOnce = items.filter((i) => counts.get(i.claimId.toString()) !== 1).map((i) => `${i.claimId}: ${counts.get(i.claimId.toString()) ?? 0}`);
  expect(notOnce, "claims not issued exactly once").to.deep.equal([]);
  const asked = new Set(items.map((i) => i.claimId.toString()));
  const strays = logs.filter((l) => !asked.has(String(l.args.claimId))).map((l) => `${l.args.claimId}@${l.blockNumber}`);
  expect(strays, `issuances nobody asked for (from block ${fromBlock})`).to.deep.equal([]);
  expect(logs.length).to.equal(items.length);
}

/**
 * No nonce used twice: every transaction the chain mined for the signer since `fromBlock` is the
 * journal's transaction at that nonce (same hash, confirmed); the journal holds at most one live
 * transaction per nonce, nothing is left in flight, and its next nonce is the chain's. Returns the
 * lease tokens under which the transactions were signed, in nonce order.
 */
export async function expectNoncesConsistent(cluster: Cluster, signer: Address, fromBlock: bigint): Promise<number[]> {
  const latest = await cluster.viem.getBlockNumber();
  const mined = new Map<number, string>();
  for (let b = fromBlock; b <= latest; b += 20n) {
    const numbers = Array.from({ length: Number(latest - b + 1n < 20n ? latest - b + 1n : 20n) }, (_, i) => b + BigInt(i));
    const blocks = await Promise.all(numbers.map((blockNumber) => cluster.viem.getBlock({ blockNumber, includeTransactions: true })));
    for (const block of blocks) {
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== signer.toLowerCase()) continue;
        expect(mined.has(tx.nonce), `nonce ${tx.nonce} mined twice`).to.equal(false);
        mined.set(tx.nonce, tx.hash.toLowerCase());
      }
    }
  }
  const rows = await cluster.query<{ nonce: number; hash: string; status: string; kind: string; lease_token: number }>(
    "SELECT nonce::int AS nonce, hash, status, kind, lease_token::int AS lease_token FROM transactions WHERE signer = $1 ORDER BY nonce, id",
    [signer],
  );
  const live = rows.filter((r) => r.status === "signed" || r.status === "sent");
  expect(live, "transactions left in flight").to.deep.equal([]);
  const held = new Map<number, (typeof rows)[number]>();
  for (const r of rows.filter((r) => r.status !== "dropped")) {
    expect(held.has(r.nonce), `two live journal transactions at nonce ${r.nonce}`).to.equal(false);
    held.set(r.nonce, r);
  }
  for (const [nonce, hash] of mined) {
    const journaled = held.get(nonce);
    expect(journaled, `nonce ${nonce} mined with ${hash}, which the journal does not hold`).to.not.equal(undefined);
    expect(journaled!.hash.toLowerCase(), `nonce ${nonce}: mined a transaction other than the journal's`).to.equal(hash);
    expect(journaled!.status, `nonce ${nonce}`).to.be.oneOf(["confirmed", "reverted"]);
  }
  const [next] = await cluster.query<{ next_nonce: number }>("SELECT next_nonce::int AS next_nonce FROM signers WHERE address = $1", [signer]);
  const chainNonce = await cluster.viem.getTransactionCount({ address: signer, blockTag: "latest" });
  expect(next.next_nonce, "journal's next nonce").to.equal(chainNonce);
  expect(await cluster.viem.getTransactionCount({ address: signer, blockTag: "pending" })).to.equal(chainNonce);
  const tokens = rows.filter((r) => r.status !== "dropped" && r.kind !== "filler").map((r) => r.lease_token);
  expect(tokens, "a transaction signed under an older holding after one signed under a newer").to.deep.equal([...tokens].sort((a, b) => a - b));
  return tokens;
}

/** The password of the journal's URL appears in no output of any instance. */
export function expectPasswordNeverShown(cluster: Cluster): void {
  for (const i of cluster.instances) expect(i.process.output().includes(cluster.pg.password), `${i.name} printed the journal's password`).to.equal(false);
}

// ─────────────────────────────────────────────────────────── Proxies

/** A TCP proxy to `port` that can be cut (every connection destroyed, new ones refused at once) and healed. */
export async function tcpProxy(port: number): Promise<{ port: number; cut(): void; heal(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = createConnection({ host: "127.0.0.1", port });
    sockets.add(client);
    sockets.add(upstream);
    if (process.env.RELAY_TEST_DUMP) upstream.on("error", (e) => process.stderr.write(`proxy ${port}: upstream ${e.message}\n`));
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    heal() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A JSON-RPC proxy to the chain that records when each raw transaction was sent through it. */
export async function recordingRpc(upstream: string): Promise<{ url: string; sends: { at: number; raw: string }[]; close(): Promise<void> }> {
  const sends: { at: number; raw: string }[] = [];
  const server: HttpServer = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      try {
        const parsed = JSON.parse(body) as { method: string; params?: unknown[] } | { method: string; params?: unknown[] }[];
        for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
          if (m.method === "eth_sendRawTransaction") sends.push({ at: Date.now(), raw: String(m.params?.[0]).toLowerCase() });
        }
        const answer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(await answer.text());
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    sends,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function randomSuffix(): string {
  return randomBytes(4).toString("hex");
}
