/**
 * A `fetch` for viem's http transport over node:http with kept-alive connections. Global fetch
 * (undici) builds web streams, a Request and a Response per call: profiled under `npm run
 * bench:relay`, that took about 15% of the relay's CPU, for JSON-RPC calls of a few hundred bytes.
 * This answers with the little of a Response that viem reads (ok, status, statusText, headers.get,
 * text) and turns an aborted signal into an AbortError, as fetch does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | null;
}

interface MinimalResponse {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: null;
  text(): Promise<string>;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}

/** A fetch bound to its own connection pool (at most `maxSockets` open to the node at once). */
export function createNodeFetch(options: { maxSockets?: number } = {}): (url: string | URL, init?: FetchInit) => Promise<MinimalResponse> {
  const agents = {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 }),
  };
  return (input, init = {}) =>
    new Promise<MinimalResponse>((resolve, reject) => {
      const url = typeof input === "string" ? new URL(input) : input;
      const protocol = url.protocol as keyof typeof agents;
      if (!agents[protocol]) return reject(new TypeError(`unsupported protocol ${url.protocol}`));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(abortError(signal));
      const body = init.body ?? "";
      const request = (protocol === "https:" ? httpsRequest : httpRequest)(url, {
        method: init.method ?? "POST",
        agent: agents[protocol],
        headers: { ...init.headers, "content-length": Buffer.byteLength(body) },
      });
      const onAbort = () => request.destroy(abortError(signal!));
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      request.on("error", (error) => {
        settle();
        reject(error);
      });
      request.on("response", (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => {
          settle();
          reject(error);
        });
        response.on("end", () => {
          settle();
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? "",
            headers: {
              get(name: string) {
                const value = response.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
              },
            },
            body: null,
            text: async () => text,
          });
        });
      });
      request.end(body);
    });
}
