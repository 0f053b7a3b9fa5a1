import { expect } from "chai";
import { ethers } from "hardhat";
import { batchGasLimit } from "../../server/chain/calls";
import { MAX_BATCH_ITEMS_PER_TX, MAX_TRANSACTION_GAS } from "../../server/chain/gasCap";
import { parseRelayConfig } from "../../server/config";
import { ConfigError } from "../../server/errors";

const ENV = { RPC_URL: "http://127.0.0.1:1", DEPLOYMENT_FILE: "d.json", KEYSTORE_FILE: "k.json", JOURNAL_PATH: "j.db", RELAY_MASTER_KEY: "11".repeat(32) };

describe("relay batches under Osaka's gas cap per transaction (EIP-7825)", function () {
  it("the in-process chain enforces the cap, so a batch sized past it would be refused", async function () {
    const [sender] = await ethers.getSigners();
    await expect(sender.sendTransaction({ to: sender.address, gasLimit: MAX_TRANSACTION_GAS + 1n })).to.be.rejectedWith(/gas limit|cap|exceeds/i);
    const ok = await (await sender.sendTransaction({ to: sender.address, gasLimit: MAX_TRANSACTION_GAS })).wait();
    expect(ok!.status).to.equal(1);
  });

  it("gives the largest batch a gas limit under the cap and refuses a larger one", function () {
    expect(MAX_BATCH_ITEMS_PER_TX).to.equal(302);
    expect(batchGasLimit(MAX_BATCH_ITEMS_PER_TX) <= MAX_TRANSACTION_GAS).to.equal(true);
    expect(() => batchGasLimit(MAX_BATCH_ITEMS_PER_TX + 1)).to.throw(/a batch of 303 issuances may need more than 16777216 gas, the cap per transaction; send at most 302/);
  });

  it("refuses BATCH_MAX_ITEMS above what fits, naming the variable, and takes the largest that fits", function () {
    expect(() => parseRelayConfig({ ...ENV, BATCH_MAX_ITEMS: "500" })).to.throw(ConfigError);
    try {
      parseRelayConfig({ ...ENV, BATCH_MAX_ITEMS: "303" });
      expect.fail("accepted 303");
    } catch (error) {
      expect((error as ConfigError).problems).to.deep.equal(["BATCH_MAX_ITEMS: Too big: expected number to be <=302"]);
    }
    expect(parseRelayConfig({ ...ENV, BATCH_MAX_ITEMS: "302" }).BATCH_MAX_ITEMS).to.equal(302);
    expect(parseRelayConfig(ENV).BATCH_MAX_ITEMS).to.equal(250);
  });
});
