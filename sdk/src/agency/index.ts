/**
 * The agency client: createAgencyClient, its actions, their types, and webhook verification.
 * The `@example`s use the package's exports (createAgencyClient, claimIdForRecordNumber, ...) by name, imported from @city-points/sdk.
 */
export { createAgencyClient, type AgencyClient } from "./client";
export {
  createRelayTransport,
  newIdempotencyKey,
  parseRetryAfter,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type AgencyClientConfig,
  type RetryOptions,
  type RetryInfo,
  type RelayTransport,
  type RelayRequest,
  type HttpMethod,
} from "./transport";
export type { WriteOptions, ReadOptions } from "./request";
export * from "./types";
export { SseParser, type SseMessage } from "./sse";
export { parseWebhook, type ParseWebhookParameters } from "./webhooks";

export * from "./actions/issuePoints";
export * from "./actions/issuePointsBatch";
export * from "./actions/redeemPoints";
export * from "./actions/submitExchange";
export * from "./actions/proposeAgreement";
export * from "./actions/approveAgreement";
export * from "./actions/suspendAgreement";
export * from "./actions/setPartner";
export * from "./actions/setPartnerName";
export * from "./actions/closeSettlementPeriod";
export * from "./actions/confirmSettlement";
export * from "./actions/getSettlement";
export * from "./actions/getQuota";
export * from "./actions/getBalances";
export * from "./actions/getHistory";
export * from "./actions/getHistoryPage";
export * from "./actions/getDomains";
export * from "./actions/getSupply";
export * from "./actions/getAgreements";
export * from "./actions/getQuote";
export * from "./actions/getOperation";
export * from "./actions/waitForOperation";
export * from "./actions/streamEvents";
export * from "./actions/watchEvents";
