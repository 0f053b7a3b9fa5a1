/**
 * Signing residents' intents with whatever key the app holds: a viem local account, a viem wallet
 * client (browser wallet, remote signer), or any standard EIP-712 signer exposing
 * `signTypedData(domain, types, message)` (an ethers v6 Wallet or Signer).
 */
import { parseSignature, type Address, type Hex, type LocalAccount, type WalletClient } from "viem";
import { UnsupportedSignerError } from "../errors/intent";
import type { IntentKind, IntentMessages } from "../eip712";
import { intentTypedData, type IntentTypedData } from "./intents";

/** The shape of ethers' `Signer.signTypedData` and other signers that follow it. */
export interface TypedDataSigner {
  signTypedData(
    domain: Record<string, unknown>,
    types: Record<string, Array<{ name: string; type: string }>>,
    message: Record<string, unknown>,
  ): Promise<string>;
}

export type IntentSigner = LocalAccount | WalletClient | TypedDataSigner;

export interface SignedIntent<K extends IntentKind> {
  kind: K;
  message: IntentMessages[K];
  /** 65-byte signature, r ‖ s ‖ v. */
  signature: Hex;
  /** The parts the ledger's `exchange` / `redeem` / `transfer` take. */
  v: number;
  r: Hex;
  s: Hex;
}

/**
 * Signs an intent for a ledger deployment.
 * @example
 * const account = privateKeyToAccount(key);
 * const intent = buildRedeemIntent({ resident: account.address, domainId: 1, amount: 50n, partner, orderRef, nonce });
 * const signed = await signIntent(account, "RedeemIntent", intent, { chainId: 31337, address: ledger });
 */
export async function signIntent<K extends IntentKind>(
  signer: IntentSigner,
  kind: K,
  message: IntentMessages[K],
  ledger: { chainId: number | bigint; address: Address },
): Promise<SignedIntent<K>> {
  const typed = intentTypedData(kind, message, ledger);
  const signature = (await signTyped(signer, typed)) as Hex;
  return { kind, message, signature, ...splitSignature(signature) };
}

/** Splits a 65-byte signature into the v (27/28), r, s the ledger's functions take. */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: v !== undefined ? Number(v) : 27 + yParity, r, s };
}

async function signTyped<K extends IntentKind>(signer: IntentSigner, typed: IntentTypedData<K>): Promise<string> {
  const kind = (signer as { type?: unknown }).type;
  if (kind === "local") {
    return (signer as LocalAccount).signTypedData(typed as never);
  }
  if (kind === "walletClient") {
    const client = signer as WalletClient;
    if (!client.account) {
      throw new UnsupportedSignerError("The wallet client has no account; create it with one, or pass a local account.");
    }
    return client.signTypedData({ ...typed, account: client.account } as never);
  }
  if (typeof (signer as TypedDataSigner).signTypedData === "function") {
    // ethers wants mutable type arrays and no EIP712Domain entry; copy the shared definition.
    const types = { [typed.primaryType]: typed.types[typed.primaryType].map((field) => ({ ...field })) };
    return (signer as TypedDataSigner).signTypedData({ ...typed.domain }, types, { ...typed.message });
  }
  throw new UnsupportedSignerError(
    "Cannot sign with this object: pass a viem LocalAccount, a viem WalletClient with an account, or a signer with signTypedData(domain, types, message).",
  );
}
