import type { Address } from "viem";
import type { ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { HistoryEntry } from "../types";
import { getHistoryPage } from "./getHistoryPage";

export interface GetHistoryParameters extends ReadOptions {
  resident: Address;
}

export type GetHistoryReturnType = HistoryEntry[];

/**
 * A resident's whole history of issuances, exchanges, redemptions and transfers, oldest first,
 * read from the chain: every page, following each page's cursor (getHistoryPage reads one).
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * for (const entry of await client.getHistory({ resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5" })) console.log(entry.type, entry.amount ?? entry.amountIn);
 */
export async function getHistory(transport: RelayTransport, params: GetHistoryParameters): Promise<GetHistoryReturnType> {
  const entries: HistoryEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await getHistoryPage(transport, { ...params, cursor });
    entries.push(...page.entries);
    cursor = page.next;
  } while (cursor);
  return entries;
}
