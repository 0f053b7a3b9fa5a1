/**
 * The SDK's agency client end to end against a real relay (HTTP on a free port, in-process Hardhat
 * chain): every action, request signing, idempotent retries after a lost response or a 5xx,
 * 429/503 with Retry-After, waitForOperation, the event stream across a disconnect, webhooks, and
 * the mapping of every kind of failure to its error class.
 */
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ethers } from "hardhat";
import type { Address } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import {
  agreementIdOf,
  buildExchangeIntent,
  buildRedeemIntent,
  ChainUnavailableError,
  CityPointsError,
  ConflictError,
  createAgencyClient,
  ForbiddenError,
  HEADER_IDEMPOTENCY_KEY,
  HEADER_NONCE,
  HEADER_WEBHOOK_SIGNATURE,
  InvalidArgumentError,
  InvalidRelayResponseError,
  InvalidRequestError,
  InvalidWebhookError,
  NotFoundError,
  OperationFailedError,
  OperationTimeoutError,
  parseWebhook,
  RateLimitedError,
  referenceHash,
  RelayUnreachableError,
  signIntent,
  signWebhook,
  UnauthenticatedError,
  verifyRequestSignature,
  verifyWebhook,
  type AgencyClient,
  type AgencyClientConfig,
  type OperationEvent,
  type RetryInfo,
} from "../../sdk/src";
import type { Agency } from "../../server/keystore";
import { freePort } from "../../scripts/lib/processes";
import { FAR_DEADLINE, randomAddress, startRelay, type RelayFixture } from "../server/helpers/relayFixture";

const SALT = `0x${"5e".repeat(32)}` as const;

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that records every request it forwards (and can be told to misbehave). */
function recordingFetch(intercept?: (req: Recorded, index: number, forward: () => Promise<Response>, signal?: AbortSignal) => Promise<Response>) {
  const requests: Recorded[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const rec = { method: init?.method ?? "GET", path: url.pathname + url.search, headers, body: typeof init?.body === "string" ? init.body : "" };
    requests.push(rec);
    const forward = () => fetch(input, init);
    return intercept ? intercept(rec, requests.length - 1, forward, init?.signal ?? undefined) : forward();
  };
  return { fetch: wrapped, requests };
}

async function listen(fx: RelayFixture): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = fx.relay.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("SDK agency client against a real relay", function () {
  this.timeout(60_000);
  let fx: RelayFixture;
  let relay: { server: Server; url: string };
  let hook: Server;
  const webhooks: { body: string; signature: string }[] = [];
  const resident = privateKeyToAccount(generatePrivateKey());
  const partner = randomAddress();
  let nextClaim = 1_000n;

  const clientFor = (agency: Agency, config: Partial<AgencyClientConfig> = {}): AgencyClient =>
    createAgencyClient({ url: relay.url, keyId: agency.keyId, secret: agency.secret, retry: { baseDelayMs: 20 }, ...config });
  let volunteer: AgencyClient;
  let transportAgency: AgencyClient;
  const ledger = () => ({ chainId: fx.deployment.chainId, address: fx.deployment.ledger });
  const claim = () => (nextClaim += 1n);

  before(async () => {
    hook = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        webhooks.push({ body, signature: String(req.headers[HEADER_WEBHOOK_SIGNATURE]) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    fx = await startRelay({
      periodSeconds: 3_600,
      env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "100000" },
      webhooks: { volunteer: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook` },
    });
    relay = await listen(fx);
    volunteer = clientFor(fx.agencies[0]);
    transportAgency = clientFor(fx.agencies[1]);
  });

  after(async () => {
    fx.outage.down = false;
    await close(relay.server);
    await fx.stop();
    await new Promise((r) => hook.close(r));
  });

  describe("issuing", () => {
    it("issues to one resident and waits until the operation is confirmed on chain", async () => {
      const claimId = claim();
      const op = await volunteer.issuePoints({ resident: resident.address, amount: 1_000n, claimId });
      expect(op).to.deep.include({ kind: "issue", status: "queued", domainId: 1, claimId });
      expect(op.id).to.match(/^op_[0-9a-f]{32}$/);
      const done = await volunteer.waitForOperation(op.id);
      expect(done.status).to.equal("confirmed");
      expect(done.transaction!.blockNumber).to.be.a("number");
      expect(await fx.ledger.balanceOf(resident.address, 1)).to.equal(1_000n);
      expect(await volunteer.getOperation(op)).to.deep.equal(done);
    });

    it("issues a batch: one operation per item, in order, each confirmed", async () => {
      const residents = [randomAddress(), randomAddress(), randomAddress()];
      const items = residents.map((r, i) => ({ resident: r, amount: BigInt(10 * (i + 1)), claimId: claim() }));
      const ops = await volunteer.issuePointsBatch({ items });
      expect(ops.map((o) => o.claimId)).to.deep.equal(items.map((i) => i.claimId));
      const finals = await Promise.all(ops.map((o) => volunteer.waitForOperation(o)));
      expect(finals.map((o) => o.status)).to.deep.equal(["confirmed", "confirmed", "confirmed"]);
      for (const [i, r] of residents.entries()) expect(await fx.ledger.balanceOf(r, 1)).to.equal(BigInt(10 * (i + 1)));
    });

    it("reads the agency's quota with its use this period, as bigints", async () => {
      const quota = await volunteer.getQuota();
      const onChain = await fx.ledger.issuerState(1, fx.agencies[0].account.address);
      expect(quota).to.deep.include({ domainId: 1, admitted: true, suspended: false, quota: onChain.quota, usedThisPeriod: onChain.usedThisPeriod });
      expect(quota.remaining).to.equal(onChain.quota - onChain.usedThisPeriod);
      expect(quota.issuer.toLowerCase()).to.equal(fx.agencies[0].account.address.toLowerCase());
    });
  });

  describe("agreements, exchanges and redemptions", () => {
    const id12 = agreementIdOf(1, 2);

    it("proposes on one side, shows the pending version, and comes into force when the other approves", async () => {
      const { currentPeriod } = await volunteer.getDomains();
      await volunteer.waitForOperation(
        await volunteer.proposeAgreement({ fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, periodCap: 0n, validFromPeriod: 0, validUntilPeriod: currentPeriod + 1_000 }),
      );
      const pending = (await transportAgency.getAgreements({ all: true })).find((a) => a.agreementId === id12)!;
      expect(pending.inForce).to.equal(false);
      expect(pending.pending).to.deep.include({ version: 1, rateNum: 1, rateDen: 2, periodCap: 0n, approvedByFrom: true, approvedByTo: false });
      await transportAgency.waitForOperation(await transportAgency.approveAgreement({ agreementId: id12, version: pending.pending!.version }));
      const inForce = await volunteer.getAgreements();
      expect(inForce.map((a) => [a.agreementId, a.inForce, a.current?.version])).to.deep.equal([[id12, true, 1]]);
    });

    it("quotes an exchange and forwards a resident's signed exchange", async () => {
      const quote = await volunteer.getQuote({ fromDomain: 1, toDomain: 2, amountIn: 101n });
      expect(quote).to.deep.equal({ fromDomain: 1, toDomain: 2, amountIn: 101n, amountOut: 50n, agreementId: id12, version: 1 });
      const { balances } = await volunteer.getBalances({ resident: resident.address });
      const intent = buildExchangeIntent({
        resident: resident.address,
        fromDomain: 1,
        toDomain: 2,
        amountIn: 100n,
        minAmountOut: 50n,
        nonce: balances.find((b) => b.domainId === 1)!.nextNonce,
        deadline: FAR_DEADLINE,
      });
      const { signature } = await signIntent(resident, "ExchangeIntent", intent, ledger());
      const op = await volunteer.waitForOperation(await volunteer.submitExchange({ intent, signature }));
      expect(op.kind).to.equal("exchange");
      const after = await volunteer.getBalances({ resident: resident.address });
      expect(after.balances.map((b) => [b.domainId, b.balance])).to.deep.equal([
        [1, 900n],
        [2, 50n],
        [3, 0n],
        [4, 0n],
      ]);
      expect(after.balances[0].nextNonce).to.equal(intent.nonce + 1n);
    });

    it("registers a partner and redeems a resident's signed redemption", async () => {
      await transportAgency.waitForOperation(await transportAgency.setPartner({ partner }));
      expect(await fx.ledger.isPartner(2, partner)).to.equal(true);
      const { balances } = await transportAgency.getBalances({ resident: resident.address });
      const intent = buildRedeemIntent({
        resident: resident.address,
        domainId: 2,
        amount: 20n,
        partner,
        orderRef: referenceHash(SALT, "order-1"),
        nonce: balances.find((b) => b.domainId === 2)!.nextNonce,
        deadline: FAR_DEADLINE,
      });
      const { signature } = await signIntent(resident, "RedeemIntent", intent, ledger());
      const op = await transportAgency.waitForOperation(await transportAgency.redeemPoints({ intent, signature }));
      expect(op.kind).to.equal("redeem");
      expect(await fx.ledger.balanceOf(resident.address, 2)).to.equal(30n);
    });

    it("reads a resident's history, the domains and the supply, amounts as bigints", async () => {
      const history = await volunteer.getHistory({ resident: resident.address });
      expect(history.map((e) => e.type)).to.deep.equal(["issued", "exchanged", "redeemed"]);
      expect(history[0]).to.deep.include({ domainId: 1, amount: 1_000n });
      expect(history[1]).to.deep.include({ fromDomain: 1, toDomain: 2, amountIn: 100n, amountOut: 50n, nonce: 0n });
      expect(history[2]).to.deep.include({ domainId: 2, amount: 20n });
      const { domains, periodSeconds } = await volunteer.getDomains();
      expect(periodSeconds).to.equal(3_600);
      expect(domains.map((d) => d.name)).to.deep.equal(["volunteer", "transport", "culture", "environment"]);
      const supply = await volunteer.getSupply();
      for (const d of domains) {
        const view = await fx.ledger.domain(d.id);
        expect(d.supply).to.equal(view.supply);
        expect(supply.find((s) => s.domainId === d.id)!.supply).to.equal(view.supply);
      }
    });

    it("suspends an agreement from either side and lifts its own suspension", async () => {
      await transportAgency.waitForOperation(await transportAgency.suspendAgreement({ agreementId: id12 }));
      expect(await volunteer.getAgreements()).to.deep.equal([]);
      const error = await rejection(volunteer.getQuote({ fromDomain: 1, toDomain: 2, amountIn: 10n }));
      expect(error).to.be.instanceOf(ConflictError);
      expect(error.errorName).to.equal("PointsLedgerAgreementNotInForce");
      await transportAgency.waitForOperation(await transportAgency.suspendAgreement({ agreementId: id12, suspended: false }));
      expect((await volunteer.getAgreements()).map((a) => a.inForce)).to.deep.equal([true]);
    });
  });

  describe("waitForOperation", () => {
    it("throws OperationFailedError with the ledger's error name and arguments, or returns the failed operation", async () => {
      const op = await transportAgency.approveAgreement({ agreementId: agreementIdOf(1, 2), version: 9 });
      const error = await rejection(transportAgency.waitForOperation(op.id));
      expect(error).to.be.instanceOf(OperationFailedError).and.instanceOf(CityPointsError);
      expect([error.name, error.code, error.operationId, error.errorName]).to.deep.equal(["OperationFailedError", "OPERATION_FAILED", op.id, "PointsLedgerNotPending"]);
      const failed = await transportAgency.waitForOperation(op.id, { throwOnFailure: false });
      expect(failed.status).to.equal("failed");
      expect(failed.error!.name).to.equal("PointsLedgerNotPending");
    });

    it("times out with the last status seen while the chain is unreachable, and the operation confirms later", async () => {
      fx.outage.down = true;
      try {
        const op = await volunteer.issuePoints({ resident: randomAddress(), amount: 3n, claimId: claim() });
        const started = Date.now();
        const error = await rejection(volunteer.waitForOperation(op.id, { timeoutMs: 400, pollIntervalMs: 50 }));
        expect(Date.now() - started).to.be.within(350, 3_000);
        expect(error).to.be.instanceOf(OperationTimeoutError);
        expect([error.code, error.operationId]).to.deep.equal(["OPERATION_TIMEOUT", op.id]);
        expect(["queued", "submitted"]).to.include(error.lastStatus);
        fx.outage.down = false;
        expect((await volunteer.waitForOperation(op.id, { timeoutMs: 20_000 })).status).to.equal("confirmed");
      } finally {
        fx.outage.down = false;
      }
    });
  });

  describe("settlement", () => {
    it("closes an ended period, reads the statement, and each side confirms its position", async () => {
      const [exchanged] = await fx.ledger.queryFilter(fx.ledger.filters.PointsExchanged(resident.address));
      const period = Number(exchanged.args.period);
      const open = await volunteer.getSettlement({ period });
      expect(open).to.deep.include({ period, closed: false, positions: [] });
      await ethers.provider.send("evm_increaseTime", [3_600]);
      await ethers.provider.send("evm_mine", []);
      await volunteer.waitForOperation(await volunteer.closeSettlementPeriod({ period }));
      const statement = await transportAgency.getSettlement({ period });
      expect(statement.closed).to.equal(true);
      const net = new Map(statement.positions.map((p) => [p.domainId, p.net]));
      expect(net.get(1)! + net.get(2)!).to.equal(0n);
      expect(net.get(2)).to.equal(50n * 20n); // 50 transport points out, point value 20
      for (const [client, domainId] of [
        [volunteer, 1],
        [transportAgency, 2],
      ] as const) {
        const paymentRef = referenceHash(SALT, `payment-${domainId}`);
        await client.waitForOperation(await client.confirmSettlement({ period, paymentRef }));
        const mine = (await client.getSettlement({ period })).positions.find((p) => p.domainId === domainId)!;
        expect(mine).to.deep.include({ confirmed: true, paymentRef });
      }
      const again = await rejection(volunteer.waitForOperation(await volunteer.closeSettlementPeriod({ period })));
      expect(again.errorName).to.equal("PointsLedgerPeriodClosed");
    });
  });

  describe("signing and retries", () => {
    it("signs each attempt anew (fresh nonce) over the exact path and body, with one Idempotency-Key", async () => {
      let dropped: unknown;
      const rec = recordingFetch(async (_req, index, forward) => {
        const response = await forward();
        if (index > 0) return response;
        dropped = await response.json(); // the relay answered; the answer is lost on the way back
        throw new TypeError("fetch failed (simulated: connection reset before the response)");
      });
      const retries: RetryInfo[] = [];
      const client = clientFor(fx.agencies[0], { fetch: rec.fetch, onRetry: (info) => retries.push(info) });
      const who = randomAddress();
      const op = await client.issuePoints({ resident: who, amount: 7n, claimId: claim() });
      expect(rec.requests).to.have.length(2);
      const [first, second] = rec.requests;
      expect(second.headers[HEADER_IDEMPOTENCY_KEY]).to.equal(first.headers[HEADER_IDEMPOTENCY_KEY]);
      expect(second.headers[HEADER_NONCE]).to.not.equal(first.headers[HEADER_NONCE]);
      expect(second.body).to.equal(first.body);
      for (const r of rec.requests) {
        const signed = {
          method: r.method,
          host: new URL(relay.url).host,
          path: r.path,
          idempotencyKey: r.headers[HEADER_IDEMPOTENCY_KEY],
          body: r.body,
          timestamp: Number(r.headers["x-cp-timestamp"]),
          nonce: r.headers[HEADER_NONCE],
        };
        expect(verifyRequestSignature(fx.agencies[0].secret, signed, r.headers["x-cp-signature"])).to.equal(true);
      }
      expect(retries.map((r) => [r.attempt, r.status])).to.deep.equal([[1, undefined]]);
      // The retry was recognised as the same request: the operation the lost answer carried.
      expect(op.id).to.equal((dropped as { operation: { id: string } }).operation.id);
      await client.waitForOperation(op);
      await new Promise((r) => setTimeout(r, 200));
      expect(await fx.ledger.balanceOf(who, 1)).to.equal(7n);
      const issued = await fx.ledger.queryFilter(fx.ledger.filters.PointsIssued(1, who));
      expect(issued).to.have.length(1);
    });

    it("retries a 5xx (here from a gateway after the relay took the request) with the same key, and the write happens once", async () => {
      const rec = recordingFetch(async (_req, index, forward) => {
        const response = await forward();
        if (index > 0) return response;
        await response.arrayBuffer();
        return new Response("<html>502 Bad Gateway</html>", { status: 502, statusText: "Bad Gateway" });
      });
      const retries: RetryInfo[] = [];
      const client = clientFor(fx.agencies[2], { fetch: rec.fetch, onRetry: (info) => retries.push(info) });
      const batch = [randomAddress(), randomAddress()].map((r) => ({ resident: r, amount: 4n, claimId: claim() }));
      const ops = await client.issuePointsBatch({ items: batch, idempotencyKey: "culture-batch-0001" });
      expect(retries.map((r) => r.status)).to.deep.equal([502]);
      expect(rec.requests.map((r) => r.headers[HEADER_IDEMPOTENCY_KEY])).to.deep.equal(["culture-batch-0001", "culture-batch-0001"]);
      await Promise.all(ops.map((o) => client.waitForOperation(o)));
      for (const item of batch) expect(await fx.ledger.balanceOf(item.resident, 3)).to.equal(4n);
      // The same key again, as a process restarted after a crash would send it: the same operations.
      const again = await client.issuePointsBatch({ items: batch, idempotencyKey: "culture-batch-0001" });
      expect(again.map((o) => o.id)).to.deep.equal(ops.map((o) => o.id));
    });

    it("retries reads after network failures, and gives up with RelayUnreachableError when the relay cannot be reached", async () => {
      const flaky = recordingFetch(async (_req, index, forward) => {
        if (index < 2) throw new TypeError("fetch failed (simulated)");
        return forward();
      });
      const client = clientFor(fx.agencies[0], { fetch: flaky.fetch });
      expect((await client.getDomains()).domains).to.have.length(4);
      expect(flaky.requests).to.have.length(3);

      const port = await freePort();
      const down = createAgencyClient({ url: `http://127.0.0.1:${port}`, keyId: "k", secret: "s", retry: { retries: 2, baseDelayMs: 5 } });
      const error = await rejection(down.issuePoints({ resident: randomAddress(), amount: 1n, claimId: 1n }));
      expect(error).to.be.instanceOf(RelayUnreachableError);
      expect([error.name, error.code, error.details.attempts]).to.deep.equal(["RelayUnreachableError", "RELAY_UNREACHABLE", 3]);
      expect(error.cause).to.be.instanceOf(Error);
    });

    it("waits for the Retry-After of a 429 before retrying", async () => {
      const rec = recordingFetch(async (_req, index, forward) => {
        if (index > 0) return forward();
        const body = JSON.stringify({ error: { code: "rate_limited", message: "too many requests", details: { limitPerMinute: 1 } } });
        return new Response(body, { status: 429, headers: { "content-type": "application/json", "retry-after": "1" } });
      });
      const retries: RetryInfo[] = [];
      const client = clientFor(fx.agencies[0], { fetch: rec.fetch, onRetry: (info) => retries.push(info) });
      const started = Date.now();
      const op = await client.issuePoints({ resident: randomAddress(), amount: 1n, claimId: claim() });
      expect(Date.now() - started).to.be.at.least(1_000);
      expect(retries.map((r) => [r.status, r.delayMs])).to.deep.equal([[429, 1_000]]);
      expect(retries[0].error).to.be.instanceOf(RateLimitedError);
      expect((await client.waitForOperation(op)).status).to.equal("confirmed");
    });
  });

  describe("errors", () => {
    it("refuses bad arguments before sending anything (InvalidArgumentError naming the field)", async () => {
      const rec = recordingFetch();
      const client = clientFor(fx.agencies[0], { fetch: rec.fetch });
      const zero = await rejection(client.issuePoints({ resident: randomAddress(), amount: 0n, claimId: 1n }));
      expect(zero).to.be.instanceOf(InvalidArgumentError);
      expect(zero.details.problems).to.deep.equal(["amount: amount must be at least 1"]);
      const badAddress = await rejection(client.getBalances({ resident: "0x1234" as Address }));
      expect(badAddress.code).to.equal("INVALID_ARGUMENT");
      const badKey = await rejection(client.setPartner({ partner, idempotencyKey: "no spaces allowed" }));
      expect(badKey).to.be.instanceOf(InvalidArgumentError);
      expect(rec.requests).to.have.length(0);
    });

    it("maps the relay's answers to classes with its code, status, details and the ledger's error name", async () => {
      const invalid = await rejection(volunteer.transport.request({ method: "POST", path: "/v1/issuances", body: { resident: "0x1", amount: "1", claimId: "1" } }));
      expect(invalid).to.be.instanceOf(InvalidRequestError);
      expect([invalid.name, invalid.code, invalid.status]).to.deep.equal(["InvalidRequestError", "invalid_request", 400]);
      expect(invalid.fieldIssues.map((i: { path: string }) => i.path)).to.deep.equal(["body.resident"]);

      const forbidden = await rejection(volunteer.issuePoints({ resident: randomAddress(), amount: 1n, claimId: 1n, domainId: 2 }));
      expect(forbidden).to.be.instanceOf(ForbiddenError);
      expect([forbidden.code, forbidden.status]).to.deep.equal(["forbidden", 403]);

      const missing = await rejection(volunteer.getOperation(`op_${"0".repeat(32)}`));
      expect(missing).to.be.instanceOf(NotFoundError);
      expect(missing.status).to.equal(404);

      const noAgreement = await rejection(volunteer.getQuote({ fromDomain: 3, toDomain: 4, amountIn: 5n }));
      expect(noAgreement).to.be.instanceOf(NotFoundError);
      expect(noAgreement.errorName).to.equal("PointsLedgerNoAgreement");

      const used = await rejection(volunteer.issuePoints({ resident: randomAddress(), amount: 1n, claimId: 1_001n }));
      expect(used).to.be.instanceOf(ConflictError);
      expect([used.code, used.status, used.relayDetails]).to.deep.equal(["conflict", 409, { claimIds: ["1001"] }]);

      const key = `reuse-${Date.now()}`;
      await volunteer.issuePoints({ resident: randomAddress(), amount: 1n, claimId: claim(), idempotencyKey: key });
      const reused = await rejection(volunteer.issuePoints({ resident: randomAddress(), amount: 2n, claimId: claim(), idempotencyKey: key }));
      expect(reused).to.be.instanceOf(ConflictError);
      expect(reused.shortMessage).to.match(/Idempotency-Key was already used/);

      const impostor = createAgencyClient({ url: relay.url, keyId: fx.agencies[0].keyId, secret: "not-the-secret" });
      const unauthenticated = await rejection(impostor.getQuota());
      expect(unauthenticated).to.be.instanceOf(UnauthenticatedError);
      expect(unauthenticated.toJSON()).to.deep.include({ name: "UnauthenticatedError", code: "unauthenticated", message: "the request signature does not match" });
    });

    it("refuses an answer that is not the API's (InvalidRelayResponseError)", async () => {
      const liar = recordingFetch(async () => new Response(JSON.stringify({ operation: { id: "op_1", status: "done" } }), { status: 202 }));
      const client = clientFor(fx.agencies[0], { fetch: liar.fetch });
      const error = await rejection(client.issuePoints({ resident: randomAddress(), amount: 1n, claimId: 5n }));
      expect(error).to.be.instanceOf(InvalidRelayResponseError);
      expect(error.code).to.equal("INVALID_RESPONSE");
      expect(error.details.problems.join(" ")).to.include("operation.id");
    });
  });

  describe("the event stream", () => {
    it("delivers every event once, in order, across a disconnect, resuming from the last event id", async () => {
      const start = (await collect(volunteer, undefined)).at(-1)?.id;
      const rec = recordingFetch();
      const client = clientFor(fx.agencies[0], { fetch: rec.fetch });
      const received: OperationEvent[] = [];
      const reconnects: { lastEventId: string | undefined }[] = [];
      const watch = client.watchEvents({
        lastEventId: start,
        reconnectDelayMs: 300,
        onEvent: (event) => {
          received.push(event);
        },
        onReconnect: (info) => reconnects.push(info),
      });
      const firstOps = [];
      for (let i = 0; i < 3; i += 1) firstOps.push(await volunteer.waitForOperation(await volunteer.issuePoints({ resident: randomAddress(), amount: 1n, claimId: claim() })));
      await until(() => received.filter((e) => e.type === "operation.confirmed").length >= 3);
      const beforeCut = received.at(-1)!.id;

      relay.server.closeAllConnections(); // the stream drops; events keep happening meanwhile
      const laterOps = [];
      for (let i = 0; i < 2; i += 1) laterOps.push(await volunteer.waitForOperation(await volunteer.issuePoints({ resident: randomAddress(), amount: 1n, claimId: claim() })));
      await until(() => received.filter((e) => e.type === "operation.confirmed").length >= 5);
      watch.close();
      await watch.done;

      expect(reconnects.length).to.be.at.least(1);
      expect(reconnects[0].lastEventId).to.equal(beforeCut);
      const streams = rec.requests.filter((r) => r.path === "/v1/events");
      expect(streams[1].headers["last-event-id"]).to.equal(beforeCut);
      const ids = received.map((e) => BigInt(e.id));
      expect(ids).to.deep.equal([...ids].sort((a, b) => (a < b ? -1 : 1)));
      expect(new Set(ids).size).to.equal(ids.length);
      expect(received.map((e) => [e.type, e.operation.id])).to.deep.equal(
        [...firstOps, ...laterOps].flatMap((op) => [
          ["operation.submitted", op.id],
          ["operation.confirmed", op.id],
        ]),
      );
      // The same span read afresh in one go is exactly what the watcher saw.
      const fresh = await collect(volunteer, start, (events) => events.at(-1)?.id === received.at(-1)!.id);
      expect(fresh.map((e) => e.id)).to.deep.equal(received.map((e) => e.id));
      expect(watch.lastEventId).to.equal(received.at(-1)!.id);
    });

    it("treats a connection that never answers or goes silent as lost (idle timeout) and reconnects", async () => {
      const start = (await collect(volunteer, undefined)).at(-1)?.id;
      const rec = recordingFetch(async (_req, index, forward, signal) => {
        // First a relay that takes the connection and never answers...
        if (index === 0) return new Promise<Response>((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason)));
        // ...then a half-open connection: headers arrive, then nothing, not even the keep-alives.
        if (index === 1) return new Response(new ReadableStream({ start() {} }), { status: 200, headers: { "content-type": "text/event-stream" } });
        return forward();
      });
      const client = clientFor(fx.agencies[0], { fetch: rec.fetch });
      const op = await volunteer.waitForOperation(await volunteer.issuePoints({ resident: randomAddress(), amount: 1n, claimId: claim() }));
      const reconnects: { error?: unknown; lastEventId: string | undefined }[] = [];
      const seen: string[] = [];
      for await (const event of client.streamEvents({ lastEventId: start, idleTimeoutMs: 300, reconnectDelayMs: 10, onReconnect: (info) => reconnects.push(info) })) {
        seen.push(`${event.type} ${event.operation.id}`);
        if (event.type === "operation.confirmed") break;
      }
      expect(seen).to.deep.equal([`operation.submitted ${op.id}`, `operation.confirmed ${op.id}`]);
      expect(reconnects.map((r) => [(r.error as Error).name, r.lastEventId])).to.deep.equal([
        ["IdleTimeout", start],
        ["IdleTimeout", start],
      ]);
    });

    it("ends with UnauthenticatedError instead of reconnecting when the credentials are wrong", async () => {
      const impostor = createAgencyClient({ url: relay.url, keyId: fx.agencies[0].keyId, secret: "wrong" });
      const error = await rejection((async () => {
        for await (const _event of impostor.streamEvents()) break;
      })());
      expect(error).to.be.instanceOf(UnauthenticatedError);
    });
  });

  describe("webhooks", () => {
    it("verifies the relay's webhooks and reads their events; refuses altered, stale and unsigned ones", async () => {
      await until(async () => webhooks.length >= 2);
      const secret = fx.agencies[0].webhook!.secret;
      const { body, signature } = webhooks[0];
      const event = parseWebhook({ secret, body, signature });
      expect(event.type).to.equal("operation.submitted");
      expect(event.operation.kind).to.equal("issue");
      expect(event.operation.claimId).to.equal(1_001n);
      expect(verifyWebhook(secret, body, signature)).to.deep.include({ ok: true });

      const reasons = [
        () => parseWebhook({ secret, body: body.replace('"issue"', '"redeem"'), signature }),
        () => parseWebhook({ secret, body, signature, now: Math.floor(Date.now() / 1000) + 3_600 }),
        () => parseWebhook({ secret, body, signature: undefined }),
        () => parseWebhook({ secret: "another-secret", body, signature }),
        () => parseWebhook({ secret, body: "{}", signature: signWebhook(secret, "{}") }),
      ].map((attempt) => {
        try {
          attempt();
        } catch (error) {
          expect(error).to.be.instanceOf(InvalidWebhookError);
          return (error as InvalidWebhookError).reason;
        }
        return "accepted";
      });
      expect(reasons).to.deep.equal(["mismatch", "stale", "malformed", "mismatch", "invalid_body"]);
    });
  });

  describe("when the chain is down and the relay refuses writes", () => {
    let strict: RelayFixture;
    let strictRelay: { server: Server; url: string };

    before(async () => {
      strict = await startRelay({ env: { CHAIN_DOWN_WRITES: "refuse", AGENCY_RATE_LIMIT_PER_MINUTE: "10" } });
      strictRelay = await listen(strict);
    });
    after(async () => {
      strict.outage.down = false;
      await close(strictRelay.server);
      await strict.stop();
    });

    it("retries a 503 chain_unavailable after its Retry-After, with the same Idempotency-Key, until the chain is back", async () => {
      const retries: RetryInfo[] = [];
      const rec = recordingFetch();
      const agency = strict.agencies[1];
      const client = createAgencyClient({ url: strictRelay.url, keyId: agency.keyId, secret: agency.secret, fetch: rec.fetch, onRetry: (info) => retries.push(info) });
      strict.outage.down = true;
      setTimeout(() => (strict.outage.down = false), 1_500);
      const started = Date.now();
      const who = randomAddress();
      const op = await client.issuePoints({ resident: who, amount: 6n, claimId: 1n });
      expect(Date.now() - started).to.be.at.least(5_000);
      expect(retries.map((r) => [r.status, r.delayMs])).to.deep.equal([[503, 5_000]]);
      expect(retries[0].error).to.be.instanceOf(ChainUnavailableError);
      expect(new Set(rec.requests.map((r) => r.headers[HEADER_IDEMPOTENCY_KEY])).size).to.equal(1);
      expect((await client.waitForOperation(op)).status).to.equal("confirmed");
      expect(await strict.ledger.balanceOf(who, 2)).to.equal(6n);
    });

    it("does not wait out a Retry-After beyond its bound: the RateLimitedError goes to the caller at once", async () => {
      const agency = strict.agencies[2];
      const retries: RetryInfo[] = [];
      const client = createAgencyClient({ url: strictRelay.url, keyId: agency.keyId, secret: agency.secret, onRetry: (info) => retries.push(info) });
      for (let i = 0; i < 10; i += 1) await client.getQuota();
      const started = Date.now();
      const error = await rejection(client.getQuota());
      expect(Date.now() - started).to.be.below(2_000);
      expect(error).to.be.instanceOf(RateLimitedError);
      expect([error.code, error.status]).to.deep.equal(["rate_limited", 429]);
      expect(error.retryAfterSeconds).to.be.above(30);
      expect(retries).to.deep.equal([]);
    });
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Reads the agency's stream after `after` until `done` says so, or until nothing more comes for half a second. */
async function collect(client: AgencyClient, after: string | undefined, done: (events: OperationEvent[]) => boolean = () => false): Promise<OperationEvent[]> {
  const events: OperationEvent[] = [];
  const stop = new AbortController();
  let idle = setTimeout(() => stop.abort(), 500);
  for await (const event of client.streamEvents({ lastEventId: after, signal: stop.signal })) {
    events.push(event);
    clearTimeout(idle);
    if (done(events)) break;
    idle = setTimeout(() => stop.abort(), 500);
  }
  clearTimeout(idle);
  return events;
}
