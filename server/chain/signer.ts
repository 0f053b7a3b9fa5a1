/**
 * Local signing with the agency's key: the journal stores the signed bytes and their hash before
 * anything is sent, so a resend is always the identical transaction. Legacy (type 0) transactions
 * with a fixed gas price (0 on the free-gas city chain): a stuck one is resent, never fee-bumped.
 */
import { keccak256, type Address, type Hex, type LocalAccount } from "viem";

export interface UnsignedCall {
  to: Address;
  data: Hex;
  nonce: number;
  gas: bigint;
  gasPrice: bigint;
  chainId: number;
  value?: bigint;
}

export interface SignedTransaction {
  raw: Hex;
  hash: Hex;
}

export async function signCall(account: LocalAccount, call: UnsignedCall): Promise<SignedTransaction> {
  const raw = await account.signTransaction({
    type: "legacy",
    to: call.to,
    data: call.data,
    nonce: call.nonce,
    gas: call.gas,
    gasPrice: call.gasPrice,
    chainId: call.chainId,
    value: call.value ?? 0n,
  });
  return { raw, hash: keccak256(raw) };
}
