/**
 * The EIP-712 types of credential changes, signed by an existing credential under the registry's
 * domain: adding a credential, revoking one, cancelling a pending recovery. The same type strings
 * as contracts/PasskeyAccounts.sol; a test compares the digests with the contract's.
 */
import { hashTypedData, keccak256, type Address, type Hex } from "viem";

export const PASSKEY_ACCOUNTS_EIP712_NAME = "CityPointsPasskeyAccounts";
export const PASSKEY_ACCOUNTS_EIP712_VERSION = "1";

export const credentialChangeTypes = {
  AddCredential: [
    { name: "account", type: "address" },
    { name: "keyId", type: "bytes32" },
    { name: "credentialIdHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  RevokeCredential: [
    { name: "account", type: "address" },
    { name: "keyId", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  CancelRecovery: [
    { name: "account", type: "address" },
    { name: "keyId", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export type CredentialChangeKind = keyof typeof credentialChangeTypes;

export interface CredentialChangeMessages {
  AddCredential: { account: Address; keyId: Hex; credentialIdHash: Hex; nonce: bigint; deadline: bigint };
  RevokeCredential: { account: Address; keyId: Hex; nonce: bigint; deadline: bigint };
  /** `keyId` is the credential the pending recovery proposed. */
  CancelRecovery: { account: Address; keyId: Hex; nonce: bigint; deadline: bigint };
}

/** Where a deployment's registry of passkey accounts lives. */
export interface PasskeyRegistry {
  chainId: number | bigint;
  address: Address;
}

/** The credential id's hash an AddCredential signs (the id itself is a bytes argument). */
export function credentialIdHash(credentialId: Uint8Array | Hex): Hex {
  return keccak256(credentialId);
}

/** The EIP-712 digest a credential change's assertion must carry as its challenge. */
export function credentialChangeDigest<K extends CredentialChangeKind>(kind: K, message: CredentialChangeMessages[K], registry: PasskeyRegistry): Hex {
  return hashTypedData({
    domain: passkeyAccountsDomain(registry),
    types: { [kind]: credentialChangeTypes[kind] },
    primaryType: kind,
    message,
  } as never);
}

/** The EIP-712 domain credential changes are signed under. */
export function passkeyAccountsDomain(registry: PasskeyRegistry) {
  return { name: PASSKEY_ACCOUNTS_EIP712_NAME, version: PASSKEY_ACCOUNTS_EIP712_VERSION, chainId: Number(registry.chainId), verifyingContract: registry.address };
}
