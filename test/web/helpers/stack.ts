/**
 * The browser tests' world, made once per run and shared by the test/web files (the residents'
 * wallet's tests share a second one, see webStack): the web app built
 * (scripts/lib/webBuild.ts, as `npm start` builds it), `npm start` (scripts/start.ts) on a fresh
 * data directory, free ports and a 20-second settlement period, a day of the exchange played through
 * the SDK (issuance, an agreement, a resident's ECDSA-signed exchange, a redemption, a settled
 * period, the partner named in the directory), and headless Chromium. Everything is stopped after the last test of the run.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  agreementIdOf,
  buildExchangeIntent,
  buildRedeemIntent,
  claimIdForRecordRef,
  createAgencyClient,
  parseDeployment,
  referenceHash,
  signIntent,
  type AgencyClient,
  type Deployment,
} from "../../../sdk/src";
import { DEMO_AGENCIES, type DemoAgencyName } from "../../../scripts/lib/demoAgencies";
import { freePort, killGroup, spawnTs, type Spawned } from "../../../scripts/lib/processes";
import { ensureWebBuilt } from "../../../scripts/lib/webBuild";

export const PERIOD_SECONDS = 20;
/** The name the transport agency gives the day's partner in the relay's partner directory. */
export const DAY_PARTNER_NAME = "公共自行车服务点";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export interface WebStack {
  url: string;
  rpcUrl: string;
  deployment: Deployment;
  chain: PublicClient;
  clients: Record<DemoAgencyName, AgencyClient>;
  browser: Browser;
  /** What the day did, for the tests to look up. */
  day: {
    alice: `0x${string}`;
    bob: `0x${string}`;
    partner: `0x${string}`;
    /** The period of the day's operations, closed and settled. */
    period: number;
    exchangeTx: Hex;
    redeemTx: Hex;
    agreementId: string;
  };
  /**
   * The query that makes a page's period window end with the period after the day's (`?to=`): the
   * periods pass every PERIOD_SECONDS, and the default window (the latest 12) would soon leave the
   * day out.
   */
  periodsUpToDay: string;
  /** A page in a new context (nothing stored yet), at `viewport` (desktop) in a browser set to `locale` (zh-CN). */
  newPage(options?: { viewport?: { width: number; height: number }; locale?: string }): Promise<{ context: BrowserContext; page: Page }>;
}

/** What one started stack holds for the `after` hook to stop. */
interface Running {
  system?: Spawned;
  browser?: Browser;
  dataDir: string;
}

const started = new Map<string, Promise<WebStack>>();
const running: Running[] = [];

/**
 * The shared stack, started on first use. The public ledger's tests compare the pages with the
 * whole chain, so they need a chain that only the day wrote to: tests that write to the chain
 * after the day (the residents' wallet) share a stack of their own, `webStack("residents")`,
 * played with the same day.
 */
export function webStack(name: "public" | "residents" = "public"): Promise<WebStack> {
  if (!started.has(name)) started.set(name, start());
  return started.get(name)!;
}

async function start(): Promise<WebStack> {
  const run: Running = { dataDir: mkdtempSync(join(tmpdir(), "web-test-")) };
  running.push(run);
  await ensureWebBuilt(() => undefined);
  const { dataDir } = run;
  const port = await freePort();
  const anvilPort = await freePort();
  const system = spawnTs("scripts/start.ts", {
    DATA_DIR: dataDir,
    PORT: String(port),
    ANVIL_PORT: String(anvilPort),
    PERIOD_SECONDS: String(PERIOD_SECONDS),
    LOG_LEVEL: "warn",
    LEDGER_INDEX_POLL_MS: "100",
    PUBLIC_RATE_LIMIT_PER_MINUTE: "100000",
  });
  run.system = system;
  await system.waitFor(/Ctrl-C stops/, 120_000);
  const url = `http://127.0.0.1:${port}`;
  const rpcUrl = `http://127.0.0.1:${anvilPort}`;
  const chain = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
  const deployment = parseDeployment(JSON.parse(readFileSync(join(dataDir, "deployments", `${await chain.getChainId()}.json`), "utf8")));
  const clients = Object.fromEntries(
    DEMO_AGENCIES.map((name) => {
      const c = JSON.parse(readFileSync(join(dataDir, "credentials", `${name}.json`), "utf8")) as { keyId: string; secret: string };
      return [name, createAgencyClient({ url, keyId: c.keyId, secret: c.secret })];
    }),
  ) as Record<DemoAgencyName, AgencyClient>;
  const day = await playDay(clients, chain, deployment);
  await indexReaches(url, Number(await chain.getBlockNumber()));
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
  run.browser = b;
  return {
    url,
    rpcUrl,
    deployment,
    chain,
    clients,
    browser: b,
    day,
    periodsUpToDay: `?to=${day.period + 1}`,
    async newPage({ viewport = DESKTOP, locale = "zh-CN" } = {}) {
      const context = await b.newContext({ viewport, acceptDownloads: true, locale });
      return { context, page: await context.newPage() };
    },
  };
}

/** Issues, agrees, exchanges (a resident's own ECDSA signature), redeems, then settles the period. */
async function playDay(clients: Record<DemoAgencyName, AgencyClient>, chain: PublicClient, deployment: Deployment): Promise<WebStack["day"]> {
  const { volunteer, transport } = clients;
  const salt = `0x${"5a".repeat(32)}` as Hex;
  const alice = privateKeyToAccount(generatePrivateKey());
  const bob = privateKeyToAccount(generatePrivateKey());
  const partner = privateKeyToAccount(generatePrivateKey()).address;
  const ledger = { chainId: deployment.chainId, address: deployment.ledger };
  // Start at the beginning of a period, so that the whole day falls in one.
  await periodStart(deployment, 14);
  const period = periodNow(deployment);

  const wait = (client: AgencyClient, ops: { id: string }[]) => Promise.all(ops.map((op) => client.waitForOperation(op.id, { timeoutMs: 60_000 })));
  await wait(volunteer, await volunteer.issuePointsBatch({ items: [
    { resident: alice.address, amount: 1_200n, claimId: claimIdForRecordRef(salt, "v-alice") },
    { resident: bob.address, amount: 300n, claimId: claimIdForRecordRef(salt, "v-bob") },
  ] }));
  await wait(transport, [await transport.issuePoints({ resident: bob.address, amount: 80n, claimId: claimIdForRecordRef(salt, "t-bob") })]);
  await wait(clients.culture, [await clients.culture.issuePoints({ resident: alice.address, amount: 45n, claimId: claimIdForRecordRef(salt, "c-alice") })]);

  await wait(volunteer, [await volunteer.proposeAgreement({ fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, periodCap: 10_000n, validFromPeriod: 0, validUntilPeriod: 1_000_000 })]);
  const agreementId = agreementIdOf(1, 2);
  await wait(transport, [await transport.approveAgreement({ agreementId, version: 1 })]);

  const { balances } = await volunteer.getBalances({ resident: alice.address });
  const intent = buildExchangeIntent({ resident: alice.address, fromDomain: 1, toDomain: 2, amountIn: 300n, minAmountOut: 150n, nonce: balances.find((b) => b.domainId === 1)!.nextNonce });
  const { signature } = await signIntent(alice, "ExchangeIntent", intent, ledger);
  const [exchange] = await wait(volunteer, [await volunteer.submitExchange({ intent, signature })]);

  await wait(transport, [await transport.setPartner({ partner })]);
  await transport.setPartnerName({ partner, name: DAY_PARTNER_NAME });
  const bobs = await transport.getBalances({ resident: bob.address });
  const redeem = buildRedeemIntent({ resident: bob.address, domainId: 2, amount: 30n, partner, orderRef: referenceHash(salt, "bike-1"), nonce: bobs.balances.find((b) => b.domainId === 2)!.nextNonce });
  const redeemed = await signIntent(bob, "RedeemIntent", redeem, ledger);
  const [redemption] = await wait(transport, [await transport.redeemPoints({ intent: redeem, signature: redeemed.signature })]);

  const exchangeBlock = await chain.getBlock({ blockNumber: BigInt(exchange.transaction!.blockNumber!) });
  const dayPeriod = Math.floor((Number(exchangeBlock.timestamp) - deployment.genesisTime) / deployment.periodSeconds);
  if (dayPeriod !== period) throw new Error(`the day spilled over into period ${dayPeriod} (it began in ${period}); the machine is too slow for PERIOD_SECONDS=${PERIOD_SECONDS}`);
  await periodStart(deployment, 0, period + 1);
  await wait(volunteer, [await volunteer.closeSettlementPeriod({ period })]);
  await wait(volunteer, [await volunteer.confirmSettlement({ period, paymentRef: referenceHash(salt, "pay-v") })]);
  await wait(transport, [await transport.confirmSettlement({ period, paymentRef: referenceHash(salt, "pay-t") })]);
  return {
    alice: alice.address,
    bob: bob.address,
    partner,
    period,
    exchangeTx: exchange.transaction!.hash as Hex,
    redeemTx: redemption.transaction!.hash as Hex,
    agreementId: agreementId.toString(),
  };
}

function periodNow(d: Deployment): number {
  return Math.floor((Date.now() / 1000 - d.genesisTime) / d.periodSeconds);
}

/** Waits until a period begins: `period`, or the next one unless `secondsLeft` remain of the current. */
async function periodStart(d: Deployment, secondsLeft: number, period?: number): Promise<void> {
  const now = Date.now() / 1000;
  const current = periodNow(d);
  const endOfCurrent = d.genesisTime + (current + 1) * d.periodSeconds;
  const target = period !== undefined ? d.genesisTime + period * d.periodSeconds : endOfCurrent - now >= secondsLeft ? now : endOfCurrent;
  // One second past the boundary: the chain's next block must fall in the new period.
  if (target > now) await new Promise((r) => setTimeout(r, (target - now + 1.2) * 1000));
}

async function indexReaches(url: string, block: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${url}/v1/ledger/overview`);
    const body = (await res.json()) as { index: { block: number } };
    if (body.index.block >= block) return;
    if (Date.now() > deadline) throw new Error(`the relay's index did not reach block ${block}: ${JSON.stringify(body.index)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

after(async function () {
  this.timeout(30_000);
  await Promise.all(running.map(stop));
});

async function stop({ system, browser, dataDir }: Running): Promise<void> {
  await browser?.close().catch(() => undefined);
  if (system && system.child.exitCode === null) {
    killGroup(system, "SIGINT");
    const timer = setTimeout(() => killGroup(system, "SIGKILL"), 10_000);
    await system.exited;
    clearTimeout(timer);
  }
  try {
    process.kill(-Number(readFileSync(join(dataDir, "chain", "anvil.pid"), "utf8")), "SIGKILL");
  } catch {
    // already stopped with npm start, or never started
  }
}
