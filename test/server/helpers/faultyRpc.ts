/**
 * A JSON-RPC proxy between the relay and a real node that misbehaves the way nodes and networks do:
 * it answers a transaction's receipt (and the transaction itself) as missing the first times it is
 * asked although the node has it, answers receipts late, lets some requests reach the node but
 * loses the answer (the connection closes with nothing sent back), and answers some transactions
 * the node accepted with an error. Everything else passes through. Faults can be changed at any time.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Faults {
  /** Times each transaction's receipt (and eth_getTransactionByHash) is answered as null before the truth. */
  hideFirst: number;
  /** Receipts are answered after a random delay up to this many milliseconds. */
  receiptDelayMs: number;
  /** Share of requests (0..1) forwarded to the node whose answer is then lost. */
  dropRate: number;
  /** Share of eth_sendRawTransaction requests (0..1) the node accepts but that are answered with an error. */
  refuseAcceptedRate?: number;
  /** Seeded, so that a failure can be replayed. */
  seed: number;
}

export interface FaultCounts {
  hidden: number;
  delayed: number;
  dropped: number;
  refusedAccepted: number;
  forwarded: number;
}

export interface FaultyRpc {
  url: string;
  faults: Faults;
  counts: FaultCounts;
  stop(): Promise<void>;
}

interface RpcRequest {
  id: unknown;
  method: string;
  params?: unknown[];
}

/** mulberry32: a small deterministic generator for the drop and delay decisions. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFaultyRpc(upstream: string, faults: Faults): Promise<FaultyRpc> {
  const next = random(faults.seed);
  const asked = new Map<string, number>();
  const counts: FaultCounts = { hidden: 0, delayed: 0, dropped: 0, refusedAccepted: 0, forwarded: 0 };

  /** Whether this ask about a transaction is one of the first `hideFirst`, answered as missing. */
  const hide = (request: RpcRequest): boolean => {
    if (request.method !== "eth_getTransactionReceipt" && request.method !== "eth_getTransactionByHash") return false;
    const key = `${request.method}:${String(request.params?.[0]).toLowerCase()}`;
    const n = (asked.get(key) ?? 0) + 1;
    asked.set(key, n);
    return n <= faults.hideFirst;
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
      const requests = Array.isArray(parsed) ? parsed : [parsed];
      const upstreamRes = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
      const answer = (await upstreamRes.json()) as { id: unknown; result?: unknown } | { id: unknown; result?: unknown }[];
      counts.forwarded += requests.length;
      if (next() < faults.dropRate) {
        counts.dropped += 1;
        req.socket.destroy(); // the node acted; the relay never hears of it
        return;
      }
      const answers = Array.isArray(answer) ? answer : [answer];
      let delay = 0;
      for (const request of requests) {
        const a = answers.find((x) => x.id === request.id) as { id: unknown; result?: unknown; error?: unknown } | undefined;
        if (!a) continue;
        if (request.method === "eth_sendRawTransaction" && a.result && next() < (faults.refuseAcceptedRate ?? 0)) {
          delete a.result;
          a.error = { code: -32000, message: "internal error: the transaction pool could not be reached" };
          counts.refusedAccepted += 1;
        }
        if (hide(request) && a.result) {
          a.result = null;
          counts.hidden += 1;
        }
        if (request.method === "eth_getTransactionReceipt" && faults.receiptDelayMs > 0) {
          delay = Math.max(delay, Math.floor(next() * faults.receiptDelayMs));
          counts.delayed += 1;
        }
      }
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    } catch (error) {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `proxy: ${(error as Error).message}` } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    counts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
