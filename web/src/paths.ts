/**
 * The app's addresses, built in one place. `/ledger/tx/<hash>` is a stable link target: the
 * residents' history (a later part of the app) links each of its entries there.
 */
export const paths = {
  home: "/",
  overview: "/ledger",
  agreements: "/ledger/agreements",
  settlements: "/ledger/settlements",
  verify: "/ledger/verify",
  settlement: (period: number) => `/ledger/settlements/${period}`,
  /** A domain's page; with `toPeriod`, showing the same periods as the page that links to it. */
  domain: (id: number, toPeriod?: number) => `/ledger/domains/${id}${toPeriod === undefined ? "" : `?to=${toPeriod}`}`,
  domainPeriod: (id: number, period: number) => `/ledger/domains/${id}/periods/${period}`,
  tx: (hash: string) => `/ledger/tx/${hash}`,
  wallet: "/wallet",
  walletAccount: "/wallet/account",
  walletExchange: "/wallet/exchange",
  /**
   * Where a partner's payment request link opens: the SDK's PAYMENT_PATH, written out because
   * importing the SDK here would pull it into the first download; pay.test.ts opens links the SDK
   * makes, so the two cannot drift apart unnoticed.
   */
  pay: "/pay",
  partners: "/partners",
  /** A partner's checkout: payment requests and today's redemptions. */
  partner: (address: string) => `/partners/${address}`,
  /** A community station's shared terminal: `?id=` the station, `?idle=` seconds before a resident is signed out. */
  station: "/station",
};
