/** What the wallet's pages load: the domains (names, point values), a resident's balances and history (newest first, with block times and partner names). */
import { agreementsResponseSchema, domainsResponseSchema, type historyEntrySchema } from "@city-points/sdk/wire";
import type { z } from "zod";
import { getJson } from "../../api/client";
import { blockTime } from "../../resident/chain";
import { residentApi } from "../../resident/relay";

export const loadDomains = (signal: AbortSignal) => getJson("/v1/domains", domainsResponseSchema, signal);

/** rate: an exchange's rate, when its agreement's current terms are still the version it used. */
export type HistoryEntry = z.output<typeof historyEntrySchema> & { time: number; partnerName?: string; rate?: { num: number; den: number } };

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
  const agreements = entries.some((e) => e.type === "exchanged") ? (await getJson("/v1/agreements?all=true", agreementsResponseSchema, signal)).agreements : [];
  const rateOf = (e: z.output<typeof historyEntrySchema>) => {
    const terms = agreements.find((a) => a.agreementId === e.agreementId)?.current;
    return terms && terms.version === e.version ? { rate: { num: terms.rateNum, den: terms.rateDen } } : {};
  };
  const full = await Promise.all(
    entries.map(async (e) => ({
      ...e,
      time: await blockTime(e.blockNumber),
      ...(e.type === "exchanged" ? rateOf(e) : {}),
      ...(e.type === "redeemed" && e.partner ? { partnerName: await nameOf(e.partner, e.domainId ?? 0) } : {}),
    })),
  );
  return full.reverse();
}
