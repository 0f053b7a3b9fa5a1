import { expect } from "chai";
import { artifacts, ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signature, Signer } from "ethers";
import { cityLedger, cityLedgerWithAgreement, nextPeriod } from "../helpers/fixtures";
import { DOMAIN } from "../helpers/deploy";
import { exchangeIntent, redeemIntent, signIntent, transferIntent } from "../helpers/intents";
import { hashStruct } from "viem";
import { intentTypes, intentTypeString, ledgerDomain, type IntentKind, type IntentMessages } from "../../sdk/src/eip712";
import type { PointsLedger } from "../../typechain-types";
import { shouldBehaveLikePausable } from "./behaviors/pausable.behavior";

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The ledger with a 1 → 2 agreement at 2/5 and a resident holding 1,000 volunteer and 10 transport points. */
async function fundedResident() {
  const setup = await cityLedgerWithAgreement();
  const { ledger, agencies, residents, partner } = setup;
  const resident = residents[0];
  await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await resident.getAddress(), 1_000, 1);
  await ledger.connect(agencies[1]).issue(DOMAIN.transport, await resident.getAddress(), 10, 1);
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true);
  return { ...setup, resident };
}

/** As `fundedResident`, the resident also holding 50 culture points (a transferable domain). */
async function residentWithCulturePoints() {
  const setup = await fundedResident();
  await setup.ledger.connect(setup.agencies[2]).issue(DOMAIN.culture, await setup.resident.getAddress(), 50, 1);
  return setup;
}

/** The address a signature recovers to under this ledger's real domain. */
async function recoveredUnderLedger(ledger: PointsLedger, message: Record<string, unknown>, sig: Signature): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = ledgerDomain(chainId, (await ledger.getAddress()) as `0x${string}`);
  const digest = ethers.TypedDataEncoder.hash(domain, { ExchangeIntent: [...intentTypes.ExchangeIntent] }, message);
  return ethers.recoverAddress(digest, sig);
}

async function exchangeAs(ledger: PointsLedger, resident: Signer, amountIn: bigint, extra: { minAmountOut?: bigint } = {}) {
  const intent = await exchangeIntent(ledger, resident, { fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn, ...extra });
  const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
  return { intent, sig, tx: ledger.exchange(intent, sig.v, sig.r, sig.s) };
}

describe("PointsLedger residents' intents", function () {
  describe("exchange", function () {
    it("burns in the source domain and credits the destination at the rate, rounding down", async function () {
      const { ledger, resident, agreementId } = await loadFixture(fundedResident);
      const address = await resident.getAddress();
      // 101 * 2 / 5 = 40.4 -> 40: the fraction of a point is never created.
      const { tx } = await exchangeAs(ledger, resident, 101n);
      await expect(tx).to.emit(ledger, "PointsExchanged").withArgs(address, agreementId, 1, 101, 40, 0, 0);
      expect(await ledger.balanceOf(address, DOMAIN.volunteer)).to.equal(899);
      expect(await ledger.balanceOf(address, DOMAIN.transport)).to.equal(50);
      expect((await ledger.domain(DOMAIN.volunteer)).supply).to.equal(899);
      expect((await ledger.domain(DOMAIN.transport)).supply).to.equal(50);
      expect(await ledger.nonces(address, DOMAIN.volunteer)).to.equal(1);
      expect(await ledger.nonces(address, DOMAIN.transport)).to.equal(0);
      // Owed to transport's agency: 40 points at its point value of 20.
      const usage = await ledger.agreementUsage(agreementId, 0);
      expect(usage.amountIn).to.equal(101);
      expect(usage.owed).to.equal(40 * 20);
    });

    it("quotes what the exchange gives", async function () {
      const { ledger, agreementId } = await loadFixture(fundedResident);
      const [amountOut, id, version] = await ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 101);
      expect([amountOut, id, version]).to.deep.equal([40n, agreementId, 1n]);
      await expect(ledger.quoteExchange(DOMAIN.transport, DOMAIN.volunteer, 1))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNoAgreement")
        .withArgs(DOMAIN.transport, DOMAIN.volunteer);
      await expect(ledger.quoteExchange(DOMAIN.volunteer, DOMAIN.transport, 0)).to.be.revertedWithCustomError(ledger, "PointsLedgerZeroAmount");
    });

    it("refuses an amount that would round to nothing, and one below the resident's minimum", async function () {
      const { ledger, resident } = await loadFixture(fundedResident);
      // The rate 2/5 gives 1 for 3, and nothing for 2.
      const tiny = await exchangeAs(ledger, resident, 3n, { minAmountOut: 2n });
      await expect(tiny.tx).to.be.revertedWithCustomError(ledger, "PointsLedgerSlippage").withArgs(1, 2);
      const zero = await exchangeAs(ledger, resident, 2n);
      await expect(zero.tx).to.be.revertedWithCustomError(ledger, "PointsLedgerExchangeTooSmall").withArgs(2);
    });

    it("refuses more than the balance, the same domain twice, zero and oversized amounts", async function () {
      const { ledger, resident } = await loadFixture(fundedResident);
      const address = await resident.getAddress();
      const over = await exchangeAs(ledger, resident, 1_001n);
      await expect(over.tx).to.be.revertedWithCustomError(ledger, "PointsLedgerInsufficientBalance").withArgs(DOMAIN.volunteer, address, 1_000, 1_001);
      for (const [fields, error, args] of [
        [{ toDomain: DOMAIN.volunteer, amountIn: 1n }, "PointsLedgerSameDomain", [DOMAIN.volunteer]],
        [{ amountIn: 0n }, "PointsLedgerZeroAmount", []],
        [{ amountIn: 2n ** 64n }, "PointsLedgerAmountTooLarge", [2n ** 64n]],
      ] as const) {
        const intent = await exchangeIntent(ledger, resident, Object.assign({ fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn: 1n }, fields));
        const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
        await expect(ledger.exchange(intent, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(ledger, error)
          .withArgs(...args);
      }
      expect(await ledger.nonces(address, DOMAIN.volunteer)).to.equal(0);
    });

    it("refuses without an agreement in force: none, suspended by either side, outside its window", async function () {
      const setup = await loadFixture(fundedResident);
      const { ledger, resident, agencies, agreementId } = setup;
      const back = await exchangeIntent(ledger, resident, { fromDomain: DOMAIN.transport, toDomain: DOMAIN.volunteer, amountIn: 1n });
      const backSig = await signIntent(resident, ledger, "ExchangeIntent", back);
      await expect(ledger.exchange(back, backSig.v, backSig.r, backSig.s))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNoAgreement")
        .withArgs(DOMAIN.transport, DOMAIN.volunteer);

      for (const side of [agencies[0], agencies[1]]) {
        await ledger.connect(side).setAgreementSuspended(agreementId, true);
        const { tx } = await exchangeAs(ledger, resident, 10n);
        await expect(tx).to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementNotInForce").withArgs(agreementId, 0);
        await ledger.connect(side).setAgreementSuspended(agreementId, false);
      }
      await (await exchangeAs(ledger, resident, 10n)).tx;

      // A version valid only in periods 2..3.
      await ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 2, 0, 2, 3);
      await ledger.connect(agencies[1]).approveAgreement(agreementId, 2);
      await expect((await exchangeAs(ledger, resident, 10n)).tx)
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementNotInForce")
        .withArgs(agreementId, 0);
      await nextPeriod(setup, 2);
      await expect((await exchangeAs(ledger, resident, 10n)).tx).to.emit(ledger, "PointsExchanged");
      await nextPeriod(setup, 2);
      await expect((await exchangeAs(ledger, resident, 10n)).tx)
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementNotInForce")
        .withArgs(agreementId, 4);
    });

    it("enforces the agreement's cap per period on points in", async function () {
      const setup = await loadFixture(fundedResident);
      const { ledger, resident, agencies, agreementId } = setup;
      await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 2, 5, 100, 0, 2 ** 32 - 1);
      await ledger.connect(agencies[0]).approveAgreement(agreementId, 2);
      await (await exchangeAs(ledger, resident, 60n)).tx;
      await expect((await exchangeAs(ledger, resident, 41n)).tx)
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementCapExceeded")
        .withArgs(agreementId, 41, 40);
      await (await exchangeAs(ledger, resident, 40n)).tx;
      // A new version with a lower cap finds this period's use above it: nothing remains, no underflow.
      await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 2, 5, 50, 0, 2 ** 32 - 1);
      await ledger.connect(agencies[0]).approveAgreement(agreementId, 3);
      await expect((await exchangeAs(ledger, resident, 3n)).tx)
        .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementCapExceeded")
        .withArgs(agreementId, 3, 0);
      await nextPeriod(setup);
      await expect((await exchangeAs(ledger, resident, 50n)).tx).to.emit(ledger, "PointsExchanged");
    });

    describe("pause rules", function () {
      shouldBehaveLikePausable({
        fixture: fundedResident,
        send: async ({ ledger, resident }) => (await exchangeAs(ledger, resident, 10n)).tx,
        event: "PointsExchanged",
        state: async ({ ledger, resident, agreementId }) => {
          const address = await resident.getAddress();
          return [
            await ledger.balanceOf(address, DOMAIN.volunteer),
            await ledger.balanceOf(address, DOMAIN.transport),
            await ledger.nonces(address, DOMAIN.volunteer),
            (await ledger.agreementUsage(agreementId, 0)).amountIn,
          ];
        },
        stoppedBy: [DOMAIN.volunteer, DOMAIN.transport],
      });
    });

    describe("when the signature is attacked", function () {
      it("rejects a replayed intent", async function () {
        const { ledger, resident } = await loadFixture(fundedResident);
        const { intent, sig, tx } = await exchangeAs(ledger, resident, 10n);
        await tx;
        await expect(ledger.exchange(intent, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidNonce")
          .withArgs(DOMAIN.volunteer, intent.resident, 0, 1);
        expect(await ledger.balanceOf(intent.resident, DOMAIN.volunteer)).to.equal(990);
      });

      it("rejects a nonce other than the next one", async function () {
        const { ledger, resident } = await loadFixture(fundedResident);
        const intent = await exchangeIntent(ledger, resident, { fromDomain: 1, toDomain: 2, amountIn: 10n, nonce: 1n });
        const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
        await expect(ledger.exchange(intent, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidNonce")
          .withArgs(DOMAIN.volunteer, intent.resident, 1, 0);
      });

      it("rejects an expired intent", async function () {
        const { ledger, resident } = await loadFixture(fundedResident);
        const deadline = BigInt(await time.latest()) + 60n;
        const intent = await exchangeIntent(ledger, resident, { fromDomain: 1, toDomain: 2, amountIn: 10n, deadline });
        const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
        await time.increaseTo(deadline + 1n);
        await expect(ledger.exchange(intent, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerExpiredSignature")
          .withArgs(deadline);
      });

      it("rejects a signature made for another chain or another contract", async function () {
        const { ledger, resident } = await loadFixture(fundedResident);
        const intent = await exchangeIntent(ledger, resident, { fromDomain: 1, toDomain: 2, amountIn: 10n });
        const { chainId } = await ethers.provider.getNetwork();
        for (const overrides of [{ chainId: chainId + 1n }, { verifyingContract: ethers.Wallet.createRandom().address }]) {
          const sig = await signIntent(resident, ledger, "ExchangeIntent", intent, overrides);
          const recovered = await recoveredUnderLedger(ledger, { ...intent }, sig);
          expect(recovered).to.not.equal(intent.resident);
          await expect(ledger.exchange(intent, sig.v, sig.r, sig.s))
            .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidSigner")
            .withArgs(recovered, intent.resident);
        }
      });

      it("rejects a signature by someone else, and an intent altered after signing", async function () {
        const { ledger, resident, residents } = await loadFixture(fundedResident);
        const intent = await exchangeIntent(ledger, resident, { fromDomain: 1, toDomain: 2, amountIn: 10n });
        const byOther = await signIntent(residents[1], ledger, "ExchangeIntent", intent);
        await expect(ledger.exchange(intent, byOther.v, byOther.r, byOther.s))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidSigner")
          .withArgs(await residents[1].getAddress(), intent.resident);
        const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
        const altered = { ...intent, amountIn: 500n };
        const recovered = await recoveredUnderLedger(ledger, altered, sig);
        await expect(ledger.exchange(altered, sig.v, sig.r, sig.s))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidSigner")
          .withArgs(recovered, intent.resident);
      });

      it("rejects the high-s twin of a valid signature and a malformed v", async function () {
        const { ledger, resident } = await loadFixture(fundedResident);
        const intent = await exchangeIntent(ledger, resident, { fromDomain: 1, toDomain: 2, amountIn: 10n });
        const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
        const highS = ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32);
        const flippedV = sig.v === 27 ? 28 : 27;
        // The twin recovers the same signer with the bare ecrecover precompile; only the low-s rule rejects it.
        const digest = ethers.TypedDataEncoder.hash(
          ledgerDomain((await ethers.provider.getNetwork()).chainId, (await ledger.getAddress()) as `0x${string}`),
          { ExchangeIntent: [...intentTypes.ExchangeIntent] },
          intent,
        );
        const precompile = await ethers.provider.call({
          to: "0x0000000000000000000000000000000000000001",
          data: ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint8", "bytes32", "bytes32"], [digest, flippedV, sig.r, highS]),
        });
        expect(ethers.getAddress(ethers.dataSlice(precompile, 12))).to.equal(intent.resident);
        await expect(ledger.exchange(intent, flippedV, sig.r, highS))
          .to.be.revertedWithCustomError(ledger, "ECDSAInvalidSignatureS")
          .withArgs(highS);
        await expect(ledger.exchange(intent, 29, sig.r, sig.s)).to.be.revertedWithCustomError(ledger, "ECDSAInvalidSignature");
        // The genuine signature still works afterwards: nothing was spent.
        await expect(ledger.exchange(intent, sig.v, sig.r, sig.s)).to.emit(ledger, "PointsExchanged");
      });
    });
  });

  describe("redeem", function () {
    it("burns points for a registered partner, recording the partner and order reference hash", async function () {
      const { ledger, resident, partner } = await loadFixture(fundedResident);
      const address = await resident.getAddress();
      const intent = await redeemIntent(ledger, resident, { domainId: DOMAIN.volunteer, amount: 300n, partner: await partner.getAddress() });
      const sig = await signIntent(resident, ledger, "RedeemIntent", intent);
      await expect(ledger.connect(partner).redeem(intent, sig.v, sig.r, sig.s))
        .to.emit(ledger, "PointsRedeemed")
        .withArgs(DOMAIN.volunteer, address, intent.partner, 300, intent.orderRef, 0);
      expect(await ledger.balanceOf(address, DOMAIN.volunteer)).to.equal(700);
      expect((await ledger.domain(DOMAIN.volunteer)).supply).to.equal(700);
      await expect(ledger.redeem(intent, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidNonce")
        .withArgs(DOMAIN.volunteer, address, 0, 1);
    });

    it("refuses an unknown or removed partner, and too much", async function () {
      const { ledger, resident, partner, stranger } = await loadFixture(fundedResident);
      const address = await resident.getAddress();
      const send = async (fields: { amount: bigint; partner: string }) => {
        const intent = await redeemIntent(ledger, resident, { domainId: DOMAIN.volunteer, ...fields });
        const sig = await signIntent(resident, ledger, "RedeemIntent", intent);
        return ledger.redeem(intent, sig.v, sig.r, sig.s);
      };
      await expect(send({ amount: 1n, partner: await stranger.getAddress() }))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownPartner")
        .withArgs(DOMAIN.volunteer, await stranger.getAddress());
      await expect(send({ amount: 1_001n, partner: await partner.getAddress() }))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInsufficientBalance")
        .withArgs(DOMAIN.volunteer, address, 1_000, 1_001);
      const { ledger: fresh, resident: r2, partner: p2, agencies: a2 } = await loadFixture(fundedResident);
      await expect(fresh.connect(a2[0]).setPartner(DOMAIN.volunteer, await p2.getAddress(), false))
        .to.emit(fresh, "PartnerSet")
        .withArgs(DOMAIN.volunteer, await p2.getAddress(), false);
      const intent = await redeemIntent(fresh, r2, { domainId: DOMAIN.volunteer, amount: 1n, partner: await p2.getAddress() });
      const sig = await signIntent(r2, fresh, "RedeemIntent", intent);
      await expect(fresh.redeem(intent, sig.v, sig.r, sig.s)).to.be.revertedWithCustomError(fresh, "PointsLedgerUnknownPartner");
    });

    it("rejects a redemption signed by someone else or expired", async function () {
      const { ledger, resident, residents, partner } = await loadFixture(fundedResident);
      const intent = await redeemIntent(ledger, resident, { domainId: DOMAIN.volunteer, amount: 1n, partner: await partner.getAddress() });
      const sig = await signIntent(residents[1], ledger, "RedeemIntent", intent);
      await expect(ledger.redeem(intent, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidSigner")
        .withArgs(await residents[1].getAddress(), intent.resident);
      const expired = { ...intent, deadline: BigInt(await time.latest()) - 1n };
      const sig2 = await signIntent(resident, ledger, "RedeemIntent", expired);
      await expect(ledger.redeem(expired, sig2.v, sig2.r, sig2.s))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerExpiredSignature")
        .withArgs(expired.deadline);
    });

    describe("pause rules", function () {
      shouldBehaveLikePausable({
        fixture: fundedResident,
        send: async ({ ledger, resident, partner }) => {
          const intent = await redeemIntent(ledger, resident, { domainId: DOMAIN.volunteer, amount: 1n, partner: await partner.getAddress() });
          const sig = await signIntent(resident, ledger, "RedeemIntent", intent);
          return ledger.redeem(intent, sig.v, sig.r, sig.s);
        },
        event: "PointsRedeemed",
        state: async ({ ledger, resident }) => [
          await ledger.balanceOf(await resident.getAddress(), DOMAIN.volunteer),
          await ledger.nonces(await resident.getAddress(), DOMAIN.volunteer),
          (await ledger.domain(DOMAIN.volunteer)).supply,
        ],
        stoppedBy: [DOMAIN.volunteer],
      });
    });
  });

  describe("partners", function () {
    it("refuses partner changes by another agency, to the zero address and in a missing domain", async function () {
      const { ledger, agencies, partner } = await loadFixture(cityLedger);
      await expect(ledger.connect(agencies[1]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerNotDomainAgency")
        .withArgs(DOMAIN.volunteer, await agencies[1].getAddress());
      await expect(ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidAddress")
        .withArgs(ethers.ZeroAddress);
      await expect(ledger.connect(agencies[0]).setPartner(9, await partner.getAddress(), true))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerUnknownDomain")
        .withArgs(9);
    });

    describe("pause rules", function () {
      shouldBehaveLikePausable({
        fixture: cityLedger,
        send: async ({ ledger, agencies, partner }) => ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true),
        event: "PartnerSet",
        state: async ({ ledger, partner }) => ledger.isPartner(DOMAIN.volunteer, await partner.getAddress()),
        stoppedBy: [DOMAIN.volunteer],
      });
    });
  });

  describe("transfer", function () {
    it("moves points between residents where the domain allows it", async function () {
      const { ledger, agencies, resident, residents } = await loadFixture(fundedResident);
      const from = await resident.getAddress();
      const to = await residents[1].getAddress();
      await ledger.connect(agencies[2]).issue(DOMAIN.culture, from, 50, 1);
      const intent = await transferIntent(ledger, resident, { domainId: DOMAIN.culture, amount: 20n, to });
      const sig = await signIntent(resident, ledger, "TransferIntent", intent);
      await expect(ledger.transfer(intent, sig.v, sig.r, sig.s)).to.emit(ledger, "PointsTransferred").withArgs(DOMAIN.culture, from, to, 20, 0);
      expect(await ledger.balanceOf(from, DOMAIN.culture)).to.equal(30);
      expect(await ledger.balanceOf(to, DOMAIN.culture)).to.equal(20);
      expect((await ledger.domain(DOMAIN.culture)).supply).to.equal(50);
    });

    it("refuses where the domain forbids it, and to nobody or oneself", async function () {
      const { ledger, resident, residents, agencies } = await loadFixture(fundedResident);
      const to = await residents[1].getAddress();
      const send = async (domainId: number, target: string) => {
        const intent = await transferIntent(ledger, resident, { domainId, amount: 1n, to: target });
        const sig = await signIntent(resident, ledger, "TransferIntent", intent);
        return ledger.transfer(intent, sig.v, sig.r, sig.s);
      };
      await expect(send(DOMAIN.volunteer, to)).to.be.revertedWithCustomError(ledger, "PointsLedgerNotTransferable").withArgs(DOMAIN.volunteer);
      await ledger.connect(agencies[2]).issue(DOMAIN.culture, await resident.getAddress(), 5, 1);
      await expect(send(DOMAIN.culture, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidAddress")
        .withArgs(ethers.ZeroAddress);
      await expect(send(DOMAIN.culture, await resident.getAddress()))
        .to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidAddress")
        .withArgs(await resident.getAddress());
      await expect(send(DOMAIN.culture, to)).to.emit(ledger, "PointsTransferred");
    });

    describe("pause rules", function () {
      shouldBehaveLikePausable({
        fixture: residentWithCulturePoints,
        send: async ({ ledger, resident, residents }) => {
          const intent = await transferIntent(ledger, resident, { domainId: DOMAIN.culture, amount: 5n, to: await residents[1].getAddress() });
          const sig = await signIntent(resident, ledger, "TransferIntent", intent);
          return ledger.transfer(intent, sig.v, sig.r, sig.s);
        },
        event: "PointsTransferred",
        state: async ({ ledger, resident, residents }) => [
          await ledger.balanceOf(await resident.getAddress(), DOMAIN.culture),
          await ledger.balanceOf(await residents[1].getAddress(), DOMAIN.culture),
          await ledger.nonces(await resident.getAddress(), DOMAIN.culture),
        ],
        stoppedBy: [DOMAIN.culture],
      });
    });
  });

  describe("uses the EIP-712 types of sdk/src/eip712.ts", function () {
    const TYPEHASH = {
      ExchangeIntent: "EXCHANGE_INTENT_TYPEHASH",
      RedeemIntent: "REDEEM_INTENT_TYPEHASH",
      TransferIntent: "TRANSFER_INTENT_TYPEHASH",
    } as const;
    const A = "0x00000000000000000000000000000000000000a1";
    const B = "0x00000000000000000000000000000000000000b2";
    const SAMPLE: IntentMessages = {
      ExchangeIntent: { resident: A, fromDomain: 1, toDomain: 2, amountIn: 101n, minAmountOut: 150n, nonce: 7n, deadline: 2n ** 40n },
      RedeemIntent: { resident: A, domainId: 3, amount: 5n, partner: B, orderRef: ethers.id("order") as `0x${string}`, nonce: 1n, deadline: 9n },
      TransferIntent: { resident: A, domainId: 3, to: B, amount: 2n ** 100n, nonce: 0n, deadline: 2n ** 255n },
    };

    /** The type string IntentHashes.sol hashes into `constant`, as the compiler read it (its AST). */
    async function contractTypeString(constant: string): Promise<string> {
      const source = "contracts/libraries/IntentHashes.sol";
      const info = await artifacts.getBuildInfo(`${source}:IntentHashes`);
      type Node = { nodeType: string; name?: string; nodes?: Node[]; value?: Node & { arguments?: Node[] }; kind?: string };
      const library = (info!.output.sources[source].ast as Node).nodes!.find((n) => n.nodeType === "ContractDefinition")!;
      const declaration = library.nodes!.find((n) => n.nodeType === "VariableDeclaration" && n.name === constant)!;
      const [literal] = declaration.value!.arguments!;
      expect(literal.nodeType).to.equal("Literal");
      return literal.value as unknown as string;
    }

    async function intentHashes() {
      return ethers.deployContract("IntentHashesHarness");
    }

    for (const kind of Object.keys(intentTypes) as IntentKind[]) {
      const types = { [kind]: intentTypes[kind].map((f) => ({ ...f })) };

      it(`${kind}: the same type string`, async function () {
        const contract = await contractTypeString(TYPEHASH[kind]);
        expect(intentTypeString(kind)).to.equal(contract);
        // What wallets hash: the type string ethers encodes from the SDK's field list.
        expect(ethers.TypedDataEncoder.from(types).encodeType(kind)).to.equal(contract);
      });

      it(`${kind}: the same type hash`, async function () {
        const harness = await loadFixture(intentHashes);
        expect(await harness[TYPEHASH[kind]]()).to.equal(ethers.id(intentTypeString(kind)));
      });

      it(`${kind}: the same struct hash`, async function () {
        const harness = await loadFixture(intentHashes);
        const message = SAMPLE[kind];
        const onChain = await {
          ExchangeIntent: () => harness.hashExchange(SAMPLE.ExchangeIntent),
          RedeemIntent: () => harness.hashRedeem(SAMPLE.RedeemIntent),
          TransferIntent: () => harness.hashTransfer(SAMPLE.TransferIntent),
        }[kind]();
        expect(onChain).to.equal(ethers.TypedDataEncoder.hashStruct(kind, types, message));
        // What viem (the SDK's signer) hashes.
        expect(onChain).to.equal(hashStruct({ data: message as never, primaryType: kind, types: intentTypes }));
      });
    }

    it("the same domain separator", async function () {
      const { ledger } = await loadFixture(fundedResident);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = ledgerDomain(chainId, (await ledger.getAddress()) as `0x${string}`);
      expect(await ledger.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
      const [, name, version, chain, contract] = await ledger.eip712Domain();
      expect([name, version, chain, contract]).to.deep.equal([domain.name, domain.version, chainId, domain.verifyingContract]);
    });
  });
});
