/**
 * The auditor's only line to the world: JSON-RPC to a chain node. Over HTTP it posts raw JSON and
 * parses the reply itself (much faster than a generic client on large `eth_getLogs` answers) and
 * sends JSON-RPC batches; over a viem transport (an EIP-1193 provider, e.g. an in-process test
 * chain) it makes the same calls one by one, a few at a time.
 */
import type { Transport } from "viem";
import { RpcRequestError, RpcResponseTooLargeError, RpcUnavailableError } from "../errors/rpc";

export interface RpcCall {
  method: string;
  params: unknown[];
}

export interface RequestOptions {
  /**
   * Abandon the request once its reply passes this many bytes (`RpcResponseTooLargeError`), so
   * one unexpectedly dense page cannot exhaust memory.
   */
  maxResponseBytes?: number;
}

export interface RpcClient {
  request<T>(method: string, params: unknown[], options?: RequestOptions): Promise<T>;
  /** Results in call order; the first failed call throws. */
  batch<T>(calls: RpcCall[]): Promise<T[]>;
  /** Where the node is, for messages. */
  readonly label: string;
}

interface JsonRpcReply {
  id: number;
  result?: unknown;
  error?: { code?: number; message?: string; data?: unknown };
}

export interface HttpRpcOptions {
  /** Abort a request after this long (ms). */
  timeoutMs?: number;
  /** Retries of a request that failed to reach the node (not of JSON-RPC errors). */
  retries?: number;
  headers?: Record<string, string>;
}

export function createHttpRpc(url: string, options: HttpRpcOptions = {}): RpcClient {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const retries = options.retries ?? 2;
  let nextId = 1;

  /** The body as text, abandoning the request once it passes `limit` bytes. */
  async function readBody(response: Response, controller: AbortController, limit: number | undefined, what: string): Promise<string> {
    if (limit === undefined || !response.body) return response.text();
    const declared = Number(response.headers.get("content-length") ?? NaN);
    const tooLarge = () => {
      controller.abort();
      return new RpcResponseTooLargeError(what, limit);
    };
    if (declared > limit) throw tooLarge();
    const reader = response.body.getReader();
    // TextDecoder, not Buffer, so this runs in browsers; streaming keeps a character split across
    // chunks whole, and `ignoreBOM` keeps a leading BOM as Buffer's "utf8" did.
    const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
    const parts: string[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge();
      parts.push(utf8.decode(value, { stream: true }));
    }
    parts.push(utf8.decode());
    return parts.join("");
  }

  async function post(body: string, what: string, maxResponseBytes?: number): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let text: string;
      try {
        const controller = new AbortController();
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body,
          signal: AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]),
        });
        text = await readBody(response, controller, maxResponseBytes, what);
        if (!response.ok && !text.startsWith("{") && !text.startsWith("[")) {
          throw new RpcUnavailableError(`The node at ${url} answered HTTP ${response.status} to ${what}.`, {
            details: { url, status: response.status, body: text.slice(0, 200) },
          });
        }
      } catch (cause) {
        if (cause instanceof RpcResponseTooLargeError) throw cause;
        if (attempt < retries && !(cause instanceof RpcUnavailableError)) {
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
          continue;
        }
        if (cause instanceof RpcUnavailableError) throw cause;
        throw new RpcUnavailableError(`Cannot reach the node at ${url} (${what}).`, {
          cause,
          details: { url, reason: cause instanceof Error ? cause.message : String(cause) },
        });
      }
      try {
        return JSON.parse(text);
      } catch (cause) {
        throw new RpcUnavailableError(`The node at ${url} answered ${what} with something that is not JSON.`, {
          cause,
          details: { url, body: text.slice(0, 200) },
        });
      }
    }
  }

  function unwrap<T>(reply: JsonRpcReply | undefined, method: string): T {
    if (!reply || typeof reply !== "object") throw new RpcUnavailableError(`No reply to ${method} from ${url}.`);
    if (reply.error) {
      throw new RpcRequestError(method, reply.error.code, reply.error.message ?? "unknown error", {
        details: reply.error.data === undefined ? {} : { data: reply.error.data },
        cause: reply.error,
      });
    }
    return reply.result as T;
  }

  return {
    label: url,
    async request<T>(method: string, params: unknown[], requestOptions?: RequestOptions): Promise<T> {
      const id = nextId++;
      const reply = (await post(JSON.stringify({ jsonrpc: "2.0", id, method, params }), method, requestOptions?.maxResponseBytes)) as JsonRpcReply;
      return unwrap<T>(reply, method);
    },
    async batch<T>(calls: RpcCall[]): Promise<T[]> {
      if (calls.length === 0) return [];
      const first = nextId;
      nextId += calls.length;
      const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params })));
      const replies = await post(body, `a batch of ${calls.length} ${calls[0].method}`);
      if (!Array.isArray(replies)) {
        // Nodes without batch support answer with one error object.
        return unwrap<never>(replies as JsonRpcReply, `batch of ${calls[0].method}`);
      }
      const byId = new Map<number, JsonRpcReply>();
      for (const reply of replies as JsonRpcReply[]) byId.set(reply.id, reply);
      return calls.map((c, i) => unwrap<T>(byId.get(first + i), c.method));
    },
  };
}

/** Wraps a viem transport (`http(url)`, `custom(provider)`, ...). Batches become concurrent calls. */
export function createTransportRpc(transport: Transport, options: { concurrency?: number } = {}): RpcClient {
  const { request, value } = transport({ retryCount: 0 });
  const concurrency = options.concurrency ?? 8;
  const label = typeof value?.url === "string" ? value.url : "the given transport";

  async function call<T>(method: string, params: unknown[]): Promise<T> {
    try {
      return (await request({ method, params } as never)) as T;
    } catch (cause) {
      const err = cause as { code?: number; shortMessage?: string; message?: string; data?: unknown };
      const tooLarge = causeNamed(cause, "ResponseBodyTooLargeError") as { maxSize?: number } | undefined;
      if (tooLarge) throw new RpcResponseTooLargeError(method, tooLarge.maxSize ?? 0, { cause });
      if (typeof err.code === "number" && err.code !== -1) {
        throw new RpcRequestError(method, err.code, err.shortMessage ?? err.message ?? "unknown error", { cause });
      }
      throw new RpcUnavailableError(`The transport failed on ${method}.`, { cause, details: { reason: err.message } });
    }
  }

  return {
    label,
    request: call,
    async batch<T>(calls: RpcCall[]): Promise<T[]> {
      const results = new Array<T>(calls.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < calls.length) {
          const i = next++;
          results[i] = await call<T>(calls[i].method, calls[i].params);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
      return results;
    },
  };
}

/** The first error in a cause chain with this name (viem wraps the errors of its transports). */
function causeNamed(error: unknown, name: string): unknown {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { name?: string }).name === name) return e;
  }
  return undefined;
}
