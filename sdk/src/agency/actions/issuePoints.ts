import type { Address } from "viem";
import { issueRequestSchema } from "../../wire/issuance";
import { checkedWire, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface IssuePointsParameters extends WriteOptions {
  /** The resident credited (a pseudonymous address, never personal data). */
  resident: Address;
  /** Whole points, 1 to 2^64-1. */
  amount: bigint;
  /**
   * The agency's claim id for the deed (uint256): usable once per domain, ever, so a replayed
   * issuance has no effect. Derive it from your own record number with
   * `claimIdForRecordNumber(salt, n)` (consecutive records share one storage word: the cheap path),
   * or, for a record with no number, `claimIdForRecordRef(salt, ref)` (a fresh word each).
   */
  claimId: bigint;
  /** The agency's own domain (the default); naming another is refused with ForbiddenError. */
  domainId?: number;
}

/** The accepted operation (status "queued"): follow it with `waitForOperation`. */
export type IssuePointsReturnType = Operation;

/**
 * Issues points to one resident in the agency's domain. The relay answers at once (202) with the
 * operation; the points exist once it is `confirmed`. A claim id already used on chain or taken by
 * another request is refused (ConflictError); a repeat of this request (same idempotency key) gets
 * the same operation back.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const salt = "0x5eed000000000000000000000000000000000000000000000000000000000000";
 * const op = await client.issuePoints({
 *   resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5",
 *   amount: 50n,
 *   claimId: claimIdForRecordNumber(salt, 1042n),
 * });
 * const done = await client.waitForOperation(op.id); // status "confirmed", done.transaction.blockNumber
 */
export async function issuePoints(transport: RelayTransport, params: IssuePointsParameters): Promise<IssuePointsReturnType> {
  const body = checkedWire(
    issueRequestSchema,
    {
      resident: params.resident,
      amount: params.amount.toString(),
      claimId: params.claimId.toString(),
      ...(params.domainId !== undefined ? { domainId: params.domainId } : {}),
    },
    "issuance",
  );
  return writeOne(transport, "POST", "/v1/issuances", body, params);
}
