/**
 * `npm run demo`: plays one day of the city points exchange against a running `npm start`, with
 * the SDK only (the agency client for the relay, residents' intents, the auditor), and tells what
 * happened in plain words:
 *   dawn       the council raises the volunteer agency's quota: volunteer proposes, transport
 *              approves, culture executes, each with its own council key (npm run council's steps);
 *   morning    the four agencies issue points to two residents;
 *   midday     volunteer and transport agree a rate (one proposes, the other approves);
 *   afternoon  the residents sign exchanges, and one redeems at a partner;
 *   evening    the period ends (a countdown), is closed, and each agency confirms its settlement;
 *   night      the auditor rebuilds the ledger from the chain alone and checks every invariant.
 *
 * It reads what `npm start` wrote: <DATA_DIR>/credentials/<agency>.json, <DATA_DIR>/council/<agency>.key
 * and <DATA_DIR>/deployments/<chainId>.json. Environment: DATA_DIR (./.data), RELAY_URL (else PORT,
 * else the URL in the credentials), RPC_URL (else the relay's read-only gateway, <relay>/rpc, for
 * reads, and <DATA_DIR>/chain/url, which `npm start` writes, for the council's transactions).
 * Exit status: 0 the day went through and the audit found nothing; 1 anything else.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  agreementIdOf,
  audit,
  buildExchangeIntent,
  buildRedeemIntent,
  CityPointsError,
  claimIdForRecordRef,
  createAgencyClient,
  formatAuditSummary,
  OperationFailedError,
  parseDeployment,
  quoteExchange,
  referenceHash,
  signIntent,
  type AgencyClient,
  type Deployment,
  type Operation,
} from "../sdk/src";
import { pointsLedgerAbi } from "../sdk/src/abi";
import { demoFiles } from "./start";
import { DEMO_AGENCIES, type DemoAgencyName } from "./lib/demoAgencies";
import { connect } from "./council/chain";
import { readMemberKey } from "./council/memberKey";
import { propose } from "./council/propose";
import { vote } from "./council/vote";

class DemoSetupError extends Error {
  override name = "DemoSetupError";
}

interface Setup {
  relayUrl: string;
  rpcUrl: string;
  deployment: Deployment;
  /** Read-only chain access, as a resident's app and the auditor have it. */
  chain: PublicClient;
  clients: Record<DemoAgencyName, AgencyClient>;
  domainOf: Record<DemoAgencyName, number>;
  /** Each agency's relay signer, as its credentials name it. */
  signerOf: Record<DemoAgencyName, string>;
  deploymentPath: string;
  /** Where council members send their transactions: the chain itself (the gateway only reads). */
  councilRpcUrl: string;
  /** Each agency's council key file (npm start keeps them apart from the relay's keys). */
  councilKeyOf: Record<DemoAgencyName, string>;
}

const say = (line = "") => process.stdout.write(`${line}\n`);
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

// ─────────────────────────────────────────────────────────── Finding the running exchange

async function answers(url: string, init?: RequestInit): Promise<Response | undefined> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(3_000) });
  } catch {
    return undefined;
  }
}

async function findExchange(): Promise<Setup> {
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  const start = `start it first in another terminal with \`npm start\`${process.env.DATA_DIR ? ` (same DATA_DIR=${process.env.DATA_DIR})` : ""}`;
  const credentialsDir = join(dataDir, "credentials");
  const credentials = DEMO_AGENCIES.map((name) => {
    const path = join(credentialsDir, `${name}.json`);
    if (!existsSync(path)) throw new DemoSetupError(`No agency credentials at ${path}: the exchange has never been started here; ${start}.`);
    return JSON.parse(readFileSync(path, "utf8")) as { agency: string; domainId: number; relayUrl: string; keyId: string; secret: string; signer: string };
  });
  const relayUrl = process.env.RELAY_URL ?? (process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : credentials[0].relayUrl);
  const rpcUrl = process.env.RPC_URL ?? `${relayUrl}/rpc`;
  const chainUrlFile = demoFiles(dataDir).chainUrlFile;
  const councilRpcUrl = process.env.RPC_URL ?? (existsSync(chainUrlFile) ? readFileSync(chainUrlFile, "utf8").trim() : rpcUrl);

  const health = await answers(`${relayUrl}/health`);
  if (!health?.ok) throw new DemoSetupError(`The relay at ${relayUrl} is not answering: is \`npm start\` running? ${start[0].toUpperCase()}${start.slice(1)}.`);
  const chain = await answers(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
  if (!chain?.ok) throw new DemoSetupError(`The chain at ${rpcUrl} is not answering: is \`npm start\` running?`);
  const chainId = Number(((await chain.json()) as { result: string }).result);
  const deploymentPath = join(dataDir, "deployments", `${chainId}.json`);
  if (!existsSync(deploymentPath)) throw new DemoSetupError(`No deployment record for chain ${chainId} at ${deploymentPath}; ${start}.`);
  const deployment = parseDeployment(JSON.parse(readFileSync(deploymentPath, "utf8")));

  const clients = {} as Record<DemoAgencyName, AgencyClient>;
  const domainOf = {} as Record<DemoAgencyName, number>;
  const signerOf = {} as Record<DemoAgencyName, string>;
  const councilKeyOf = {} as Record<DemoAgencyName, string>;
  for (const [i, name] of DEMO_AGENCIES.entries()) {
    clients[name] = createAgencyClient({ url: relayUrl, keyId: credentials[i].keyId, secret: credentials[i].secret });
    domainOf[name] = credentials[i].domainId;
    signerOf[name] = credentials[i].signer;
    councilKeyOf[name] = join(dataDir, "council", `${name}.key`);
    if (!existsSync(councilKeyOf[name])) throw new DemoSetupError(`No council key at ${councilKeyOf[name]}: this data directory was made by an older \`npm start\`; ${start}.`);
  }
  const chainClient = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
  return { relayUrl, rpcUrl, councilRpcUrl, deployment, chain: chainClient, clients, domainOf, signerOf, deploymentPath, councilKeyOf };
}

// ─────────────────────────────────────────────────────────── The day

interface Resident {
  name: string;
  account: PrivateKeyAccount;
}

/** Waits for operations and names the blocks they landed in. */
async function confirmed(client: AgencyClient, ops: Operation[]): Promise<string> {
  const finals = await Promise.all(ops.map((op) => client.waitForOperation(op, { timeoutMs: 60_000 })));
  const blocks = [...new Set(finals.map((op) => op.transaction?.blockNumber))].sort((a, b) => (a ?? 0) - (b ?? 0));
  return `${finals.length === 1 ? "confirmed" : `${finals.length} operations confirmed`} in block${blocks.length > 1 ? "s" : ""} ${blocks.join(", ")}`;
}

async function dawnCouncilDecision(setup: Setup): Promise<void> {
  say("Dawn: the council raises the volunteer agency's quota (three agencies, each with its own council key)");
  const chain = await connect(setup.councilRpcUrl, setup.deploymentPath, 0n);
  const quotaOnChain = async () =>
    (await setup.chain.readContract({ address: setup.deployment.ledger as Hex, abi: pointsLedgerAbi, functionName: "issuerState", args: [setup.domainOf.volunteer, setup.signerOf.volunteer as Hex] })).quota;
  const before = await quotaOnChain();
  const raised = before + 1_000n;
  const step = (line: string) => line.split("\n")[0];
  const proposed = await propose(chain, readMemberKey(setup.councilKeyOf.volunteer), "set-quota", [String(setup.domainOf.volunteer), setup.signerOf.volunteer, String(raised)], "demo: a busier volunteer season");
  const [, id, call] = /proposal (\d+): (.*)/.exec(proposed)!;
  say(`  volunteer proposed it as proposal ${id}: ${call} (${/tx 0x[0-9a-f]+/.exec(proposed)![0]}).`);
  say(`  transport ${step(await vote(chain, readMemberKey(setup.councilKeyOf.transport), "approve", id))}.`);
  say(`  culture ${step(await vote(chain, readMemberKey(setup.councilKeyOf.culture), "execute", id))}.`);
  const after = await quotaOnChain();
  if (after !== raised) throw new Error(`the quota is ${after} after the council's decision, not ${raised}`);
  say(`  The volunteer agency's quota is now ${after} points per period (was ${before}).`);
  say();
}

async function morningIssuance(setup: Setup, residents: [Resident, Resident], salt: Hex, run: string): Promise<void> {
  say("Morning: each agency issues points for what residents did yesterday");
  const [alice, bob] = residents;
  const plan: Record<DemoAgencyName, { why: string; amounts: [bigint, bigint] }> = {
    volunteer: { why: "volunteer shifts", amounts: [120n, 80n] },
    transport: { why: "green commuting", amounts: [40n, 0n] },
    culture: { why: "museum visits", amounts: [0n, 60n] },
    environment: { why: "sorting their waste", amounts: [30n, 30n] },
  };
  for (const name of DEMO_AGENCIES) {
    const client = setup.clients[name];
    const { why, amounts } = plan[name];
    const items = residents
      .map((r, i) => ({ resident: r.account.address, amount: amounts[i], claimId: claimIdForRecordRef(salt, `${run}:${name}:${r.name}`) }))
      .filter((item) => item.amount > 0n);
    const ops = items.length === 1 ? [await client.issuePoints(items[0])] : await client.issuePointsBatch({ items });
    const where = await confirmed(client, ops);
    const who = items.map((item) => `${item.amount} to ${item.resident === alice.account.address ? alice.name : bob.name}`).join(" and ");
    say(`  ${name} issued ${who} for ${why} (${where}).`);
  }
  const quota = await setup.clients.volunteer.getQuota();
  say(`  The volunteer agency has ${quota.remaining} points of its quota left this period (used ${quota.usedThisPeriod}).`);
  say();
}

async function middayAgreement(setup: Setup): Promise<void> {
  say("Midday: volunteer and transport agree an exchange rate");
  const { volunteer, transport } = setup.clients;
  const from = setup.domainOf.volunteer;
  const to = setup.domainOf.transport;
  const { currentPeriod } = await volunteer.getDomains();
  const proposal = await volunteer.proposeAgreement({ fromDomain: from, toDomain: to, rateNum: 1, rateDen: 2, validFromPeriod: currentPeriod, validUntilPeriod: currentPeriod + 100_000 });
  await volunteer.waitForOperation(proposal);
  const id = agreementIdOf(from, to);
  const pending = (await transport.getAgreements({ all: true })).find((a) => a.agreementId === id)?.pending;
  if (!pending) throw new Error("the proposal is not pending on chain");
  say(`  volunteer proposed version ${pending.version}: 2 volunteer points buy 1 transport point, no cap, from period ${pending.validFromPeriod}.`);
  await transport.waitForOperation(await transport.approveAgreement({ agreementId: id, version: pending.version }));
  const agreement = (await transport.getAgreements()).find((a) => a.agreementId === id);
  if (!agreement?.inForce || agreement.current?.version !== pending.version) throw new Error("the agreement did not come into force");
  say(`  transport approved it: version ${agreement.current.version} is in force (agreement id ${id}).`);
  say();
}

async function afternoonExchangesAndRedemption(setup: Setup, residents: [Resident, Resident], salt: Hex, run: string): Promise<Operation[]> {
  say("Afternoon: residents exchange points in their city app, and one redeems them");
  const { volunteer, transport } = setup.clients;
  const ledger = { chainId: setup.deployment.chainId, address: setup.deployment.ledger };
  const from = setup.domainOf.volunteer;
  const to = setup.domainOf.transport;
  const exchanges: Operation[] = [];
  for (const [resident, amountIn] of [
    [residents[0], 100n],
    [residents[1], 41n],
  ] as const) {
    // The app quotes from the chain: what the rate gives, and the smallest amount that gives as much.
    const quote = await quoteExchange(setup.chain, { ledger: setup.deployment.ledger, fromDomain: from, toDomain: to, amountIn });
    const smallest = quote.smallestAmountIn;
    const { balances } = await volunteer.getBalances({ resident: resident.account.address });
    const intent = buildExchangeIntent({
      resident: resident.account.address,
      fromDomain: from,
      toDomain: to,
      amountIn: smallest,
      minAmountOut: quote.amountOut,
      nonce: balances.find((b) => b.domainId === from)!.nextNonce,
    });
    const { signature } = await signIntent(resident.account, "ExchangeIntent", intent, ledger);
    const op = await volunteer.submitExchange({ intent, signature });
    const where = await confirmed(volunteer, [op]);
    const kept = amountIn - smallest;
    say(
      `  ${resident.name} wanted to exchange ${amountIn} volunteer points; the quote gives ${quote.amountOut} transport points` +
        (kept > 0n ? `, which ${smallest} already buy, so the app signs ${smallest} and ${resident.name} keeps ${kept}` : "") +
        `. Exchanged ${smallest} for ${quote.amountOut} (${where}).`,
    );
    exchanges.push(await volunteer.getOperation(op));
  }

  const partner = privateKeyToAccount(generatePrivateKey()).address;
  await transport.waitForOperation(await transport.setPartner({ partner }));
  // The partner directory shows residents and the partner's checkout this name instead of the address.
  await transport.setPartnerName({ partner, name: "公共自行车服务点" });
  say(`  transport registered the city bike service (${short(partner)}) as a partner where its points are redeemed, named 公共自行车服务点 in the directory.`);
  const alice = residents[0];
  const { balances } = await transport.getBalances({ resident: alice.account.address });
  const redeem = buildRedeemIntent({
    resident: alice.account.address,
    domainId: to,
    amount: 30n,
    partner,
    orderRef: referenceHash(salt, `${run}:bike-rental-1`),
    nonce: balances.find((b) => b.domainId === to)!.nextNonce,
  });
  const { signature } = await signIntent(alice.account, "RedeemIntent", redeem, ledger);
  const where = await confirmed(transport, [await transport.redeemPoints({ intent: redeem, signature })]);
  say(`  ${alice.name} redeemed 30 transport points for a day of bike rental; only a salted hash of the order goes on chain (${where}).`);
  say();
  return exchanges;
}

async function periodOf(setup: Setup, blockNumber: number): Promise<number> {
  const block = await setup.chain.getBlock({ blockNumber: BigInt(blockNumber) });
  return Math.floor((Number(block.timestamp) - setup.deployment.genesisTime) / setup.deployment.periodSeconds);
}

/** Counts down (on one line on a terminal, every 10 s otherwise) until `period` has ended. */
async function waitForPeriodEnd(setup: Setup, period: number): Promise<void> {
  const end = setup.deployment.genesisTime + (period + 1) * setup.deployment.periodSeconds + 1;
  const tty = process.stdout.isTTY === true;
  let lastPrinted = Number.POSITIVE_INFINITY;
  for (;;) {
    const left = end - Math.floor(Date.now() / 1000);
    if (left <= 0) break;
    if (tty) process.stdout.write(`\r  Waiting for period ${period} to end: ${left} s left   `);
    else if (lastPrinted - left >= 10 || lastPrinted === Number.POSITIVE_INFINITY) {
      say(`  Waiting for period ${period} to end: ${left} s left`);
      lastPrinted = left;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  if (tty) process.stdout.write("\r" + " ".repeat(60) + "\r");
  say(`  Period ${period} has ended.`);
}

async function eveningSettlement(setup: Setup, exchanges: Operation[], salt: Hex, run: string): Promise<void> {
  const periods = [...new Set(await Promise.all(exchanges.map((op) => periodOf(setup, op.transaction!.blockNumber!))))].sort((a, b) => a - b);
  say(`Evening: settling period ${periods.join(" and ")} (periods last ${setup.deployment.periodSeconds} s here)`);
  const { volunteer } = setup.clients;
  const nameOf = new Map(DEMO_AGENCIES.map((name) => [setup.domainOf[name], name]));
  for (const period of periods) {
    await waitForPeriodEnd(setup, period);
    try {
      await volunteer.waitForOperation(await volunteer.closeSettlementPeriod({ period }));
      say(`  volunteer closed period ${period}: the ledger netted every exchange into one position per agency.`);
    } catch (error) {
      if (!(error instanceof OperationFailedError && error.errorName === "PointsLedgerPeriodClosed")) throw error;
      say(`  Period ${period} was already closed by someone else.`);
    }
    const statement = await volunteer.getSettlement({ period });
    const sum = statement.positions.reduce((total, p) => total + p.net, 0n);
    for (const p of statement.positions) {
      say(`  ${nameOf.get(p.domainId) ?? `domain ${p.domainId}`} ${p.net < 0n ? `owes ${-p.net}` : `is owed ${p.net}`} value units.`);
    }
    say(`  The positions sum to ${sum}.`);
    for (const p of statement.positions.filter((position) => !position.confirmed)) {
      const name = nameOf.get(p.domainId);
      if (!name) continue;
      const paymentRef = referenceHash(salt, `${run}:payment:${period}:${name}`);
      await setup.clients[name].waitForOperation(await setup.clients[name].confirmSettlement({ period, paymentRef }));
      say(`  ${name} confirmed it ${p.net < 0n ? "paid" : "was paid"} (payment reference ${short(paymentRef)}, a salted hash).`);
    }
    const after = await volunteer.getSettlement({ period });
    say(`  Settlement of period ${period} is ${after.positions.every((p) => p.confirmed) ? "complete: every position confirmed" : "still open"}.`);
  }
  say();
}

async function nightAudit(setup: Setup): Promise<boolean> {
  say("Night: the auditor rebuilds the ledger from the chain alone (not the relay) and checks every invariant");
  const report = await audit({ rpcUrl: setup.rpcUrl, deployment: setup.deployment });
  for (const line of formatAuditSummary(report).split("\n")) say(`  ${line}`.trimEnd());
  say();
  return report.ok;
}

async function residentsAtDusk(setup: Setup, residents: Resident[]): Promise<void> {
  for (const r of residents) {
    const { balances } = await setup.clients.volunteer.getBalances({ resident: r.account.address });
    const held = balances.filter((b) => b.balance > 0n).map((b) => `${b.balance} ${DEMO_AGENCIES.find((n) => setup.domainOf[n] === b.domainId) ?? b.domainId}`);
    say(`  ${r.name} (${short(r.account.address)}) now holds ${held.join(", ") || "nothing"}.`);
  }
  say();
}

async function main(): Promise<number> {
  const setup = await findExchange();
  const run = randomBytes(4).toString("hex");
  const salt = `0x${randomBytes(32).toString("hex")}` as Hex;
  const residents: [Resident, Resident] = [
    { name: "Alice", account: privateKeyToAccount(generatePrivateKey()) },
    { name: "Bob", account: privateKeyToAccount(generatePrivateKey()) },
  ];
  const { domains, currentPeriod, periodSeconds } = await setup.clients.volunteer.getDomains();
  say(`City points exchange: one day, through the relay at ${setup.relayUrl} (chain ${setup.deployment.chainId}, ledger ${setup.deployment.ledger}).`);
  say(`Domains: ${domains.map((d) => `${d.id} ${d.name} (point value ${d.pointValue})`).join(", ")}. Period ${currentPeriod}, ${periodSeconds} s long.`);
  say(`Residents today: ${residents.map((r) => `${r.name} ${short(r.account.address)}`).join(", ")} (pseudonymous addresses, nothing personal).`);
  say();

  await dawnCouncilDecision(setup);
  await morningIssuance(setup, residents, salt, run);
  await middayAgreement(setup);
  const exchanges = await afternoonExchangesAndRedemption(setup, residents, salt, run);
  await residentsAtDusk(setup, residents);
  await eveningSettlement(setup, exchanges, salt, run);
  const clean = await nightAudit(setup);
  say(clean ? "The day is done: points issued in all four domains, exchanged at an agreed rate, redeemed, settled, and the audit found no violations." : "The audit found violations: see above.");
  return clean ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof DemoSetupError) process.stderr.write(`demo: ${error.message}\n`);
      else if (error instanceof CityPointsError) process.stderr.write(`demo failed: ${error.name} (${error.code}): ${error.message}\n`);
      else process.stderr.write(`demo failed: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
