/**
 * Bare JSON-RPC calls with a timeout, for the first contact with a node: ethers' provider retries an
 * unreachable endpoint forever, and we want a clear "cannot reach" instead.
 */
import { FetchRequest, JsonRpcProvider, Network } from "ethers";

export class RpcError extends Error {
  override readonly name = "RpcError" as const;
  constructor(
    message: string,
    /** JSON-RPC error code, or undefined when the node was not reached. */
    readonly code: number | undefined,
    options: { cause?: unknown; data?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.data = options.data;
  }

  /** The JSON-RPC error's `data` (a revert's return data, for eth_call). */
  readonly data: unknown;
}

/** JSON-RPC "method not found": the node does not serve this API (or it is not enabled). */
export const METHOD_NOT_FOUND = -32601;

export async function rpcCall<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 5_000): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new RpcError(`cannot reach ${url}: ${(cause as Error).message}`, undefined, { cause });
  }
  const body = (await response.json().catch(() => undefined)) as { result?: T; error?: { code: number; message: string; data?: unknown } } | undefined;
  if (!body) throw new RpcError(`${url} answered ${method} with HTTP ${response.status} and no JSON-RPC body`, undefined);
  if (body.error) throw new RpcError(`${method}: ${body.error.message}`, body.error.code, { data: body.error.data });
  return body.result as T;
}

/** A provider for a node whose chain id is known: no network re-detection, no nonce caching, no batching stall. */
export function providerFor(url: string, chainId: number): JsonRpcProvider {
  const request = new FetchRequest(url);
  request.timeout = 30_000;
  return new JsonRpcProvider(request, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1, polling: true, pollingInterval: 250 });
}
