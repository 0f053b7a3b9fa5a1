/**
 * Claim ids: what makes an issuance take effect once, ever. The ledger keeps used claim ids per
 * domain in bitmaps: bits 8..255 of an id pick a storage word, bits 0..7 a bit in it. Ids derived
 * here never carry the agency's record itself, only a salted hash of it. Prefer
 * `claimIdForRecordNumber`: a fresh word costs an issuance about 17,000 gas more (22,000 per batched
 * item; bench/results/gas.json), which `claimIdForRecordRef` pays on every id.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";

const LOW_BYTE = 0xffn;

/**
 * Claim id of record number `recordNumber` in an agency's numbered records (e.g. its database's
 * sequence). Records 0..255, 256..511, ... share a bitmap word, so sequential records cost the
 * ledger a warm word update instead of a fresh slot.
 */
export function claimIdForRecordNumber(salt: Hex, recordNumber: bigint): bigint {
  if (recordNumber < 0n) throw new RangeError("recordNumber must not be negative");
  const word = BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [salt, recordNumber >> 8n])));
  return ((word >> 8n) << 8n) | (recordNumber & LOW_BYTE);
}

/**
 * Claim id of a record known only by a reference string (no number of its own, e.g. references from
 * several systems that share no sequence): one bitmap word each, so the ledger's dearer path.
 */
export function claimIdForRecordRef(salt: Hex, recordRef: string): bigint {
  if (recordRef.length === 0) throw new RangeError("recordRef must not be empty");
  return BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "string" }], [salt, recordRef])));
}

/** Salted hash for an order or payment reference that goes on chain (redemption, settlement). */
export function referenceHash(salt: Hex, reference: string): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "string" }], [salt, reference]));
}
