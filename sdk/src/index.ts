/**
 * @city-points/sdk: what agencies, resident apps and auditors import.
 * Runtime dependencies: viem and zod only.
 */

// Shared definitions
export * from "./eip712";
export * from "./auth";
export * from "./claims";
export * from "./deployment";
export * from "./agreementId";
export * from "./agreementInForce";
export { pointsLedgerAbi, cityCouncilAbi, passkeyAccountsAbi, communityStationsAbi } from "./abi";
export * from "./stations/stamp";
export * from "./stations/reads";

// Errors
export * from "./errors/base";
export * from "./errors/contract";
export * from "./errors/intent";
export * from "./errors/passkey";
export * from "./errors/rpc";
export * from "./errors/deployment";
export * from "./errors/relay";

// The relay's HTTP API as zod schemas (requests and answers), shared with the relay itself
export * as wire from "./wire";

// Agencies: the relay client
export * from "./agency";

// Resident apps
export * from "./resident/schema";
export * from "./resident/intents";
export * from "./resident/sign";
export * from "./resident/verify";
export * from "./resident/quote";
export * from "./resident/nonces";
export * from "./resident/paymentRequest";
export * from "./resident/passkeys";

// Auditors
export { audit, historyStart, type AuditParameters, type AuditProgress } from "./auditor/audit";
export { LedgerChecker, type ChainSnapshot, type CheckerOptions, type AccountState } from "./auditor/checker";
export { createEventDecoder, type EventDecoder, type RawLog } from "./auditor/decode";
export * from "./auditor/events";
export {
  fetchLogPages,
  DEFAULT_MAX_BLOCK_RANGE,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TARGET_LOGS_PER_PAGE,
  type FetchLogsOptions,
  type LogPage,
} from "./auditor/logs";
export { PairReader, type ReadMethod } from "./auditor/reader";
export * from "./auditor/report";
export { createHttpRpc, createTransportRpc, type RpcClient, type RpcCall, type RequestOptions } from "./auditor/rpc";
export * from "./auditor/violations";
