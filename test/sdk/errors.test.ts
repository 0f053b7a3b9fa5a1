import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CityPointsError, InvalidArgumentError, SDK_ERROR_CODES } from "../../sdk/src/errors/base";
import { ContractRevertError, decodeRevertData, findRevertData, toContractRevertError } from "../../sdk/src/errors/contract";
import { deployLedger, DOMAIN } from "../helpers/deploy";
import { redeemIntent, signIntent } from "../helpers/intents";

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

async function revertOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error("the call did not revert");
}

describe("contract errors", function () {
  async function ledgerWithIssuance() {
    const setup = await deployLedger();
    await setup.ledger.connect(setup.agencies[0]).issue(DOMAIN.volunteer, await setup.residents[0].getAddress(), 100, 5);
    return setup;
  }

  it("decodes a ledger error with its arguments", async function () {
    const { ledger, agencies, residents } = await loadFixture(ledgerWithIssuance);
    const error = await revertOf(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[1].getAddress(), 1, 5));
    const decoded = decodeRevertData(findRevertData(error))!;
    expect(decoded.errorName).to.equal("PointsLedgerClaimUsed");
    expect(decoded.namedArgs).to.deep.equal({ domainId: DOMAIN.volunteer, claimId: 5n });
  });

  it("decodes OpenZeppelin's AccessControl and ECDSA errors", async function () {
    const { ledger, residents, partner, stranger } = await loadFixture(ledgerWithIssuance);
    const denied = decodeRevertData(findRevertData(await revertOf(ledger.connect(stranger).pause())))!;
    expect(denied.errorName).to.equal("AccessControlUnauthorizedAccount");
    expect(denied.namedArgs).to.deep.equal({ account: await stranger.getAddress(), neededRole: ethers.id("PAUSER_ROLE") });

    const intent = await redeemIntent(ledger, residents[0], { domainId: DOMAIN.volunteer, amount: 1n, partner: await partner.getAddress() });
    const sig = await signIntent(residents[0], ledger, "RedeemIntent", intent);
    const highS = ethers.toBeHex(CURVE_ORDER - BigInt(sig.s), 32);
    const malleable = decodeRevertData(findRevertData(await revertOf(ledger.redeem(intent, sig.v === 27 ? 28 : 27, sig.r, highS))))!;
    expect([malleable.errorName, malleable.namedArgs.s]).to.deep.equal(["ECDSAInvalidSignatureS", highS]);
  });

  it("explains an order paid twice: the partner, the order and that nothing was spent", async function () {
    const { ledger, agencies, residents, partner } = await loadFixture(ledgerWithIssuance);
    const shop = await partner.getAddress();
    await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, shop, true);
    const orderRef = ethers.id("order 41") as `0x${string}`;
    const pay = async () => {
      const intent = await redeemIntent(ledger, residents[0], { domainId: DOMAIN.volunteer, amount: 1n, partner: shop, orderRef });
      const sig = await signIntent(residents[0], ledger, "RedeemIntent", intent);
      return ledger.redeem(intent, sig.v, sig.r, sig.s);
    };
    await (await pay()).wait();
    const error = toContractRevertError(await revertOf(pay()))!;
    expect([error.errorName, error.revert?.namedArgs]).to.deep.equal(["PointsLedgerOrderAlreadyPaid", { partner: shop, orderRef }]);
    expect(error.shortMessage).to.equal(
      `The contract reverted with PointsLedgerOrderAlreadyPaid: order ${orderRef} was already paid to partner ${shop}; a payment request is paid once, so nothing was spent.`,
    );
  });

  it("decodes the ledger error inside a council call that failed", async function () {
    const { ledger, council, members } = await loadFixture(ledgerWithIssuance);
    await council.connect(members[0]).propose(await ledger.getAddress(), ledger.interface.encodeFunctionData("unpause"), ethers.ZeroHash);
    const id = await council.proposalCount();
    await council.connect(members[1]).approve(id);
    const error = toContractRevertError(await revertOf(council.connect(members[0]).execute(id)))!;
    expect(error.errorName).to.equal("CityCouncilCallFailed");
    expect(error.revert?.inner?.errorName).to.equal("PointsLedgerNotPaused");
    expect(error.shortMessage).to.equal("The contract reverted with CityCouncilCallFailed(PointsLedgerNotPaused).");
  });

  it("wraps a revert as a ContractRevertError with name, code, details and cause", async function () {
    const { ledger, agencies, residents } = await loadFixture(ledgerWithIssuance);
    const original = await revertOf(ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await residents[1].getAddress(), 0, 6));
    const error = toContractRevertError(original)!;
    expect(error).to.be.instanceOf(ContractRevertError).and.instanceOf(CityPointsError).and.instanceOf(Error);
    expect([error.name, error.code, error.errorName, error.cause]).to.deep.equal(["ContractRevertError", "CONTRACT_REVERT", "PointsLedgerZeroAmount", original]);
    expect(error.message).to.contain("The contract reverted with PointsLedgerZeroAmount.");
    expect(error.toJSON()).to.deep.equal({
      name: "ContractRevertError",
      code: "CONTRACT_REVERT",
      message: "The contract reverted with PointsLedgerZeroAmount.",
      details: { errorName: "PointsLedgerZeroAmount", args: {}, data: ethers.id("PointsLedgerZeroAmount()").slice(0, 10) },
    });
  });

  it("returns nothing for data that is no known error, or an error without revert data", function () {
    expect(decodeRevertData("0x12345678")).to.equal(undefined);
    expect(decodeRevertData("0x")).to.equal(undefined);
    expect(toContractRevertError(new Error("socket hang up"))).to.equal(undefined);
  });

  it("keeps the base class open to the relay's codes, with bigint details as strings on the wire", function () {
    const cause = new Error("inner");
    const error = new CityPointsError("IDEMPOTENCY_CONFLICT", "The key was used for another request.", { details: { amount: 5n }, cause, status: 409 });
    expect([error.name, error.code, error.status, error.walk()]).to.deep.equal(["CityPointsError", "IDEMPOTENCY_CONFLICT", 409, cause]);
    expect(error.toJSON().details).to.deep.equal({ amount: "5" });
    expect(error.message).to.equal("The key was used for another request.\n\nDetails:\n  amount: 5");
    expect(new InvalidArgumentError("x").name).to.equal("InvalidArgumentError");
    expect(SDK_ERROR_CODES).to.include("CONTRACT_REVERT");
  });
});
