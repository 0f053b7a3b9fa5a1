import { quotaResponseSchema } from "../../wire/reads";
import { read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toQuota, type IssuerQuota } from "../types";

export type GetQuotaParameters = ReadOptions;
export type GetQuotaReturnType = IssuerQuota;

/**
 * The agency's issuer quota in its domain this period: what it may issue, has issued and has left.
 * An issuance beyond it fails with PointsLedgerQuotaExceeded.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const { remaining, period } = await client.getQuota();
 */
export async function getQuota(transport: RelayTransport, params: GetQuotaParameters = {}): Promise<GetQuotaReturnType> {
  return read(transport, "/v1/quota", quotaResponseSchema, toQuota, params);
}
