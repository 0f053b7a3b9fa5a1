import { expect } from "chai";
import hre from "hardhat";
import { randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

const WAIT_MS = 200;

describe("relay: how long a partial batch waits (server/pipeline/lane.ts)", function () {
  this.timeout(60_000);
  let fx: RelayFixture;
  let claim = 0n;
  const issue = () => signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "1", claimId: String(++claim) });
  const statusOf = async (id: string) => (await fx.relay.journal.operations.get(id))!.status;
  const until = async (id: string, status: string, timeoutMs: number) => {
    const started = Date.now();
    while ((await statusOf(id)) !== status) {
      if (Date.now() - started > timeoutMs) throw new Error(`operation ${id} not ${status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - started;
  };

  before(async () => {
    fx = await startRelay({ env: { BATCH_MAX_WAIT_MS: String(WAIT_MS) } });
  });
  after(async () => {
    await hre.network.provider.send("evm_setAutomine", [true]);
    await fx.stop();
  });

  it("with nothing in flight, sends a lone issuance after BATCH_MAX_WAIT_MS", async () => {
    const res = await issue();
    expect(res.status).to.equal(202);
    const waited = await until(res.body.operation.id, "submitted", 10_000);
    expect(waited).to.be.lessThan(4 * WAIT_MS);
  });

  it("while an earlier transaction is unmined, lets the next partial batch wait longer, then sends it, and both confirm", async () => {
    await hre.network.provider.send("evm_setAutomine", [false]);
    const first = await issue();
    await until(first.body.operation.id, "submitted", 10_000); // sent, and stays unmined
    const second = await issue();
    // Past BATCH_MAX_WAIT_MS the second waits on: the first transaction is still in flight.
    await new Promise((r) => setTimeout(r, 2 * WAIT_MS));
    expect(await statusOf(second.body.operation.id)).to.equal("queued");
    // Within 4 x BATCH_MAX_WAIT_MS (and the next turn) it goes anyway, in a transaction of its own.
    await until(second.body.operation.id, "submitted", 6 * WAIT_MS);
    await hre.network.provider.send("evm_mine", []);
    await hre.network.provider.send("evm_setAutomine", [true]);
    const [a, b] = await Promise.all([waitFinal(fx, first.body.operation.id), waitFinal(fx, second.body.operation.id)]);
    expect([a.status, b.status]).to.deep.equal(["confirmed", "confirmed"]);
    expect(a.transaction!.hash).to.not.equal(b.transaction!.hash);
  });
});
