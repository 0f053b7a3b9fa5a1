import { expect } from "chai";
import { signed, startRelay, waitFinal, randomAddress, type RelayFixture } from "./helpers/relayFixture";

describe("relay smoke", function () {
  let fx: RelayFixture;
  before(async () => {
    fx = await startRelay();
  });
  after(async () => fx.stop());

  it("issues one", async () => {
    const resident = randomAddress();
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident, amount: "5", claimId: "1" });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
    expect(await fx.ledger.balanceOf(resident, 1)).to.equal(5n);
  });
});
