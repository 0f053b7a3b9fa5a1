import type { Address } from "viem";
import { addressSchema } from "../../wire/primitives";
import { historyCursorSchema, historyResponseSchema } from "../../wire/reads";
import { checkedParam, read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toHistoryEntry, type HistoryEntry } from "../types";

export interface GetHistoryPageParameters extends ReadOptions {
  resident: Address;
  /** The previous page's `next`; without it, the first page. */
  cursor?: string;
}

export interface GetHistoryPageReturnType {
  entries: HistoryEntry[];
  /** The cursor of the following page; undefined once this page reached the chain's head. */
  next?: string;
}

/**
 * One page of a resident's issuances, exchanges, redemptions and transfers, oldest first, read from
 * the chain. The relay bounds the blocks a page scans and the events it holds, so a long history
 * comes in several pages (a page may be empty and still have a `next`).
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * let page = await client.getHistoryPage({ resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5" });
 * while (page.next) page = await client.getHistoryPage({ resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5", cursor: page.next });
 */
export async function getHistoryPage(transport: RelayTransport, params: GetHistoryPageParameters): Promise<GetHistoryPageReturnType> {
  const resident = checkedParam(addressSchema, params.resident, "resident");
  const cursor = params.cursor === undefined ? undefined : checkedParam(historyCursorSchema, params.cursor, "cursor");
  const path = `/v1/residents/${resident}/history${cursor ? `?cursor=${cursor}` : ""}`;
  return read(transport, path, historyResponseSchema, (a) => ({ entries: a.entries.map(toHistoryEntry), ...(a.next ? { next: a.next } : {}) }), params);
}
