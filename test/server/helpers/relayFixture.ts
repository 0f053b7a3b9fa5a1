/**
 * A relay on the in-process Hardhat chain: fresh contracts (deployCityLedger), four agencies with
 * fresh keys funded by hardhat_setBalance, the relay app for supertest, and helpers to sign requests
 * and wait for operations.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import hre, { ethers } from "hardhat";
import request from "supertest";
import { custom, HttpRequestError, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { deployCityLedger, type DeploymentPlan } from "../../../scripts/lib/deploy";
import { DEMO_AGENCIES } from "../../../scripts/lib/demoAgencies";
import { signRequest } from "../../../sdk/src/auth";
import type { Deployment } from "../../../sdk/src/deployment";
import { intentTypes, ledgerDomain, type IntentKind, type IntentMessages } from "../../../sdk/src/eip712";
import { parseRelayConfig, type RelayConfig } from "../../../server/config";
import type { Agency, Keystore } from "../../../server/keystore";
import { createLogger } from "../../../server/logger";
import { createRelay, type Relay } from "../../../server/relay";
import type { Operation } from "../../../sdk/src/wire/operations";
import type { PointsLedger } from "../../../typechain-types";

export const GAS_PRICE = 10n ** 10n;

export interface RelayFixture {
  relay: Relay;
  deployment: Deployment;
  agencies: Agency[];
  config: RelayConfig;
  /** Ethers contract of the ledger, as a council member (for reads and council calls). */
  ledger: PointsLedger;
  asCouncil(method: string, args: unknown[]): Promise<void>;
  pauser: Awaited<ReturnType<typeof ethers.getSigners>>[number];
  /** Set `down` to make the relay's chain connection fail as an unreachable node does. */
  outage: { down: boolean };
  /** Where the relay listens, with `listen`. */
  url?: string;
  metricsUrl?: string;
  stop(): Promise<void>;
}

export interface FixtureOptions {
  env?: Record<string, string>;
  residentCap?: bigint;
  quota?: bigint;
  periodSeconds?: number;
  webhooks?: Record<string, string>;
  /** Told of every JSON-RPC call the relay makes through the in-process chain. */
  onRpc?: (method: string, params: unknown[]) => void;
  /** Reach the chain over HTTP at this URL (RPC_URL) instead of in process; `outage` and `onRpc` then do nothing. */
  rpcUrl?: string;
  /** Where the relay's log lines go (silent unless RELAY_TEST_LOG, when not given). */
  logDestination?: { write(line: string): void };
  /** Listen on 127.0.0.1 at a free port (and METRICS_PORT, if set), as `npm run relay` does. */
  listen?: boolean;
}

async function fund(address: Address): Promise<void> {
  await hre.network.provider.request({ method: "hardhat_setBalance", params: [address, "0x3635C9ADC5DEA00000"] });
}

export async function startRelay(options: FixtureOptions = {}): Promise<RelayFixture> {
  const signers = await ethers.getSigners();
  const [deployer, memberA, memberB, pauser] = signers;
  const keys = DEMO_AGENCIES.map(() => privateKeyToAccount(generatePrivateKey()));
  const relayer = privateKeyToAccount(generatePrivateKey());
  await Promise.all([...keys, relayer].map((k) => fund(k.address)));
  const dir = mkdtempSync(join(tmpdir(), "relay-test-"));
  const plan: DeploymentPlan = {
    councilMembers: [memberA.address, memberB.address],
    councilThreshold: 2,
    pauser: pauser.address,
    periodSeconds: options.periodSeconds ?? 86_400,
    domains: DEMO_AGENCIES.map((name, i) => ({
      name,
      agency: keys[i].address,
      pointValue: 10 * (i + 1),
      residentCap: options.residentCap ?? 0n,
      transferable: name === "culture",
      issuers: [{ address: keys[i].address, quota: options.quota ?? 10n ** 15n }],
    })),
  };
  const deployment = await deployCityLedger(deployer, plan, join(dir, "deployment.json"));
  const agencies: Agency[] = keys.map((account, i) => ({
    name: DEMO_AGENCIES[i],
    domainId: i + 1,
    keyId: `key-${DEMO_AGENCIES[i]}-${randomBytes(4).toString("hex")}`,
    secret: randomBytes(32).toString("hex"),
    account,
    webhook: options.webhooks?.[DEMO_AGENCIES[i]] ? { url: options.webhooks[DEMO_AGENCIES[i]], secret: randomBytes(32).toString("hex") } : undefined,
  }));
  const keystore: Keystore = { relayer, agencies, byKeyId: new Map(agencies.map((a) => [a.keyId, a])) };
  const config = parseRelayConfig({
    RPC_URL: options.rpcUrl ?? "http://127.0.0.1:1",
    DEPLOYMENT_FILE: join(dir, "deployment.json"),
    KEYSTORE_FILE: join(dir, "unused-keystore.json"),
    RELAY_MASTER_KEY: randomBytes(32).toString("hex"),
    JOURNAL_PATH: join(dir, "journal.db"),
    GAS_PRICE_WEI: GAS_PRICE.toString(),
    POLL_INTERVAL_MS: "20",
    BATCH_MAX_WAIT_MS: "10",
    LOG_LEVEL: process.env.RELAY_TEST_LOG ?? "silent",
    PORT: "0",
    ...options.env,
  });
  const outage = { down: false };
  const provider = hre.network.provider;
  const transport = custom(
    {
    async request(args: { method: string; params?: unknown[] }) {
      if (outage.down) throw new HttpRequestError({ url: "http://chain.test", details: "connect ECONNREFUSED (simulated outage)" });
      options.onRpc?.(args.method, args.params ?? []);
      return provider.request(args as never);
    },
    },
    { retryCount: 0 },
  );
  const relay = await createRelay({
    config,
    transport: options.rpcUrl ? undefined : transport,
    deployment,
    keystore,
    logger: options.logDestination ? createLogger(config.LOG_LEVEL, options.logDestination) : createLogger(process.env.RELAY_TEST_LOG ?? "silent"),
  });
  const { url, metricsUrl } = await relay.start({ listen: options.listen ?? false });
  const ledger = await ethers.getContractAt("PointsLedger", deployment.ledger);
  const council = await ethers.getContractAt("CityCouncil", deployment.council);
  async function asCouncil(method: string, args: unknown[]): Promise<void> {
    const data = ledger.interface.encodeFunctionData(method as never, args as never);
    await (await council.connect(memberA).propose(deployment.ledger, data, ethers.ZeroHash)).wait();
    const id = await council.proposalCount();
    await (await council.connect(memberB).approve(id)).wait();
    await (await council.connect(memberA).execute(id)).wait();
  }
  return { relay, deployment, agencies, config, ledger, asCouncil, pauser, outage, url, metricsUrl, stop: () => relay.stop() };
}

/** The Host header every supertest request to the fixture's relay carries (requests are signed over it). */
export const TEST_HOST = "relay.test";

/** A supertest request signed as `agency` (fresh timestamp and nonce unless given), addressed to TEST_HOST. */
export function signed(
  fx: RelayFixture,
  agency: Agency,
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: unknown,
  options: { idempotencyKey?: string; timestamp?: number; nonce?: string; rawBody?: string } = {},
) {
  const raw = options.rawBody ?? (body === undefined ? "" : JSON.stringify(body));
  const idempotencyKey = method === "GET" ? undefined : (options.idempotencyKey ?? `idem-${randomBytes(8).toString("hex")}`);
  const headers = signRequest(
    { keyId: agency.keyId, secret: agency.secret },
    { method, host: TEST_HOST, path, idempotencyKey, body: raw, timestamp: options.timestamp, nonce: options.nonce },
  );
  const agent = request(fx.relay.app);
  let req = method === "GET" ? agent.get(path) : method === "POST" ? agent.post(path) : agent.put(path);
  req = req.set("Host", TEST_HOST).set(headers);
  if (raw.length > 0) req = req.set("Content-Type", "application/json").send(raw);
  return req;
}

export function publicRequest(fx: RelayFixture) {
  return request(fx.relay.app);
}

/** Polls the journal until the operation is confirmed or failed. */
export async function waitFinal(fx: RelayFixture, id: string, timeoutMs = 30_000): Promise<Operation> {
  const { presentOperation } = await import("../../../server/events/present");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = await fx.relay.journal.operations.get(id);
    if (op && (op.status === "confirmed" || op.status === "failed")) return presentOperation(op);
    if (Date.now() > deadline) throw new Error(`operation ${id} not final after ${timeoutMs} ms (status ${op?.status})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function randomResident(): PrivateKeyAccount {
  return privateKeyToAccount(generatePrivateKey());
}

export function randomAddress(): Address {
  return privateKeyToAccount(generatePrivateKey()).address;
}

/** Signs a resident's intent for this deployment. */
export async function signIntentAs<K extends IntentKind>(fx: RelayFixture, resident: PrivateKeyAccount, kind: K, message: IntentMessages[K]): Promise<Hex> {
  return resident.signTypedData({
    domain: ledgerDomain(fx.deployment.chainId, fx.deployment.ledger),
    types: { [kind]: intentTypes[kind] },
    primaryType: kind,
    message,
  } as never);
}

export const FAR_DEADLINE = 2n ** 40n;
