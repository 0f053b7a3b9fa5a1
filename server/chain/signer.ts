/**
 * Local signing with the agency's key: the journal stores the signed bytes and their hash before
 * anything is sent, so a resend is always the identical transaction. Legacy (type 0) transactions
 * with a fixed gas price (0 on the free-gas city chain): a stuck one is resent, never fee-bumped.
 *
 * viem serialises and signs, as its own signTransaction does (RFC 6979, so the same bytes), but
 * both hashes go through the native keccak (./keccak.ts).
 */
import { parseSignature, serializeTransaction, type Address, type Hex, type LocalAccount, type TransactionSerializableLegacy } from "viem";
import { keccakHex } from "./keccak";

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
  const transaction: TransactionSerializableLegacy = {
    type: "legacy",
    to: call.to,
    data: call.data,
    nonce: call.nonce,
    gas: call.gas,
    gasPrice: call.gasPrice,
    chainId: call.chainId,
    value: call.value ?? 0n,
  };
  if (!account.sign) throw new Error(`account ${account.address} cannot sign a hash`);
  const signature = parseSignature(await account.sign({ hash: keccakHex(serializeTransaction(transaction)) }));
  const raw = serializeTransaction(transaction, signature);
  return { raw, hash: keccakHex(raw) };
}
