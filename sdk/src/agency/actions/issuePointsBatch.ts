import type { Address } from "viem";
import { issueBatchRequestSchema } from "../../wire/issuance";
import { MAX_BATCH_ITEMS } from "../../wire/primitives";
import { checkedWire, writeMany, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface IssuanceItem {
  resident: Address;
  amount: bigint;
  /** Unique within the batch and never used before in the domain. */
  claimId: bigint;
}

export interface IssuePointsBatchParameters extends WriteOptions {
  /** 1 to 500 issuances. */
  items: readonly IssuanceItem[];
  domainId?: number;
}

/** One operation per item, in the items' order; each is confirmed or failed on its own. */
export type IssuePointsBatchReturnType = Operation[];

export { MAX_BATCH_ITEMS };

/**
 * Issues points to many residents in one request (up to {@link MAX_BATCH_ITEMS}). The relay packs
 * them into ledger batches; each item is its own operation. If any claim id is already used, the
 * whole request is refused (ConflictError naming the claim ids) and nothing is accepted.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const salt = "0x5eed000000000000000000000000000000000000000000000000000000000000";
 * const ops = await client.issuePointsBatch({
 *   items: [
 *     { resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5", amount: 10n, claimId: claimIdForRecordNumber(salt, 1n) },
 *     { resident: "0x1F2e3D4C5b6a7980abCDEf0123456789abCdEF01", amount: 20n, claimId: claimIdForRecordNumber(salt, 2n) },
 *   ],
 * });
 * const finals = await Promise.all(ops.map((op) => client.waitForOperation(op.id)));
 */
export async function issuePointsBatch(transport: RelayTransport, params: IssuePointsBatchParameters): Promise<IssuePointsBatchReturnType> {
  const body = checkedWire(
    issueBatchRequestSchema,
    {
      ...(params.domainId !== undefined ? { domainId: params.domainId } : {}),
      items: params.items.map((item) => ({ resident: item.resident, amount: item.amount.toString(), claimId: item.claimId.toString() })),
    },
    "batch issuance",
  );
  return writeMany(transport, "POST", "/v1/issuances/batch", body, params);
}
