import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { cityLedgerWithAgreement } from "../helpers/fixtures";
import { DOMAIN } from "../helpers/deploy";
import { signIntent } from "../helpers/intents";
import { addCredential, assertionOf, FAR_DEADLINE, newPasskey, registerPasskey, revokeCredential, signedIntent, tampered } from "../helpers/passkeys";
import { encodePasskeyAssertion, intentDigest, P256_N } from "../../sdk/src/resident/passkeys";
import type { IntentMessages } from "../../sdk/src/eip712";

/** A passkey account holding 1,000 volunteer and 50 culture points, a 1 → 2 agreement at 2/5 (cityLedgerWithAgreement), a partner. */
async function passkeyResident() {
  const setup = await cityLedgerWithAgreement();
  const { ledger, passkeys, agencies, partner } = setup;
  const phone = await newPasskey();
  const account = await registerPasskey(passkeys, phone);
  await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, account, 1_000, 1);
  await ledger.connect(agencies[2]).issue(DOMAIN.culture, account, 50, 1);
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true);
  return { ...setup, phone, account };
}

describe("PointsLedger passkey-authorised intents", function () {
  function exchange(account: string, fields: Partial<IntentMessages["ExchangeIntent"]> = {}): IntentMessages["ExchangeIntent"] {
    return { resident: account as Hex, fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn: 100n, minAmountOut: 40n, nonce: 0n, deadline: FAR_DEADLINE, ...fields };
  }

  it("exchanges, with the assertion verified by the registry on the ledger's behalf", async function () {
    const { ledger, passkeys, phone, account, agreementId, stranger } = await loadFixture(passkeyResident);
    const intent = exchange(account);
    const { digest, assertion, encoded } = await signedIntent(ledger, phone, "ExchangeIntent", intent);
    await expect(ledger.connect(stranger).exchangeByPasskey(intent, encoded))
      .to.emit(passkeys, "PasskeyAssertionVerified")
      .withArgs(account, phone.keyId, await ledger.getAddress(), digest, assertion.authenticatorData, assertion.clientDataJSON, assertion.r, assertion.s)
      .and.to.emit(ledger, "PointsExchanged")
      .withArgs(account, agreementId, 1, 100, 40, 0, 0);
    expect(await ledger.balanceOf(account, DOMAIN.volunteer)).to.equal(900);
    expect(await ledger.balanceOf(account, DOMAIN.transport)).to.equal(40);
    expect(await ledger.nonces(account, DOMAIN.volunteer)).to.equal(1);
  });

  it("redeems at a partner and transfers in a transferable domain", async function () {
    const { ledger, phone, account, partner, residents } = await loadFixture(passkeyResident);
    const redeem = { resident: account as Hex, domainId: DOMAIN.volunteer, amount: 40n, partner: (await partner.getAddress()) as Hex, orderRef: ethers.id("order") as Hex, nonce: 0n, deadline: FAR_DEADLINE };
    const r = await signedIntent(ledger, phone, "RedeemIntent", redeem);
    await expect(ledger.redeemByPasskey(redeem, r.encoded)).to.emit(ledger, "PointsRedeemed").withArgs(DOMAIN.volunteer, account, redeem.partner, 40, redeem.orderRef, 0);
    expect(await ledger.balanceOf(account, DOMAIN.volunteer)).to.equal(960);
    const to = (await residents[1].getAddress()) as Hex;
    const transfer = { resident: account as Hex, domainId: DOMAIN.culture, to, amount: 20n, nonce: 0n, deadline: FAR_DEADLINE };
    const t = await signedIntent(ledger, phone, "TransferIntent", transfer);
    await expect(ledger.transferByPasskey(transfer, t.encoded)).to.emit(ledger, "PointsTransferred").withArgs(DOMAIN.culture, account, to, 20, 0);
    expect(await ledger.balanceOf(to, DOMAIN.culture)).to.equal(20);
  });

  it("takes a signature of any of the account's credentials, and none once revoked", async function () {
    const { ledger, passkeys, phone, account } = await loadFixture(passkeyResident);
    const card = await newPasskey();
    await (await addCredential(passkeys, account, phone, card)).wait();
    const first = exchange(account);
    await (await ledger.exchangeByPasskey(first, (await signedIntent(ledger, card, "ExchangeIntent", first)).encoded)).wait();
    await (await revokeCredential(passkeys, account, phone, card.keyId)).wait();
    const second = exchange(account, { nonce: 1n });
    const signed = await signedIntent(ledger, card, "ExchangeIntent", second);
    await expect(ledger.exchangeByPasskey(second, signed.encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialRevoked").withArgs(card.keyId);
    expect(await ledger.balanceOf(account, DOMAIN.volunteer)).to.equal(900);
  });

  describe("when attacked", function () {
    it("refuses a replay: the nonce is spent", async function () {
      const { ledger, phone, account } = await loadFixture(passkeyResident);
      const intent = exchange(account);
      const { encoded } = await signedIntent(ledger, phone, "ExchangeIntent", intent);
      await (await ledger.exchangeByPasskey(intent, encoded)).wait();
      await expect(ledger.exchangeByPasskey(intent, encoded)).to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidNonce").withArgs(DOMAIN.volunteer, account, 0, 1);
      expect(await ledger.balanceOf(account, DOMAIN.volunteer)).to.equal(900);
    });

    it("refuses an assertion of another intent, another ledger or another chain", async function () {
      const { ledger, passkeys, phone, account } = await loadFixture(passkeyResident);
      const intent = exchange(account);
      const { encoded } = await signedIntent(ledger, phone, "ExchangeIntent", intent);
      const altered = { ...intent, minAmountOut: 0n };
      const digest = intentDigest("ExchangeIntent", altered, { chainId: (await ethers.provider.getNetwork()).chainId, address: (await ledger.getAddress()) as Hex });
      await expect(ledger.exchangeByPasskey(altered, encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge").withArgs(digest);
      for (const other of [{ chainId: 1n, address: (await ledger.getAddress()) as Hex }, { chainId: (await ethers.provider.getNetwork()).chainId, address: (await passkeys.getAddress()) as Hex }]) {
        const wrongDomain = encodePasskeyAssertion(await assertionOf(phone, intentDigest("ExchangeIntent", intent, other)));
        await expect(ledger.exchangeByPasskey(intent, wrongDomain)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge");
      }
    });

    it("refuses an assertion made without user verification", async function () {
      const { ledger, passkeys, agencies } = await loadFixture(passkeyResident);
      const noPin = await newPasskey({ userVerified: false });
      const account = await registerPasskey(passkeys, noPin);
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, account, 100, 2);
      const intent = exchange(account);
      await expect(ledger.exchangeByPasskey(intent, (await signedIntent(ledger, noPin, "ExchangeIntent", intent)).encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUserNotVerified");
    });

    it("refuses the high-s twin of the resident's signature", async function () {
      const { ledger, passkeys, phone, account } = await loadFixture(passkeyResident);
      const intent = exchange(account);
      const { assertion } = await signedIntent(ledger, phone, "ExchangeIntent", intent);
      const high = ethers.toBeHex(P256_N - BigInt(assertion.s), 32) as Hex;
      await expect(ledger.exchangeByPasskey(intent, tampered(assertion, { s: high }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsMalleableSignature").withArgs(high);
    });

    it("refuses another account's credential spending this account's points", async function () {
      const { ledger, passkeys, account } = await loadFixture(passkeyResident);
      const thief = await newPasskey();
      const thiefAccount = await registerPasskey(passkeys, thief);
      const intent = exchange(account);
      const { encoded } = await signedIntent(ledger, thief, "ExchangeIntent", intent);
      await expect(ledger.exchangeByPasskey(intent, encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(thief.keyId, thiefAccount, account);
    });

    it("refuses an expired intent before asking the registry", async function () {
      const { ledger, phone, account } = await loadFixture(passkeyResident);
      const deadline = BigInt(await time.latest());
      const intent = exchange(account, { deadline });
      const { encoded } = await signedIntent(ledger, phone, "ExchangeIntent", intent);
      await expect(ledger.exchangeByPasskey(intent, encoded)).to.be.revertedWithCustomError(ledger, "PointsLedgerExpiredSignature").withArgs(deadline);
    });

    it("cannot spend a passkey account with an ECDSA signature", async function () {
      const { ledger, account, residents } = await loadFixture(passkeyResident);
      const intent = exchange(account);
      const sig = await signIntent(residents[0], ledger, "ExchangeIntent", intent);
      await expect(ledger.exchange(intent, sig.v, sig.r, sig.s)).to.be.revertedWithCustomError(ledger, "PointsLedgerInvalidSigner").withArgs(await residents[0].getAddress(), account);
    });

    it("cannot spend an ordinary resident's points with a passkey", async function () {
      const { ledger, passkeys, agencies, residents } = await loadFixture(passkeyResident);
      const resident = await residents[0].getAddress();
      await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, resident, 100, 3);
      const phone = await newPasskey();
      const account = await registerPasskey(passkeys, phone);
      const intent = exchange(resident);
      await expect(ledger.exchangeByPasskey(intent, (await signedIntent(ledger, phone, "ExchangeIntent", intent)).encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(phone.keyId, account, resident);
    });

    it("passes the ledger's own refusals through unchanged (a paused ledger)", async function () {
      const { ledger, phone, account, pauser } = await loadFixture(passkeyResident);
      await ledger.connect(pauser).pause();
      const intent = exchange(account);
      await expect(ledger.exchangeByPasskey(intent, (await signedIntent(ledger, phone, "ExchangeIntent", intent)).encoded)).to.be.revertedWithCustomError(ledger, "PointsLedgerPaused");
    });
  });
});
