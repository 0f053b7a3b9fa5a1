import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { agreementDomains, agreementIdOf, asAgreementId } from "../../sdk/src/agreementId";
import { isAgreementInForce, isSuspended, isWithinValidity } from "../../sdk/src/agreementInForce";
import { deployLedger } from "../helpers/deploy";

describe("agreement rules (sdk/src/agreementId.ts, agreementInForce.ts)", function () {
  const MAX_DOMAIN = 2 ** 32 - 1;
  const pairs: [number, number][] = [
    [1, 2],
    [2, 1],
    [4, 3],
    [1, MAX_DOMAIN],
    [MAX_DOMAIN, 1],
    [MAX_DOMAIN, MAX_DOMAIN - 1],
  ];

  it("packs a pair of domains exactly as the ledger's agreementIdOf does, and unpacks it back", async function () {
    const { ledger } = await loadFixture(deployLedger);
    for (const [from, to] of pairs) {
      const id = agreementIdOf(from, to);
      expect(id, `${from} → ${to}`).to.equal(await ledger.agreementIdOf(from, to));
      expect(agreementDomains(id)).to.deep.equal({ fromDomain: from, toDomain: to });
    }
    expect(agreementIdOf(1, 2)).to.equal(4_294_967_298n);
    expect(asAgreementId("4294967298")).to.equal(agreementIdOf(1, 2));
  });

  it("an agreement is in force only with a current version, unsuspended, inside its window (both ends included)", function () {
    const current = { validFromPeriod: 5, validUntilPeriod: 7 };
    const open = { suspendedByFrom: false, suspendedByTo: false };
    expect([4, 5, 6, 7, 8].map((p) => isAgreementInForce({ current, ...open }, p))).to.deep.equal([false, true, true, true, false]);
    expect(isAgreementInForce({ ...open }, 6)).to.equal(false);
    expect(isAgreementInForce({ current, suspendedByFrom: true, suspendedByTo: false }, 6)).to.equal(false);
    expect(isAgreementInForce({ current, suspendedByFrom: false, suspendedByTo: true }, 6)).to.equal(false);
  });

  it("names the parts of the rule on their own, as the auditor reports them", function () {
    expect(isWithinValidity({ validFromPeriod: 3, validUntilPeriod: 3 }, 3)).to.equal(true);
    expect(isWithinValidity({ validFromPeriod: 3, validUntilPeriod: 3 }, 2)).to.equal(false);
    expect(isSuspended({ suspendedByFrom: false, suspendedByTo: false })).to.equal(false);
    expect(isSuspended({ suspendedByFrom: false, suspendedByTo: true })).to.equal(true);
  });
});
