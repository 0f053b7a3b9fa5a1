/**
 * `@city-points/sdk/auditor`: the independent auditor, in a browser or in Node. Rebuilds the ledger
 * from a chain node's events and checks the invariants, plus the shared definitions. No Node
 * built-ins (test/sdk/browserBundle.test.ts).
 */
export * from "./shared";

export { audit, historyStart, type AuditParameters, type AuditProgress } from "../auditor/audit";
export { LedgerChecker, type ChainSnapshot, type CheckerOptions, type AccountState } from "../auditor/checker";
export { createEventDecoder, type EventDecoder, type RawLog } from "../auditor/decode";
export * from "../auditor/events";
export {
  fetchLogPages,
  DEFAULT_MAX_BLOCK_RANGE,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TARGET_LOGS_PER_PAGE,
  type FetchLogsOptions,
  type LogPage,
} from "../auditor/logs";
export { PairReader, type ReadMethod } from "../auditor/reader";
export * from "../auditor/report";
export { createHttpRpc, createTransportRpc, type RpcClient, type RpcCall, type RequestOptions } from "../auditor/rpc";
export * from "../auditor/violations";
