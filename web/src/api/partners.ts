/** The relay's partner directory and a partner's redemptions from its ledger index, typed by the SDK's wire schemas. */
import { partnerListSchema, partnerRedemptionsSchema } from "@city-points/sdk/wire";
import { getJson } from "./client";

export interface RedemptionsWindow {
  from?: number;
  to?: number;
  /** Only this order's redemption (its salted hash): whether a payment request was paid. */
  orderRef?: string;
}

export const partnersApi = {
  list: (signal: AbortSignal) => getJson("/v1/partners", partnerListSchema, signal),
  entries: (signal: AbortSignal, address: string) => getJson(`/v1/partners/${address}`, partnerListSchema, signal),
  redemptions: (signal: AbortSignal, address: string, window: RedemptionsWindow) => {
    const q = new URLSearchParams();
    if (window.from !== undefined) q.set("from", String(window.from));
    if (window.to !== undefined) q.set("to", String(window.to));
    if (window.orderRef !== undefined) q.set("orderRef", window.orderRef);
    return getJson(`/v1/ledger/partners/${address}/redemptions?${q.toString()}`, partnerRedemptionsSchema, signal);
  },
};
