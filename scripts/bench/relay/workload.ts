/**
 * What every phase issues: fresh residents, and claim ids made as the README recommends
 * (`claimIdForRecordNumber` over the agency's record sequence), so the figures are those an agency sees.
 */
import { randomBytes } from "node:crypto";
import type { Address, Hex } from "viem";
import { claimIdForRecordNumber } from "../../../sdk/src/claims";

const SALT = `0x${randomBytes(32).toString("hex")}` as Hex;

/** Distinct fresh holders, as a city's issuance would mostly be; cheap to derive. */
export function residents(n: number): Address[] {
  return Array.from({ length: n }, () => `0x${randomBytes(20).toString("hex")}` as Address);
}

/** The claim id of the agency's record number `n` (each phase uses a range of its own). */
export function claimId(n: number): bigint {
  return claimIdForRecordNumber(SALT, BigInt(n));
}

/** Issuance items for records first..first+count-1, as the wire takes them. */
export function issuanceItems(first: number, count: number, amount = "5"): { resident: Address; amount: string; claimId: string }[] {
  return residents(count).map((resident, i) => ({ resident, amount, claimId: claimId(first + i).toString() }));
}
