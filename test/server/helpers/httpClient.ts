/** A minimal signed HTTP client for the relay, as an agency's back office would use it (fetch + sdk/src/auth). */
import { randomBytes } from "node:crypto";
import { signRequest, HEADER_IDEMPOTENCY_KEY } from "../../../sdk/src/auth";

export interface Credentials {
  keyId: string;
  secret: string;
}

export async function call(
  baseUrl: string,
  credentials: Credentials | undefined,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<{ status: number; body: any }> {
  const raw = body === undefined ? "" : JSON.stringify(body);
  const key = method === "POST" ? (idempotencyKey ?? randomBytes(8).toString("hex")) : undefined;
  const headers: Record<string, string> = credentials
    ? signRequest(credentials, { method, host: new URL(baseUrl).host, path, idempotencyKey: key, body: raw })
    : key
      ? { [HEADER_IDEMPOTENCY_KEY]: key }
      : {};
  if (raw) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: raw || undefined, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function waitOperation(baseUrl: string, credentials: Credentials | undefined, id: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(baseUrl, credentials, "GET", `/v1/operations/${id}`);
    if (res.status === 200 && (res.body.operation.status === "confirmed" || res.body.operation.status === "failed")) return res.body.operation;
    if (Date.now() > deadline) throw new Error(`operation ${id} not final: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
