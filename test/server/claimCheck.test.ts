/**
 * The claim check every issuance request makes: checks asked together reach the node as one
 * `eth_call` (the SDK's reader under a state override), each answer goes back to its own request,
 * a node that refuses overrides gets plain calls instead, and an unreachable node fails every
 * waiting check with ChainUnreachableError.
 */
import { expect } from "chai";
import hre from "hardhat";
import { custom, HttpRequestError, RpcRequestError } from "viem";
import { ChainGateway, ChainUnreachableError } from "../../server/chain/gateway";
import { LedgerReads } from "../../server/chain/ledgerReads";
import { randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

interface NodeLog {
  overridden: number;
  plain: number;
}

/** A transport to the in-process chain that counts eth_calls, and can refuse overrides or be down. */
function countingReads(fx: RelayFixture, behaviour: { refuseOverrides?: boolean; down?: boolean; gate?: Promise<void> } = {}) {
  const log: NodeLog = { overridden: 0, plain: 0 };
  const transport = custom({
    async request(args: { method: string; params?: unknown[] }) {
      if (behaviour.down) throw new HttpRequestError({ url: "http://chain.test", details: "connect ECONNREFUSED (simulated outage)" });
      if (args.method === "eth_call") {
        const overridden = (args.params?.length ?? 0) > 2;
        if (overridden) log.overridden += 1;
        else log.plain += 1;
        if (behaviour.gate) await behaviour.gate;
        if (overridden && behaviour.refuseOverrides) throw new RpcRequestError({ body: {}, url: "http://chain.test", error: { code: -32602, message: "state override not supported" } });
      }
      return hre.network.provider.request(args as never);
    },
  });
  const reads = new LedgerReads(new ChainGateway(transport), fx.deployment.ledger, BigInt(fx.deployment.deployBlock));
  return { reads, log };
}

describe("relay: claim checks", function () {
  let fx: RelayFixture;
  const used = [7_001n, 7_002n];

  before(async () => {
    fx = await startRelay();
    for (const claimId of used) {
      const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: claimId.toString() });
      expect((await waitFinal(fx, res.body.operation.id)).status).to.equal("confirmed");
    }
  });
  after(async () => fx.stop());

  // Used in domain 1 only: the same ids are free in domain 2, and 7,003 is free everywhere.
  const asked = [
    { domainId: 1, claimId: 7_001n, expected: true },
    { domainId: 1, claimId: 7_003n, expected: false },
    { domainId: 2, claimId: 7_001n, expected: false },
    { domainId: 1, claimId: 7_002n, expected: true },
    { domainId: 3, claimId: 7_002n, expected: false },
  ];

  it("answers checks asked together with one eth_call, each with its own claim's answer", async () => {
    const { reads, log } = countingReads(fx);
    const answers = await Promise.all(asked.map((a) => reads.isClaimUsed(a.domainId, a.claimId)));
    expect(answers).to.deep.equal(asked.map((a) => a.expected));
    expect(log).to.deep.equal({ overridden: 1, plain: 0 });
  });

  it("gathers the checks asked while a read is at the node into one next read, each answered with its own claim", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { reads, log } = countingReads(fx, { gate });
    const first = reads.isClaimUsed(asked[0].domainId, asked[0].claimId);
    const later: Promise<boolean>[] = [];
    // Each in a turn of its own, while the first read is held at the node: one read per turn before.
    for (const a of asked.slice(1)) {
      await new Promise((resolve) => setImmediate(resolve));
      later.push(reads.isClaimUsed(a.domainId, a.claimId));
    }
    expect(log.overridden).to.equal(1);
    release();
    expect([await first, ...(await Promise.all(later))]).to.deep.equal(asked.map((a) => a.expected));
    expect(log).to.deep.equal({ overridden: 2, plain: 0 });
  });

  it("asks again for checks made after the answer, with what the chain says then", async () => {
    const { reads, log } = countingReads(fx);
    expect(await reads.isClaimUsed(1, 7_003n)).to.equal(false);
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: "7003" });
    expect((await waitFinal(fx, res.body.operation.id)).status).to.equal("confirmed");
    expect(await reads.isClaimUsed(1, 7_003n)).to.equal(true);
    expect(log.overridden).to.equal(2);
    asked[1].expected = true;
  });

  it("falls back to plain calls, once and for good, on a node that refuses state overrides", async () => {
    const { reads, log } = countingReads(fx, { refuseOverrides: true });
    const first = await Promise.all(asked.map((a) => reads.isClaimUsed(a.domainId, a.claimId)));
    expect(first).to.deep.equal(asked.map((a) => a.expected));
    expect(log).to.deep.equal({ overridden: 1, plain: asked.length });
    await Promise.all(asked.map((a) => reads.isClaimUsed(a.domainId, a.claimId)));
    expect(log).to.deep.equal({ overridden: 1, plain: 2 * asked.length });
  });

  it("fails every waiting check with ChainUnreachableError when the node is down", async () => {
    const { reads } = countingReads(fx, { down: true });
    const outcomes = await Promise.allSettled(asked.map((a) => reads.isClaimUsed(a.domainId, a.claimId)));
    for (const outcome of outcomes) {
      expect(outcome.status).to.equal("rejected");
      expect((outcome as PromiseRejectedResult).reason).to.be.instanceOf(ChainUnreachableError);
    }
  });
});
