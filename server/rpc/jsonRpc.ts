/**
 * JSON-RPC 2.0 as the read-only gateway speaks it: the envelope of a call and of an answer, the
 * error codes it uses, and reading a request body into calls (one, or a batch).
 */

/** Error codes: JSON-RPC 2.0's own, EIP-1474's "limit exceeded" (Besu answers it for too wide a log range), and 429 for rate limits (as Alchemy does). */
export const RPC_ERROR = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  limitExceeded: -32005,
  rateLimited: 429,
} as const;

export type JsonRpcId = string | number | null;

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcCall {
  id: JsonRpcId;
  method: string;
  params: unknown[];
}

export type JsonRpcAnswer = { jsonrpc: "2.0"; id: JsonRpcId; result: unknown } | { jsonrpc: "2.0"; id: JsonRpcId; error: JsonRpcError };

export function rpcError(id: JsonRpcId, code: number, message: string, data?: unknown): JsonRpcAnswer {
  return { jsonrpc: "2.0", id, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/** A request body, read: one call, a batch, or why it cannot be read at all (answered with HTTP 400). */
export type ParsedBody =
  | { kind: "single"; item: unknown }
  | { kind: "batch"; items: unknown[] }
  | { kind: "invalid"; answer: JsonRpcAnswer };

export function parseBody(raw: Buffer): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    return { kind: "invalid", answer: rpcError(null, RPC_ERROR.parse, "parse error: the body is not JSON") };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "invalid", answer: rpcError(null, RPC_ERROR.invalidRequest, "an empty batch") };
    return { kind: "batch", items: value };
  }
  if (value !== null && typeof value === "object") return { kind: "single", item: value };
  return { kind: "invalid", answer: rpcError(null, RPC_ERROR.invalidRequest, "a JSON-RPC request is an object, or an array of them") };
}

function isId(value: unknown): value is JsonRpcId {
  return value === null || (typeof value === "string" && value.length <= 128) || (typeof value === "number" && Number.isFinite(value));
}

/** One element of a request as a call, or the error that answers it. */
export function readCall(item: unknown): { call: JsonRpcCall } | { answer: JsonRpcAnswer } {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    return { answer: rpcError(null, RPC_ERROR.invalidRequest, "a JSON-RPC call is an object") };
  }
  const { jsonrpc, id, method, params } = item as Record<string, unknown>;
  const safeId = isId(id) ? id : null;
  if (jsonrpc !== "2.0") return { answer: rpcError(safeId, RPC_ERROR.invalidRequest, 'jsonrpc must be "2.0"') };
  if (!("id" in (item as object)) || !isId(id)) return { answer: rpcError(null, RPC_ERROR.invalidRequest, "a call needs an id (a string, a number or null); notifications are not served") };
  if (typeof method !== "string" || method.length === 0 || method.length > 64) return { answer: rpcError(safeId, RPC_ERROR.invalidRequest, "method must be a method name") };
  if (params !== undefined && !Array.isArray(params)) return { answer: rpcError(safeId, RPC_ERROR.invalidParams, "params must be an array") };
  return { call: { id: safeId, method, params: params ?? [] } };
}
