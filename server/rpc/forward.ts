/**
 * Sends one checked call to the chain node and turns what comes back into a JSON-RPC answer: the
 * node's result, or the node's own error (its code, message and data, as another node would give
 * them: a revert keeps its data, so clients decode the ledger's error), never viem's wrapping of
 * it, which names the node's URL. A node that cannot be reached, or is too slow, is -32603; an
 * answer larger than the gateway serves is -32005, so a log pager asks for a smaller range.
 */
import { ChainUnreachableError, type ChainGateway } from "../chain/gateway";
import { redactSecrets } from "../redact";
import { RPC_ERROR, rpcError, type JsonRpcAnswer, type JsonRpcId } from "./jsonRpc";

const MAX_MESSAGE_CHARS = 500;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 10; e = (e as { cause?: unknown }).cause, depth++) chain.push(e);
  return chain;
}

export function tooLarge(id: JsonRpcId, method: string, maxBytes: number): JsonRpcAnswer {
  return rpcError(id, RPC_ERROR.limitExceeded, `the answer to ${method} is larger than this gateway's limit of ${maxBytes} bytes; ask for less (a smaller block range)`, {
    limit: maxBytes,
  });
}

/**
 * The node's error as JSON-RPC. The node's own error is the innermost of the cause chain (viem
 * wraps it); its code, message and data are passed on. An in-process node (Hardhat) throws a
 * revert without a code: it is answered as nodes answer a revert, code 3 with the revert data.
 */
export function nodeError(id: JsonRpcId, method: string, error: unknown, maxBytes: number): JsonRpcAnswer {
  const chain = causes(error);
  if (error instanceof ChainUnreachableError) {
    const timedOut = chain.some((e) => (e as { name?: string }).name === "TimeoutError");
    return rpcError(id, RPC_ERROR.internal, timedOut ? "the chain node did not answer in time; try again shortly" : "the chain node is unreachable; try again shortly");
  }
  if (chain.some((e) => (e as { name?: string }).name === "ResponseBodyTooLargeError")) return tooLarge(id, method, maxBytes);
  const own = chain[chain.length - 1] as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  const message = redactSecrets(typeof own?.message === "string" && own.message.length > 0 ? own.message : "error").slice(0, MAX_MESSAGE_CHARS);
  if (typeof own?.code === "number") return rpcError(id, own.code, message, own.data ?? undefined);
  if (typeof own?.data === "string" && /^0x[0-9a-fA-F]*$/.test(own.data)) return rpcError(id, RPC_EXECUTION_REVERTED, message, own.data);
  return rpcError(id, RPC_ERROR.internal, "the chain node failed to answer");
}

/** What geth, anvil and Besu answer a reverted eth_call with. */
const RPC_EXECUTION_REVERTED = 3;

/** The answer to one call, serialised (a large eth_getLogs result is stringified once, not twice); ok when it is a result. */
export async function forward(gateway: ChainGateway, id: JsonRpcId, method: string, params: unknown[], maxBytes: number): Promise<{ text: string; ok: boolean }> {
  let result: unknown;
  try {
    result = await gateway.guard(method, () => gateway.client.request({ method, params } as never));
  } catch (error) {
    return { text: JSON.stringify(nodeError(id, method, error, maxBytes)), ok: false };
  }
  const json = JSON.stringify(result ?? null);
  if (Buffer.byteLength(json) > maxBytes) return { text: JSON.stringify(tooLarge(id, method, maxBytes)), ok: false };
  return { text: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${json}}`, ok: true };
}
