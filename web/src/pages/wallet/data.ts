/** What the wallet's pages load: the domains (names, point values), a resident's balances and history (newest first, with block times and partner names). */
import { domainsResponseSchema, type historyEntrySchema } from "@city-points/sdk/wire";
import type { z } from "zod";
import { getJson } from "../../api/client";
import { blockTime } from "../../resident/chain";
import { residentApi } from "../../resident/relay";

export const loadDomains = (signal: AbortSignal) => getJson("/v1/domains", domainsResponseSchema, signal);

export type HistoryEntry = z.output<typeof historyEntrySchema> & { time: number; partnerName?: string };

/** At most this many pages of history are read for one view; each page covers a bounded block range. */
const MAX_PAGES = 50;

export async function loadHistory(address: string, signal: AbortSignal): Promise<HistoryEntry[]> {
  const entries: z.output<typeof historyEntrySchema>[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await residentApi.historyPage(address, cursor, signal);
    entries.push(...page.entries);
    if (!page.next) break;
    cursor = page.next;
  }
  const names = new Map<string, Promise<string | undefined>>();
  const nameOf = (partner: string, domainId: number) => {
    const key = `${partner}-${domainId}`;
    if (!names.has(key)) names.set(key, residentApi.partnerName(partner, domainId, signal));
    return names.get(key)!;
  };
  const full = await Promise.all(
    entries.map(async (e) => ({
      ...e,
      time: await blockTime(e.blockNumber),
      ...(e.type === "redeemed" && e.partner ? { partnerName: await nameOf(e.partner, e.domainId ?? 0) } : {}),
    })),
  );
  return full.reverse();
}
