/**
 * The app's addresses, built in one place. `/ledger/tx/<hash>` is a stable link target: the
 * residents' history (a later part of the app) links each of its entries there.
 */
export const paths = {
  home: "/",
  overview: "/ledger",
  agreements: "/ledger/agreements",
  settlements: "/ledger/settlements",
  settlement: (period: number) => `/ledger/settlements/${period}`,
  domain: (id: number) => `/ledger/domains/${id}`,
  domainPeriod: (id: number, period: number) => `/ledger/domains/${id}/periods/${period}`,
  tx: (hash: string) => `/ledger/tx/${hash}`,
};
