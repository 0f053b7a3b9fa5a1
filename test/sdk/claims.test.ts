import { expect } from "chai";
import { ethers } from "hardhat";
import { keccak256, toHex } from "viem";
import { claimIdForRecordNumber, claimIdForRecordRef } from "../../sdk/src/claims";
import { deployLedger, DOMAIN } from "../helpers/deploy";

const SALT = keccak256(toHex("claims-test-salt"));
const OTHER_SALT = keccak256(toHex("another-agency-salt"));
/** The ledger's bitmap word of a claim id (LedgerIssuance: bits 8..255 pick the word). */
const wordOf = (claimId: bigint) => claimId >> 8n;

describe("claim ids as agencies use them", () => {
  describe("claimIdForRecordNumber (what the README recommends)", () => {
    it("gives records 0..255 one bitmap word and record 256 the next one", () => {
      const word = wordOf(claimIdForRecordNumber(SALT, 0n));
      for (const n of [1n, 17n, 255n]) expect(wordOf(claimIdForRecordNumber(SALT, n))).to.equal(word);
      expect(wordOf(claimIdForRecordNumber(SALT, 256n))).to.not.equal(word);
      expect(wordOf(claimIdForRecordNumber(SALT, 511n))).to.equal(wordOf(claimIdForRecordNumber(SALT, 256n)));
    });

    it("keeps the record number's low byte as the bit, so consecutive records never collide", () => {
      const ids = Array.from({ length: 600 }, (_, i) => claimIdForRecordNumber(SALT, BigInt(i)));
      expect(new Set(ids).size).to.equal(600);
      expect(ids.map((id) => Number(id & 0xffn)).slice(250, 260)).to.deep.equal([250, 251, 252, 253, 254, 255, 0, 1, 2, 3]);
    });

    it("hides the record number's high part behind the salt: the word is neither the number nor another agency's", () => {
      const id = claimIdForRecordNumber(SALT, 70_000n);
      expect(wordOf(id)).to.not.equal(70_000n >> 8n);
      expect(wordOf(id) > 2n ** 200n).to.equal(true);
      expect(wordOf(claimIdForRecordNumber(OTHER_SALT, 70_000n))).to.not.equal(wordOf(id));
    });

    it("refuses a negative record number", () => {
      expect(() => claimIdForRecordNumber(SALT, -1n)).to.throw(RangeError, /must not be negative/);
    });
  });

  describe("claimIdForRecordRef", () => {
    it("puts every reference in a bitmap word of its own", () => {
      const words = new Set(Array.from({ length: 50 }, (_, i) => wordOf(claimIdForRecordRef(SALT, `shift-${i}`))));
      expect(words.size).to.equal(50);
    });

    it("refuses an empty reference", () => {
      expect(() => claimIdForRecordRef(SALT, "")).to.throw(RangeError, /must not be empty/);
    });
  });

  describe("on the ledger", () => {
    it("a batch of record-number claim ids costs at least 15,000 gas less per item than record-ref ones, and each id counts once", async () => {
      const { ledger, agencies } = await deployLedger();
      const issuer = ledger.connect(agencies[0]);
      const freshResidents = () => Array.from({ length: 20 }, () => ethers.Wallet.createRandom().address);
      const residents = freshResidents();
      // New residents for each batch: a resident who already holds points costs less, whatever the claim id.
      const gasPerItem = async (claimIds: bigint[]) => {
        const items = freshResidents().map((resident, i) => ({ resident, amount: 5n, claimId: claimIds[i] }));
        const receipt = await (await issuer.issueBatch(DOMAIN.volunteer, items)).wait();
        return Number(receipt!.gasUsed) / items.length;
      };
      const byNumber = await gasPerItem(residents.map((_, i) => claimIdForRecordNumber(SALT, BigInt(i))));
      const byRef = await gasPerItem(residents.map((_, i) => claimIdForRecordRef(SALT, `shift-${i}`)));
      expect(byRef - byNumber).to.be.greaterThan(15_000);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, claimIdForRecordNumber(SALT, 19n))).to.equal(true);
      expect(await ledger.isClaimUsed(DOMAIN.volunteer, claimIdForRecordNumber(SALT, 20n))).to.equal(false);
      await expect(issuer.issue(DOMAIN.volunteer, residents[0], 5n, claimIdForRecordNumber(SALT, 3n)))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerClaimUsed")
        .withArgs(DOMAIN.volunteer, claimIdForRecordNumber(SALT, 3n));
    });
  });
});
