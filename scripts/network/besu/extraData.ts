/**
 * QBFT genesis `extraData` with block header validator selection. Besu docs (private-networks/how-to/
 * configure/consensus/qbft, "Extra data"): RLP([32 bytes vanity, list of validators, no vote, round 0,
 * no seals]). No vote and no seals are empty lists; round 0 is the empty byte string.
 */
import { encodeRlp, getAddress, ZeroHash } from "ethers";

export function qbftExtraData(validators: string[]): string {
  return encodeRlp([ZeroHash, validators.map((v) => getAddress(v).toLowerCase()), [], "0x", []]);
}

/** Besu wants the initial validators in ascending order. */
export function sortValidators(addresses: string[]): string[] {
  return [...addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}
