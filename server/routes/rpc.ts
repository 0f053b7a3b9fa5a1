/**
 * POST /rpc: the read-only JSON-RPC gateway to the chain, for auditors (`npm run audit -- --rpc
 * <relay>/rpc`) and web pages (CORS open to any origin: there is nothing to protect in a read
 * every node would answer). Only the methods of rpc/methodPolicy.ts reach the node.
 *
 * A request that cannot be served at all is answered with its HTTP status and a JSON-RPC error:
 * 415 not JSON, 413 too large, 400 unreadable or a batch over RPC_MAX_BATCH, 429 over
 * RPC_RATE_LIMIT_PER_MINUTE calls from one client address (each call of a batch counts). Each call
 * is then answered as JSON-RPC nodes answer, with HTTP 200: its result, or its error (-32601 for a
 * method not served, -32005 for too many blocks or too large an answer, the node's own error).
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import type { ChainGateway } from "../chain/gateway";
import type { RelayConfig } from "../config";
import { clientAddressKey } from "../http/rateLimit";
import { WindowLimiter } from "../http/windowLimiter";
import type { Metrics } from "../metrics";
import { forward } from "../rpc/forward";
import { parseBody, readCall, RPC_ERROR, rpcError, type JsonRpcAnswer } from "../rpc/jsonRpc";
import { checkCall, type PolicyLimits } from "../rpc/methodPolicy";

/** Calls of one batch sent to the node at once. */
const CONCURRENCY = 8;
/** How long the chain's head, asked for an eth_getLogs given by tags, is reused. */
const HEAD_TTL_MS = 1_000;

type RpcConfig = Pick<
  RelayConfig,
  "RPC_RATE_LIMIT_PER_MINUTE" | "RPC_MAX_BATCH" | "RPC_MAX_LOG_BLOCKS" | "RPC_MAX_RESPONSE_BYTES" | "RPC_CALL_GAS_CAP" | "RPC_BODY_LIMIT_BYTES"
>;

function cors(res: Response): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Content-Type");
  res.setHeader("Access-Control-Expose-Headers", "Retry-After");
  res.setHeader("Access-Control-Max-Age", "600");
  res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
}

function answer(res: Response, status: number, body: JsonRpcAnswer | string): void {
  res.status(status).type("application/json").send(typeof body === "string" ? body : JSON.stringify(body));
}

export function rpcRoutes(deps: { config: RpcConfig; chain: ChainGateway; metrics: Metrics }): Router {
  const { config, chain, metrics } = deps;
  const limits: PolicyLimits = { maxLogBlocks: config.RPC_MAX_LOG_BLOCKS, callGasCap: BigInt(config.RPC_CALL_GAS_CAP) };
  const limiter = new WindowLimiter(config.RPC_RATE_LIMIT_PER_MINUTE);
  const readBody = express.raw({ type: () => true, limit: config.RPC_BODY_LIMIT_BYTES });
  let head: { value: Promise<bigint>; at: number } | undefined;
  const latest = () => {
    if (!head || Date.now() - head.at > HEAD_TTL_MS) head = { value: chain.blockNumber(), at: Date.now() };
    const current = head;
    current.value.catch(() => (head === current ? (head = undefined) : undefined));
    return current.value;
  };

  /** One element of the request, answered (serialised). */
  async function serve(item: unknown): Promise<string> {
    const read = readCall(item);
    if ("answer" in read) return JSON.stringify(read.answer);
    const { id, method, params } = read.call;
    let verdict;
    try {
      verdict = await checkCall(method, params, limits, latest);
    } catch {
      return JSON.stringify(rpcError(id, RPC_ERROR.internal, "the chain node is unreachable; try again shortly"));
    }
    if (!verdict.ok) {
      metrics.rpcCalls.inc({ method: "(refused)", outcome: "refused" });
      return JSON.stringify({ jsonrpc: "2.0", id, error: verdict.error });
    }
    const { text, ok } = await forward(chain, id, verdict.method, verdict.params, config.RPC_MAX_RESPONSE_BYTES);
    metrics.rpcCalls.inc({ method: verdict.method, outcome: ok ? "result" : "error" });
    return text;
  }

  /** A batch's answers, in order; once they pass the response size limit the rest are refused. */
  async function serveBatch(items: unknown[]): Promise<string[]> {
    const out: string[] = [];
    let bytes = 0;
    for (let at = 0; at < items.length; at += CONCURRENCY) {
      const texts = await Promise.all(items.slice(at, at + CONCURRENCY).map(serve));
      for (const [i, text] of texts.entries()) {
        bytes += Buffer.byteLength(text);
        if (bytes <= config.RPC_MAX_RESPONSE_BYTES) out.push(text);
        else {
          const id = readCall(items[at + i]);
          out.push(JSON.stringify(rpcError("call" in id ? id.call.id : null, RPC_ERROR.limitExceeded, `the batch's answers are larger than this gateway's limit of ${config.RPC_MAX_RESPONSE_BYTES} bytes; send fewer calls`)));
        }
      }
    }
    return out;
  }

  const router = Router();
  router.options("/rpc", (_req, res) => {
    cors(res);
    res.status(204).end();
  });
  router.post("/rpc", (req: Request, res: Response, next: NextFunction) => {
    cors(res);
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      return answer(res, 415, rpcError(null, RPC_ERROR.invalidRequest, "the body must be JSON-RPC (Content-Type: application/json)"));
    }
    readBody(req, res, (error?: unknown) => {
      if (error) {
        if ((error as { type?: string }).type === "entity.too.large") {
          return answer(res, 413, rpcError(null, RPC_ERROR.invalidRequest, `the request is larger than ${config.RPC_BODY_LIMIT_BYTES} bytes`));
        }
        return answer(res, 400, rpcError(null, RPC_ERROR.parse, "the body could not be read"));
      }
      const parsed = parseBody(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      if (parsed.kind === "invalid") return answer(res, 400, parsed.answer);
      const calls = parsed.kind === "batch" ? parsed.items.length : 1;
      if (calls > config.RPC_MAX_BATCH) {
        return answer(res, 400, rpcError(null, RPC_ERROR.invalidRequest, `a batch may hold at most ${config.RPC_MAX_BATCH} calls; this one holds ${calls}`, { limit: config.RPC_MAX_BATCH }));
      }
      const verdict = limiter.take(clientAddressKey(req), calls);
      if (!verdict.allowed) {
        res.setHeader("Retry-After", String(verdict.retryAfterSeconds));
        return answer(
          res,
          429,
          rpcError(null, RPC_ERROR.rateLimited, `too many calls: at most ${config.RPC_RATE_LIMIT_PER_MINUTE} a minute from one address; retry in ${verdict.retryAfterSeconds} s`, {
            limitPerMinute: config.RPC_RATE_LIMIT_PER_MINUTE,
          }),
        );
      }
      const work = parsed.kind === "batch" ? serveBatch(parsed.items).then((texts) => `[${texts.join(",")}]`) : serve(parsed.item);
      work.then((text) => answer(res, 200, text), next);
    });
  });
  return router;
}
