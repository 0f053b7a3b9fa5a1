import type { Address } from "viem";
import { addressSchema } from "../../wire/primitives";
import { historyResponseSchema } from "../../wire/reads";
import { checkedParam, read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toHistoryEntry, type HistoryEntry } from "../types";

export interface GetHistoryParameters extends ReadOptions {
  resident: Address;
}

export type GetHistoryReturnType = HistoryEntry[];

/**
 * A resident's issuances, exchanges, redemptions and transfers, oldest first, read from the chain.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * for (const entry of await client.getHistory({ resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5" })) console.log(entry.type, entry.amount ?? entry.amountIn);
 */
export async function getHistory(transport: RelayTransport, params: GetHistoryParameters): Promise<GetHistoryReturnType> {
  const resident = checkedParam(addressSchema, params.resident, "resident");
  return read(transport, `/v1/residents/${resident}/history`, historyResponseSchema, (a) => a.entries.map(toHistoryEntry), params);
}
