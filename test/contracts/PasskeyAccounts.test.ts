import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { Hex } from "viem";
import { cityLedger } from "../helpers/fixtures";
import { RECOVERY_DELAY } from "../helpers/deploy";
import {
  addCredential,
  assertionOf,
  FAR_DEADLINE,
  newPasskey,
  registerPasskey,
  revokeCredential,
  signedChange,
  tampered,
} from "../helpers/passkeys";
import { derSignature } from "../../scripts/lib/softAuthenticator";
import { credentialIdHash, encodePasskeyAssertion, P256_N, passkeyAccountOf, passkeyKeyId, P256_HALF_N } from "../../sdk/src/resident/passkeys";

const ZERO = ethers.ZeroHash;
const STATUS = { None: 0n, Active: 1n, Revoked: 2n, Proposed: 3n };

/** A registered account with one credential. */
async function registeredAccount() {
  const setup = await cityLedger();
  const phone = await newPasskey();
  const account = await registerPasskey(setup.passkeys, phone);
  return { ...setup, phone, account };
}

/** As `registeredAccount`, with a second credential (a card) added by the phone. */
async function accountWithCard() {
  const setup = await registeredAccount();
  const card = await newPasskey();
  await (await addCredential(setup.passkeys, setup.account, setup.phone, card)).wait();
  return { ...setup, card };
}

/** As `registeredAccount`, with the ledger's first agency appointed recovery agent by the council. */
async function accountWithAgent() {
  const setup = await registeredAccount();
  await setup.asCouncilOnPasskeys("setRecoveryAgent", [await setup.agencies[0].getAddress(), true]);
  return { ...setup, agent: setup.agencies[0] };
}

/** As `accountWithAgent`, with a replacement credential proposed by the agent. */
async function pendingRecovery() {
  const setup = await accountWithAgent();
  const replacement = await newPasskey();
  await (await setup.passkeys.connect(setup.agent).proposeRecovery(setup.account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId)).wait();
  return { ...setup, replacement, proposedAt: await time.latest() };
}

describe("PasskeyAccounts", function () {
  describe("deployment", function () {
    it("records the council and the recovery delay", async function () {
      const { passkeys, council } = await loadFixture(cityLedger);
      expect(await passkeys.COUNCIL()).to.equal(await council.getAddress());
      expect(await passkeys.RECOVERY_DELAY()).to.equal(RECOVERY_DELAY);
    });

    it("rejects a zero council and a delay outside one to ninety days", async function () {
      const factory = await ethers.getContractFactory("PasskeyAccounts");
      const [a] = await ethers.getSigners();
      await expect(factory.deploy(ethers.ZeroAddress, RECOVERY_DELAY)).to.be.revertedWithCustomError(factory, "PasskeyAccountsInvalidAddress").withArgs(ethers.ZeroAddress);
      await expect(factory.deploy(a.address, 86_399)).to.be.revertedWithCustomError(factory, "PasskeyAccountsInvalidRecoveryDelay").withArgs(86_399);
      await expect(factory.deploy(a.address, 90 * 86_400 + 1)).to.be.revertedWithCustomError(factory, "PasskeyAccountsInvalidRecoveryDelay").withArgs(90 * 86_400 + 1);
    });
  });

  describe("registration", function () {
    it("creates the account its key gives, with the key as its one active credential", async function () {
      const { passkeys, stranger } = await loadFixture(cityLedger);
      const phone = await newPasskey();
      // Anyone may submit it: a stranger registers, the account is the key's.
      await expect(passkeys.connect(stranger).register(phone.publicKey.x, phone.publicKey.y, phone.rawId))
        .to.emit(passkeys, "CredentialAdded")
        .withArgs(phone.account, phone.keyId, phone.publicKey.x, phone.publicKey.y, phone.rawId, ZERO);
      expect(await passkeys.accountOf(phone.publicKey.x, phone.publicKey.y)).to.equal(phone.account);
      expect(phone.account).to.equal(passkeyAccountOf(phone.publicKey));
      expect(await passkeys.keyIdOf(phone.publicKey.x, phone.publicKey.y)).to.equal(passkeyKeyId(phone.publicKey));
      expect(await passkeys.credentialsOf(phone.account)).to.deep.equal([phone.keyId]);
      const c = await passkeys.credential(phone.keyId);
      expect([c.account, c.status]).to.deep.equal([phone.account, STATUS.Active]);
      expect(await passkeys.changeNonce(phone.account)).to.equal(0);
    });

    it("refuses a key that is not a point of P-256", async function () {
      const { passkeys } = await loadFixture(cityLedger);
      const phone = await newPasskey();
      const y = ethers.toBeHex(BigInt(phone.publicKey.y) ^ 1n, 32);
      await expect(passkeys.register(phone.publicKey.x, y, phone.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidPublicKey").withArgs(phone.publicKey.x, y);
    });

    it("refuses an empty credential id and one longer than 1,023 bytes", async function () {
      const { passkeys } = await loadFixture(cityLedger);
      const phone = await newPasskey();
      await expect(passkeys.register(phone.publicKey.x, phone.publicKey.y, "0x")).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidCredentialId").withArgs(0);
      await expect(passkeys.register(phone.publicKey.x, phone.publicKey.y, ethers.hexlify(new Uint8Array(1024)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidCredentialId").withArgs(1024);
    });

    it("registers a key once: neither again nor after it was revoked", async function () {
      const { passkeys, account, phone, card } = await loadFixture(accountWithCard);
      await expect(passkeys.register(phone.publicKey.x, phone.publicKey.y, phone.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialExists").withArgs(phone.keyId, account);
      await (await revokeCredential(passkeys, account, card, phone.keyId)).wait();
      await expect(passkeys.register(phone.publicKey.x, phone.publicKey.y, phone.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialExists").withArgs(phone.keyId, account);
      // The card joined the phone's account: registered on its own it would make another one, but it is taken.
      await expect(passkeys.register(card.publicKey.x, card.publicKey.y, card.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialExists").withArgs(card.keyId, account);
    });
  });

  describe("adding a credential", function () {
    it("adds a card signed by the phone, spending the change nonce", async function () {
      const { passkeys, account, phone } = await loadFixture(registeredAccount);
      const card = await newPasskey();
      await expect(addCredential(passkeys, account, phone, card))
        .to.emit(passkeys, "CredentialAdded")
        .withArgs(account, card.keyId, card.publicKey.x, card.publicKey.y, card.rawId, phone.keyId)
        .and.to.emit(passkeys, "PasskeyAssertionVerified");
      expect(await passkeys.credentialsOf(account)).to.deep.equal([phone.keyId, card.keyId]);
      expect(await passkeys.changeNonce(account)).to.equal(1);
      expect((await passkeys.credential(card.keyId)).account).to.equal(account);
    });

    it("refuses a replayed, expired or altered addition", async function () {
      const { passkeys, account, phone } = await loadFixture(registeredAccount);
      const card = await newPasskey();
      const message = { account: account as Hex, keyId: card.keyId, credentialIdHash: credentialIdHash(card.rawId), nonce: 0n, deadline: FAR_DEADLINE };
      const { encoded } = await signedChange(passkeys, phone, "AddCredential", message);
      const add = (nonce: bigint, deadline: bigint, id: string = card.rawId) => passkeys.addCredential(account, card.publicKey.x, card.publicKey.y, id, nonce, deadline, encoded);
      // Another credential id than the one signed: the digest differs.
      await expect(add(0n, FAR_DEADLINE, ethers.hexlify(new Uint8Array(16)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge");
      await expect(add(1n, FAR_DEADLINE)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidNonce").withArgs(account, 1, 0);
      await (await add(0n, FAR_DEADLINE)).wait();
      await expect(add(0n, FAR_DEADLINE)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidNonce").withArgs(account, 0, 1);
      const late = (await time.latest()) - 1;
      await expect(add(1n, BigInt(late))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsExpired").withArgs(late);
    });

    it("refuses an addition signed by a credential of another account, or by an unregistered one", async function () {
      const { passkeys, account } = await loadFixture(registeredAccount);
      const other = await newPasskey();
      const otherAccount = await registerPasskey(passkeys, other);
      const stray = await newPasskey();
      await expect(addCredential(passkeys, account, other, await newPasskey())).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(other.keyId, otherAccount, account);
      await expect(addCredential(passkeys, account, stray, await newPasskey())).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUnknownCredential").withArgs(stray.keyId);
    });

    it("holds at most eight active credentials", async function () {
      const { passkeys, account, phone } = await loadFixture(registeredAccount);
      for (let i = 1; i < 8; i++) await (await addCredential(passkeys, account, phone, await newPasskey())).wait();
      await expect(addCredential(passkeys, account, phone, await newPasskey())).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsTooManyCredentials").withArgs(account, 8);
    });
  });

  describe("revoking a credential", function () {
    it("revokes the phone with the card; the phone can sign nothing more", async function () {
      const { passkeys, account, phone, card } = await loadFixture(accountWithCard);
      await expect(revokeCredential(passkeys, account, card, phone.keyId)).to.emit(passkeys, "CredentialRevoked").withArgs(account, phone.keyId, card.keyId);
      expect(await passkeys.credentialsOf(account)).to.deep.equal([card.keyId]);
      expect((await passkeys.credential(phone.keyId)).status).to.equal(STATUS.Revoked);
      const digest = ethers.id("anything") as Hex;
      await expect(passkeys.authorize(account, digest, encodePasskeyAssertion(await assertionOf(phone, digest)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialRevoked").withArgs(phone.keyId);
      await expect(revokeCredential(passkeys, account, phone, card.keyId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialRevoked").withArgs(phone.keyId);
    });

    it("lets a credential revoke itself, but never the account's last", async function () {
      const { passkeys, account, phone, card } = await loadFixture(accountWithCard);
      await (await revokeCredential(passkeys, account, phone, phone.keyId)).wait();
      await expect(revokeCredential(passkeys, account, card, card.keyId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsLastCredential").withArgs(account, card.keyId);
    });

    it("refuses to revoke an unknown, revoked or foreign credential", async function () {
      const { passkeys, account, phone, card } = await loadFixture(accountWithCard);
      const other = await newPasskey();
      const otherAccount = await registerPasskey(passkeys, other);
      const unknown = ethers.id("no such key") as Hex;
      await expect(revokeCredential(passkeys, account, phone, unknown)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUnknownCredential").withArgs(unknown);
      await expect(revokeCredential(passkeys, account, phone, other.keyId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(other.keyId, otherAccount, account);
      await (await revokeCredential(passkeys, account, phone, card.keyId)).wait();
      await expect(revokeCredential(passkeys, account, phone, card.keyId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialRevoked").withArgs(card.keyId);
    });
  });

  describe("recovery", function () {
    it("lets only the council appoint agents, and only agents or the council propose", async function () {
      const { passkeys, account, agencies, stranger } = await loadFixture(registeredAccount);
      await expect(passkeys.connect(stranger).setRecoveryAgent(await stranger.getAddress(), true)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNotCouncil").withArgs(await stranger.getAddress());
      const replacement = await newPasskey();
      const propose = (who: typeof stranger) => passkeys.connect(who).proposeRecovery(account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId);
      await expect(propose(agencies[0])).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNotRecoveryAgent").withArgs(await agencies[0].getAddress());
    });

    it("refuses the zero address as agent", async function () {
      const { passkeys, asCouncilOnPasskeys } = await loadFixture(registeredAccount);
      const council = await ethers.getContractAt("CityCouncil", await passkeys.COUNCIL());
      const inner = passkeys.interface.encodeErrorResult("PasskeyAccountsInvalidAddress", [ethers.ZeroAddress]);
      await expect(asCouncilOnPasskeys("setRecoveryAgent", [ethers.ZeroAddress, true])).to.be.revertedWithCustomError(council, "CityCouncilCallFailed").withArgs(anyValue, inner);
    });

    it("publishes a proposal with its delay and reserves the proposed key", async function () {
      const { passkeys, account, agent } = await loadFixture(accountWithAgent);
      expect(await passkeys.isRecoveryAgent(await agent.getAddress())).to.equal(true);
      const replacement = await newPasskey();
      const tx = passkeys.connect(agent).proposeRecovery(account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId);
      const readyAt = (await time.latest()) + 1 + RECOVERY_DELAY;
      await expect(tx).to.emit(passkeys, "RecoveryProposed").withArgs(account, replacement.keyId, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId, await agent.getAddress(), readyAt);
      const r = await passkeys.recovery(account);
      expect([r.keyId, r.qx, r.qy, r.proposer, r.readyAt]).to.deep.equal([replacement.keyId, replacement.publicKey.x, replacement.publicKey.y, await agent.getAddress(), BigInt(readyAt)]);
      // Nobody can take the proposed key meanwhile, and it cannot sign yet.
      await expect(passkeys.register(replacement.publicKey.x, replacement.publicKey.y, replacement.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialExists").withArgs(replacement.keyId, account);
      const digest = ethers.id("intent") as Hex;
      await expect(passkeys.authorize(account, digest, encodePasskeyAssertion(await assertionOf(replacement, digest)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialProposed").withArgs(replacement.keyId);
    });

    it("refuses a proposal for an unknown account or while one is pending", async function () {
      const { passkeys, account, agent, replacement, proposedAt } = await loadFixture(pendingRecovery);
      const another = await newPasskey();
      const unknown = ethers.Wallet.createRandom().address;
      await expect(passkeys.connect(agent).proposeRecovery(unknown, another.publicKey.x, another.publicKey.y, another.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUnknownAccount").withArgs(unknown);
      await expect(passkeys.connect(agent).proposeRecovery(account, another.publicKey.x, another.publicKey.y, another.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsRecoveryPending").withArgs(account, proposedAt + RECOVERY_DELAY);
      expect(replacement.keyId).to.not.equal(another.keyId);
    });

    it("cannot be carried out before its delay", async function () {
      const { passkeys, account, proposedAt } = await loadFixture(pendingRecovery);
      await time.increaseTo(proposedAt + RECOVERY_DELAY - 2);
      await expect(passkeys.executeRecovery(account)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsRecoveryNotReady").withArgs(account, proposedAt + RECOVERY_DELAY);
    });

    it("replaces every credential once the delay has passed, carried out by anyone", async function () {
      const { passkeys, account, phone, replacement, proposedAt, stranger } = await loadFixture(pendingRecovery);
      await time.increaseTo(proposedAt + RECOVERY_DELAY);
      await expect(passkeys.connect(stranger).executeRecovery(account))
        .to.emit(passkeys, "RecoveryExecuted").withArgs(account, replacement.keyId)
        .and.to.emit(passkeys, "CredentialRevoked").withArgs(account, phone.keyId, ZERO)
        .and.to.emit(passkeys, "CredentialAdded").withArgs(account, replacement.keyId, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId, ZERO);
      expect(await passkeys.credentialsOf(account)).to.deep.equal([replacement.keyId]);
      expect((await passkeys.recovery(account)).readyAt).to.equal(0);
      const digest = ethers.id("intent") as Hex;
      await expect(passkeys.authorize(account, digest, encodePasskeyAssertion(await assertionOf(phone, digest)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialRevoked");
      await expect(passkeys.authorize(account, digest, encodePasskeyAssertion(await assertionOf(replacement, digest)))).to.emit(passkeys, "PasskeyAssertionVerified");
      await expect(passkeys.executeRecovery(account)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNoRecovery").withArgs(account);
    });

    it("is cancelled by any of the resident's credentials, freeing the proposed key", async function () {
      const { passkeys, account, phone, replacement, proposedAt } = await loadFixture(pendingRecovery);
      const nonce = await passkeys.changeNonce(account);
      const { encoded } = await signedChange(passkeys, phone, "CancelRecovery", { account: account as Hex, keyId: replacement.keyId, nonce, deadline: FAR_DEADLINE });
      await expect(passkeys.cancelRecovery(account, nonce + 1n, FAR_DEADLINE, encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidNonce").withArgs(account, nonce + 1n, nonce);
      await expect(passkeys.cancelRecovery(account, nonce, FAR_DEADLINE, encoded)).to.emit(passkeys, "RecoveryCancelled").withArgs(account, replacement.keyId, phone.keyId);
      await time.increaseTo(proposedAt + RECOVERY_DELAY);
      await expect(passkeys.executeRecovery(account)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNoRecovery").withArgs(account);
      expect(await passkeys.credentialsOf(account)).to.deep.equal([phone.keyId]);
      expect((await passkeys.credential(replacement.keyId)).status).to.equal(STATUS.None);
      await expect(passkeys.cancelRecovery(account, nonce + 1n, FAR_DEADLINE, encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNoRecovery").withArgs(account);
    });

    it("refuses a cancellation signed by the proposed credential itself or by another account's", async function () {
      const { passkeys, account, replacement } = await loadFixture(pendingRecovery);
      const other = await newPasskey();
      const otherAccount = await registerPasskey(passkeys, other);
      const message = { account: account as Hex, keyId: replacement.keyId, nonce: 0n, deadline: FAR_DEADLINE };
      const byReplacement = await signedChange(passkeys, replacement, "CancelRecovery", message);
      await expect(passkeys.cancelRecovery(account, 0, FAR_DEADLINE, byReplacement.encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsCredentialProposed");
      const byOther = await signedChange(passkeys, other, "CancelRecovery", message);
      await expect(passkeys.cancelRecovery(account, 0, FAR_DEADLINE, byOther.encoded)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(other.keyId, otherAccount, account);
    });

    it("is vetoed by the council only", async function () {
      const { passkeys, account, replacement, stranger, asCouncilOnPasskeys } = await loadFixture(pendingRecovery);
      await expect(passkeys.connect(stranger).vetoRecovery(account)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNotCouncil").withArgs(await stranger.getAddress());
      await expect(asCouncilOnPasskeys("vetoRecovery", [account])).to.emit(passkeys, "RecoveryCancelled").withArgs(account, replacement.keyId, ZERO);
      expect((await passkeys.recovery(account)).readyAt).to.equal(0);
    });

    it("can be proposed by the council itself", async function () {
      const { passkeys, account, asCouncilOnPasskeys } = await loadFixture(registeredAccount);
      const replacement = await newPasskey();
      await expect(asCouncilOnPasskeys("proposeRecovery", [account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId])).to.emit(passkeys, "RecoveryProposed");
    });

    it("stops when the council dismisses the agent", async function () {
      const { passkeys, account, agent, asCouncilOnPasskeys } = await loadFixture(accountWithAgent);
      await expect(asCouncilOnPasskeys("setRecoveryAgent", [await agent.getAddress(), false])).to.emit(passkeys, "RecoveryAgentSet").withArgs(await agent.getAddress(), false);
      const replacement = await newPasskey();
      await expect(passkeys.connect(agent).proposeRecovery(account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsNotRecoveryAgent");
    });
  });

  describe("assertions (authorize)", function () {
    const DIGEST = ethers.id("an intent's digest") as Hex;

    async function signedByPhone() {
      const setup = await registeredAccount();
      return { ...setup, assertion: await assertionOf(setup.phone, DIGEST) };
    }

    /** Each case is a different kind of bad input, with the error the registry names it by. */
    it("accepts a genuine assertion and says so in an event carrying what an auditor re-verifies", async function () {
      const { passkeys, account, phone, assertion, stranger } = await loadFixture(signedByPhone);
      await expect(passkeys.connect(stranger).authorize(account, DIGEST, encodePasskeyAssertion(assertion)))
        .to.emit(passkeys, "PasskeyAssertionVerified")
        .withArgs(account, phone.keyId, await stranger.getAddress(), DIGEST, assertion.authenticatorData, assertion.clientDataJSON, assertion.r, assertion.s);
    });

    it("accepts the extra client data member Chromium sometimes adds", async function () {
      const { passkeys } = await loadFixture(cityLedger);
      const phone = await newPasskey({ extraClientDataMember: true });
      const account = await registerPasskey(passkeys, phone);
      const assertion = await assertionOf(phone, DIGEST);
      expect(assertion.clientDataJSON).to.include("other_keys_can_be_added_here");
      await expect(passkeys.authorize(account, DIGEST, encodePasskeyAssertion(assertion))).to.emit(passkeys, "PasskeyAssertionVerified");
    });

    it("refuses bytes that are not an encoded assertion", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      const encoded = encodePasskeyAssertion(assertion);
      await expect(passkeys.authorize(account, DIGEST, "0x1234")).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsMalformedAssertion");
      // The authenticator data's offset (third word) pointing past the end.
      const badOffset = (encoded.slice(0, 2 + 128) + "f".repeat(64) + encoded.slice(2 + 192)) as Hex;
      await expect(passkeys.authorize(account, DIGEST, badOffset)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsMalformedAssertion");
      await expect(passkeys.authorize(account, DIGEST, encoded.slice(0, -64) as Hex)).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsMalformedAssertion");
    });

    it("refuses authenticator data shorter than 37 bytes", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      const short = assertion.authenticatorData.slice(0, 2 + 72) as Hex;
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { authenticatorData: short }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsAuthenticatorDataTooShort").withArgs(36);
    });

    it("refuses an assertion without user verification or presence, even correctly signed", async function () {
      const { passkeys } = await loadFixture(cityLedger);
      // A card used without its PIN signs genuinely, with UP but not UV.
      const noPin = await newPasskey({ userVerified: false });
      const account = await registerPasskey(passkeys, noPin);
      await expect(passkeys.authorize(account, DIGEST, encodePasskeyAssertion(await assertionOf(noPin, DIGEST)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUserNotVerified").withArgs("0x01");
      const silent = await newPasskey({ userPresent: false });
      const silentAccount = await registerPasskey(passkeys, silent);
      await expect(passkeys.authorize(silentAccount, DIGEST, encodePasskeyAssertion(await assertionOf(silent, DIGEST)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUserNotPresent").withArgs("0x04");
    });

    it("refuses flags saying backed up but not backup eligible", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      const data = ethers.getBytes(assertion.authenticatorData);
      data[32] = 0x15; // UP | UV | BS
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { authenticatorData: ethers.hexlify(data) as Hex }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidBackupState").withArgs("0x15");
    });

    it("accepts a synced passkey (backup eligible and backed up)", async function () {
      const { passkeys } = await loadFixture(cityLedger);
      const synced = await newPasskey({ backedUp: true });
      const account = await registerPasskey(passkeys, synced);
      await expect(passkeys.authorize(account, DIGEST, encodePasskeyAssertion(await assertionOf(synced, DIGEST)))).to.emit(passkeys, "PasskeyAssertionVerified");
    });

    it("refuses client data of another type, or a type index that misses it", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      const created = assertion.clientDataJSON.replace("webauthn.get", "webauthn.create");
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { clientDataJSON: created }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongClientDataType").withArgs(assertion.typeIndex);
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { typeIndex: 2 }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongClientDataType").withArgs(2);
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { typeIndex: 10_000 }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongClientDataType").withArgs(10_000);
    });

    it("refuses an assertion of another challenge", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      const other = ethers.id("another intent") as Hex;
      await expect(passkeys.authorize(account, other, encodePasskeyAssertion(assertion))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge").withArgs(other);
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { challengeIndex: assertion.challengeIndex + 1 }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongChallenge").withArgs(DIGEST);
    });

    it("refuses r or s of zero or beyond the group order", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      for (const [r, s] of [[ZERO, assertion.s], [assertion.r, ZERO], [ethers.toBeHex(P256_N, 32), assertion.s], [assertion.r, ethers.toBeHex(P256_N, 32)]] as Hex[][]) {
        await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { r, s }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsMalformedSignature").withArgs(r, s);
      }
    });

    it("refuses the high-s twin of a valid signature", async function () {
      const { passkeys, account, assertion } = await loadFixture(signedByPhone);
      const high = ethers.toBeHex(P256_N - BigInt(assertion.s), 32) as Hex;
      expect(BigInt(high) > P256_HALF_N).to.equal(true);
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { s: high }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsMalleableSignature").withArgs(high);
    });

    it("refuses altered authenticator data and another key's signature", async function () {
      const { passkeys, account, phone, assertion } = await loadFixture(signedByPhone);
      const data = ethers.getBytes(assertion.authenticatorData);
      data[36] ^= 1; // the signature counter
      await expect(passkeys.authorize(account, DIGEST, tampered(assertion, { authenticatorData: ethers.hexlify(data) as Hex }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidSignature").withArgs(phone.keyId);
      const thief = await newPasskey();
      const forged = await assertionOf(thief, DIGEST);
      await expect(passkeys.authorize(account, DIGEST, tampered(forged, { publicKey: phone.publicKey }))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsInvalidSignature").withArgs(phone.keyId);
    });

    it("refuses an assertion of an unknown credential, and one for another account", async function () {
      const { passkeys, account, phone, assertion } = await loadFixture(signedByPhone);
      const stray = await newPasskey();
      await expect(passkeys.authorize(stray.account, DIGEST, encodePasskeyAssertion(await assertionOf(stray, DIGEST)))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsUnknownCredential").withArgs(stray.keyId);
      const victim = ethers.Wallet.createRandom().address;
      await expect(passkeys.authorize(victim, DIGEST, encodePasskeyAssertion(assertion))).to.be.revertedWithCustomError(passkeys, "PasskeyAccountsWrongAccount").withArgs(phone.keyId, account, victim);
    });

    it("encodes signatures as browsers do: DER with minimal integers", function () {
      // r = 1 takes one byte; s = 0x80 needs a leading zero to stay positive.
      expect(ethers.hexlify(derSignature(1n, 0x80n))).to.equal("0x300702010102020080");
    });
  });
});
