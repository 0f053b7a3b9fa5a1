/**
 * Verifying a resident's signature as the ledger will: EIP-712 recovery, and the low-s rule of
 * OpenZeppelin's ECDSA (a high-s signature is malleable and the ledger rejects it).
 */
import { isAddressEqual, recoverTypedDataAddress, type Address, type Hex } from "viem";
import { InvalidSignatureError } from "../errors/intent";
import type { IntentKind, IntentMessages } from "../eip712";
import { intentTypedData } from "./intents";
import { splitSignature } from "./sign";

const HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** The address that signed `message`; throws `InvalidSignatureError` for a malformed or high-s signature. */
export async function recoverIntentSigner<K extends IntentKind>(
  kind: K,
  message: IntentMessages[K],
  signature: Hex,
  ledger: { chainId: number | bigint; address: Address },
): Promise<Address> {
  let s: Hex;
  try {
    s = splitSignature(signature).s;
  } catch (cause) {
    throw new InvalidSignatureError("The signature is malformed.", { cause, details: { signature } });
  }
  if (BigInt(s) > HALF_CURVE_ORDER) {
    throw new InvalidSignatureError("The signature has a high s value; the ledger rejects malleable signatures.", {
      details: { s },
    });
  }
  return recoverIntentAddress(kind, message, signature, ledger);
}

/**
 * The address whose key produced `signature` over the intent: EIP-712 recovery alone, without the
 * low-s rule (`recoverIntentSigner` adds it). Throws `InvalidSignatureError` when no address can
 * be recovered.
 */
export async function recoverIntentAddress<K extends IntentKind>(
  kind: K,
  message: IntentMessages[K],
  signature: Hex,
  ledger: { chainId: number | bigint; address: Address },
): Promise<Address> {
  try {
    return await recoverTypedDataAddress({ ...intentTypedData(kind, message, ledger), signature } as never);
  } catch (cause) {
    throw new InvalidSignatureError("The signature cannot be recovered.", { cause, details: { signature } });
  }
}

/** Whether the intent was signed by its own `resident`, for this ledger (false, never throws). */
export async function verifyIntent<K extends IntentKind>(
  kind: K,
  message: IntentMessages[K],
  signature: Hex,
  ledger: { chainId: number | bigint; address: Address },
): Promise<boolean> {
  try {
    const signer = await recoverIntentSigner(kind, message, signature, ledger);
    return isAddressEqual(signer, message.resident);
  } catch {
    return false;
  }
}
