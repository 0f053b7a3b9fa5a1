/** The agency's back office as the benchmark plays it: signed POSTs over kept-alive connections, several at once. */
import { randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { signRequest } from "../../../sdk/src/auth";

export interface Credentials {
  keyId: string;
  secret: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A signed POST; a retry of the same request passes the same `idempotencyKey`. */
export function post(url: string, creds: Credentials, path: string, body: unknown, idempotencyKey = randomBytes(12).toString("hex")): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(body);
  // Signature v2 covers the host and the Idempotency-Key, and sets that header.
  const headers = signRequest(creds, { method: "POST", host: new URL(url).host, path, idempotencyKey, body: raw });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      {
        method: "POST",
        agent,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(raw) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    req.end(raw);
  });
}

/**
 * `count` requests by `concurrency` clients, each sending its next as soon as the last is answered;
 * `send(i)` makes request i. Returns each request's latency (ms) and the seconds the whole took.
 */
export async function drive(count: number, concurrency: number, send: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await send(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
