import { periodSchema } from "../../wire/primitives";
import { settlementStatementSchema } from "../../wire/settlement";
import { checkedParam, read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toSettlement, type SettlementStatement } from "../types";

export interface GetSettlementParameters extends ReadOptions {
  period: number;
}

export type GetSettlementReturnType = SettlementStatement;

/**
 * The settlement statement of a period: whether it is closed and, once it is, every agency's net
 * position (positive: owed to it) and whether it confirmed.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const statement = await client.getSettlement({ period: 12 });
 * for (const p of statement.positions) console.log(p.domainId, p.net, p.confirmed);
 */
export async function getSettlement(transport: RelayTransport, params: GetSettlementParameters): Promise<GetSettlementReturnType> {
  const period = checkedParam(periodSchema, params.period, "period");
  return read(transport, `/v1/settlements/${period}`, settlementStatementSchema, toSettlement, params);
}
