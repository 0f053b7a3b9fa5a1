/**
 * What the read-only gateway lets through to the chain: the read methods an auditor
 * (sdk/src/auditor, scripts/audit.ts) and a web page need, each with its parameters checked, and
 * nothing else. Every test-only or key-using method (anvil_*, evm_*, hardhat_*, debug_*,
 * personal_*, eth_sendTransaction, eth_sign*, eth_accounts...) and every write
 * (eth_sendRawTransaction) is refused with -32601: the gateway is for reading.
 *
 * eth_getLogs may span at most `maxLogBlocks` blocks (a wider one is refused with -32005, which
 * the SDK's log pager answers by asking for halves); eth_call runs with at most `callGasCap` gas,
 * and may carry a state override (read-only by nature: the override lives for that one call; the
 * auditor's bulk reader depends on it).
 */
import { RPC_ERROR, type JsonRpcError } from "./jsonRpc";

/** The methods served, in the order docs/relay.md lists them. */
export const READ_METHODS = [
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getCode",
  "eth_call",
  "eth_getLogs",
] as const;
export type ReadMethod = (typeof READ_METHODS)[number];

export interface PolicyLimits {
  maxLogBlocks: number;
  callGasCap: bigint;
}

export type PolicyOutcome = { ok: true; method: ReadMethod; params: unknown[] } | { ok: false; error: JsonRpcError };

const QUANTITY = /^0x[0-9a-fA-F]{1,16}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BLOCK_TAGS = new Set(["latest", "earliest", "pending", "safe", "finalized"]);

const isBlockRef = (v: unknown) => typeof v === "string" && (BLOCK_TAGS.has(v) || QUANTITY.test(v));
/** A block number or tag, or EIP-1898's { blockHash } / { blockNumber } object. */
const isBlockParam = (v: unknown) =>
  isBlockRef(v) ||
  (v !== null &&
    typeof v === "object" &&
    (HASH.test(String((v as { blockHash?: unknown }).blockHash)) || QUANTITY.test(String((v as { blockNumber?: unknown }).blockNumber))));
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const invalid = (message: string): PolicyOutcome => ({ ok: false, error: { code: RPC_ERROR.invalidParams, message } });

function arity(params: unknown[], min: number, max: number, method: string): PolicyOutcome | undefined {
  if (params.length < min || params.length > max) {
    return invalid(`${method} takes ${min === max ? min : `${min} to ${max}`} parameter${max === 1 ? "" : "s"}, not ${params.length}`);
  }
  return undefined;
}

const ok = (method: ReadMethod, params: unknown[]): PolicyOutcome => ({ ok: true, method, params });

function isReadMethod(method: string): method is ReadMethod {
  return (READ_METHODS as readonly string[]).includes(method);
}

/**
 * Checks one call. `head` gives the chain's latest block, asked only for an eth_getLogs whose
 * range is given by tags; the answer may carry rewritten params (eth_call's gas capped).
 */
export async function checkCall(method: string, params: unknown[], limits: PolicyLimits, head: () => Promise<bigint>): Promise<PolicyOutcome> {
  if (!isReadMethod(method)) {
    return {
      ok: false,
      error: { code: RPC_ERROR.methodNotFound, message: `the method ${method} is not available: this gateway serves only reads (${READ_METHODS.join(", ")})` },
    };
  }
  switch (method) {
    case "eth_chainId":
    case "net_version":
    case "eth_blockNumber":
      return arity(params, 0, 0, method) ?? ok(method, params);
    case "eth_getBlockByNumber":
      return arity(params, 2, 2, method) ?? (isBlockRef(params[0]) && typeof params[1] === "boolean" ? ok(method, params) : invalid("eth_getBlockByNumber takes a block number or tag and a boolean"));
    case "eth_getBlockByHash":
      return arity(params, 2, 2, method) ?? (HASH.test(String(params[0])) && typeof params[1] === "boolean" ? ok(method, params) : invalid("eth_getBlockByHash takes a block hash and a boolean"));
    case "eth_getTransactionByHash":
    case "eth_getTransactionReceipt":
      return arity(params, 1, 1, method) ?? (HASH.test(String(params[0])) ? ok(method, params) : invalid(`${method} takes a transaction hash`));
    case "eth_getCode":
      return arity(params, 1, 2, method) ?? (ADDRESS.test(String(params[0])) && (params.length < 2 || isBlockParam(params[1])) ? ok(method, params) : invalid("eth_getCode takes an address and a block"));
    case "eth_call":
      return checkCallParams(params, limits.callGasCap);
    case "eth_getLogs":
      return checkLogsParams(params, limits.maxLogBlocks, head);
  }
}

function checkCallParams(params: unknown[], gasCap: bigint): PolicyOutcome {
  const wrongArity = arity(params, 1, 3, "eth_call");
  if (wrongArity) return wrongArity;
  const [tx, block, overrides] = params;
  if (!isPlainObject(tx)) return invalid("eth_call takes a call object first");
  if (params.length >= 2 && !isBlockParam(block)) return invalid("eth_call's second parameter is a block");
  if (params.length === 3 && !isPlainObject(overrides)) return invalid("eth_call's third parameter is a state override object");
  let gas = gasCap;
  if (tx.gas !== undefined) {
    if (typeof tx.gas !== "string" || !QUANTITY.test(tx.gas)) return invalid("eth_call's gas must be a hex quantity");
    if (BigInt(tx.gas) < gas) gas = BigInt(tx.gas);
  }
  const capped = { ...tx, gas: `0x${gas.toString(16)}` };
  return ok("eth_call", [capped, ...(params.length >= 2 ? [block] : ["latest"]), ...(params.length === 3 ? [overrides] : [])]);
}

async function checkLogsParams(params: unknown[], maxBlocks: number, head: () => Promise<bigint>): Promise<PolicyOutcome> {
  const wrongArity = arity(params, 1, 1, "eth_getLogs");
  if (wrongArity) return wrongArity;
  const [filter] = params;
  if (!isPlainObject(filter)) return invalid("eth_getLogs takes a filter object");
  if (filter.blockHash !== undefined) {
    if (!HASH.test(String(filter.blockHash))) return invalid("eth_getLogs's blockHash must be a block hash");
    if (filter.fromBlock !== undefined || filter.toBlock !== undefined) return invalid("eth_getLogs takes either blockHash or fromBlock/toBlock");
    return ok("eth_getLogs", params); // one block
  }
  const from = filter.fromBlock ?? "latest";
  const to = filter.toBlock ?? "latest";
  if (!isBlockRef(from) || !isBlockRef(to)) return invalid("eth_getLogs's fromBlock and toBlock are block numbers or tags");
  let latest: bigint | undefined;
  const resolve = async (ref: string): Promise<bigint> => {
    if (QUANTITY.test(ref)) return BigInt(ref);
    if (ref === "earliest") return 0n;
    return (latest ??= await head());
  };
  const fromBlock = await resolve(from as string);
  const toBlock = await resolve(to as string);
  const spanTo = (last: bigint) => (last >= fromBlock ? last - fromBlock + 1n : 0n);
  let span = spanTo(toBlock);
  // Blocks past the head hold no logs yet: the work is the span up to the head (asked only when it matters).
  if (span > BigInt(maxBlocks) && QUANTITY.test(to as string)) span = spanTo(minBig(toBlock, await resolve("latest")));
  if (span > BigInt(maxBlocks)) {
    return {
      ok: false,
      error: {
        code: RPC_ERROR.limitExceeded,
        message: `eth_getLogs over ${span} blocks exceeds this gateway's limit of ${maxBlocks} blocks per call; ask for a smaller range`,
        data: { limit: maxBlocks, blocks: Number(span) },
      },
    };
  }
  return ok("eth_getLogs", params);
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
