/**
 * Passkeys in contract tests: a software authenticator per credential (scripts/lib/softAuthenticator.ts),
 * the SDK to create credentials and request assertions from it, and the registry's EIP-712 digests.
 */
import { ethers } from "hardhat";
import type { Hex } from "viem";
import { SoftAuthenticator, type SoftAuthenticatorOptions } from "../../scripts/lib/softAuthenticator";
import {
  createPasskey,
  credentialChangeDigest,
  credentialIdHash,
  encodePasskeyAssertion,
  fromBase64Url,
  intentDigest,
  requestPasskeyAssertion,
  type CreatedPasskey,
  type CredentialChangeKind,
  type CredentialChangeMessages,
  type PasskeyAssertion,
} from "../../sdk/src/resident/passkeys";
import type { IntentKind, IntentMessages } from "../../sdk/src/eip712";
import type { PasskeyAccounts, PointsLedger } from "../../typechain-types";

export const TEST_ORIGIN = "https://points.city.test";
export const TEST_RP = { id: "points.city.test", name: "City points" };
export const FAR_DEADLINE = 2n ** 40n;

/** A credential on its own authenticator. */
export interface TestPasskey extends CreatedPasskey {
  authenticator: SoftAuthenticator;
  /** The credential id's bytes, as register and addCredential take them. */
  rawId: Hex;
}

export async function newPasskey(options: Partial<SoftAuthenticatorOptions> = {}): Promise<TestPasskey> {
  const authenticator = new SoftAuthenticator({ origin: TEST_ORIGIN, ...options });
  const created = await createPasskey({ rp: TEST_RP, credentials: authenticator });
  return { ...created, authenticator, rawId: ethers.hexlify(fromBase64Url(created.credentialId)) as Hex };
}

/** Registers the passkey's credential as the first of its account; returns the account. */
export async function registerPasskey(passkeys: PasskeyAccounts, passkey: TestPasskey): Promise<string> {
  await (await passkeys.register(passkey.publicKey.x, passkey.publicKey.y, passkey.rawId)).wait();
  return passkey.account;
}

/** An assertion of `passkey` over `challenge`, as the browser would hand it over. */
export async function assertionOf(passkey: TestPasskey, challenge: Hex): Promise<PasskeyAssertion> {
  return requestPasskeyAssertion({ challenge, credential: passkey, credentials: passkey.authenticator });
}

export async function chainId(): Promise<bigint> {
  return (await ethers.provider.getNetwork()).chainId;
}

/** The intent's digest under `ledger` and an encoded assertion of it by `passkey`. */
export async function signedIntent<K extends IntentKind>(ledger: PointsLedger, passkey: TestPasskey, kind: K, intent: IntentMessages[K]): Promise<{ digest: Hex; assertion: PasskeyAssertion; encoded: Hex }> {
  const digest = intentDigest(kind, intent, { chainId: await chainId(), address: (await ledger.getAddress()) as Hex });
  const assertion = await assertionOf(passkey, digest);
  return { digest, assertion, encoded: encodePasskeyAssertion(assertion) };
}

/** The digest of a credential change under the registry and an encoded assertion of it by `signer`. */
export async function signedChange<K extends CredentialChangeKind>(passkeys: PasskeyAccounts, signer: TestPasskey, kind: K, message: CredentialChangeMessages[K]): Promise<{ digest: Hex; encoded: Hex }> {
  const digest = credentialChangeDigest(kind, message, { chainId: await chainId(), address: (await passkeys.getAddress()) as Hex });
  return { digest, encoded: encodePasskeyAssertion(await assertionOf(signer, digest)) };
}

/** Adds `added` to `account`, signed by `signer` (one of its credentials). */
export async function addCredential(passkeys: PasskeyAccounts, account: string, signer: TestPasskey, added: TestPasskey, deadline = FAR_DEADLINE) {
  const nonce = await passkeys.changeNonce(account);
  const message = { account: account as Hex, keyId: added.keyId, credentialIdHash: credentialIdHash(added.rawId), nonce, deadline };
  const { encoded } = await signedChange(passkeys, signer, "AddCredential", message);
  return passkeys.addCredential(account, added.publicKey.x, added.publicKey.y, added.rawId, nonce, deadline, encoded);
}

/** Revokes `revoked` from `account`, signed by `signer`. */
export async function revokeCredential(passkeys: PasskeyAccounts, account: string, signer: TestPasskey, revoked: Hex, deadline = FAR_DEADLINE) {
  const nonce = await passkeys.changeNonce(account);
  const { encoded } = await signedChange(passkeys, signer, "RevokeCredential", { account: account as Hex, keyId: revoked, nonce, deadline });
  return passkeys.revokeCredential(account, revoked, nonce, deadline, encoded);
}

/** The assertion with some of its fields replaced, re-encoded (forgeries and malformed input). */
export function tampered(assertion: PasskeyAssertion, changes: Partial<PasskeyAssertion>): Hex {
  return encodePasskeyAssertion({ ...assertion, ...changes });
}
