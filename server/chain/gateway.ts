/**
 * The relay's only door to the chain: sending signed bytes, receipts, nonces, simulation, and the
 * ledger's views. Every failure to reach the node becomes ChainUnreachableError, so callers can tell
 * "the chain said no" from "the chain is not there".
 */
import {
  createPublicClient,
  type Address,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { RpcRequestError } from "../../sdk/src/errors/rpc";
import type { RpcClient } from "../../sdk/src/auditor/rpc";
import type { OperationFailure } from "../../sdk/src/wire/operations";
import type { ChainHealth } from "../pipeline/health";
import { redactSecrets } from "../redact";
import { decodeRevert, findRevertData } from "./revert";

export class ChainUnreachableError extends Error {
  override readonly name = "ChainUnreachableError" as const;
  readonly code = "chain_unreachable" as const;
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

export type SendOutcome =
  | { kind: "accepted" }
  | { kind: "known" }
  | { kind: "nonce-too-low" }
  | { kind: "rejected"; message: string };

export type SimulationOutcome = { ok: true } | { ok: false; failure: OperationFailure };

const NETWORK_ERROR_NAMES = new Set(["HttpRequestError", "TimeoutError", "SocketClosedError", "WebSocketRequestError"]);

function isNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 8; depth += 1) {
    const name = (current as { name?: string }).name ?? "";
    const code = (current as { code?: string }).code;
    if (NETWORK_ERROR_NAMES.has(name) || code === "ECONNREFUSED" || code === "ECONNRESET" || code === "UND_ERR_SOCKET") return true;
    if (/fetch failed|ECONNREFUSED|socket hang up|other side closed/i.test((current as Error).message ?? "")) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * What the node said, through the cause chain: of viem's errors their short message and details
 * (never the full message, which repeats the node's URL and the request body: a raw transaction,
 * calldata), of anything else its message; with redactSecrets applied all the same.
 */
export function messageOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 8; depth += 1) {
    const e = current as { message?: unknown; shortMessage?: unknown; details?: unknown };
    if (typeof e.shortMessage === "string") {
      parts.push(e.shortMessage);
      if (typeof e.details === "string" && e.details.length > 0) parts.push(e.details);
    } else parts.push(String(e.message ?? ""));
    current = (current as { cause?: unknown }).cause;
  }
  return redactSecrets([...new Set(parts)].join(" | "));
}

export interface Receipt {
  status: "success" | "reverted";
  blockNumber: number;
}

export class ChainGateway {
  readonly client: PublicClient;

  constructor(
    transport: Transport,
    readonly health?: ChainHealth,
  ) {
    this.client = createPublicClient({ transport }) as PublicClient;
  }

  /** Runs a call, recording the chain's health and turning network failures into ChainUnreachableError. */
  async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    try {
      const result = await fn();
      this.health?.ok(startedAt);
      return result;
    } catch (error) {
      if (isNetworkError(error)) {
        const unreachable = new ChainUnreachableError(`chain unreachable during ${what}`, { cause: error });
        this.health?.failed(unreachable);
        throw unreachable;
      }
      this.health?.ok(startedAt); // the node answered, with an error
      throw error;
    }
  }

  async chainId(): Promise<number> {
    return this.guard("eth_chainId", () => this.client.getChainId());
  }

  async blockNumber(): Promise<bigint> {
    return this.guard("eth_blockNumber", () => this.client.getBlockNumber({ cacheTime: 0 }));
  }

  async transactionCount(address: Address, blockTag: "latest" | "pending"): Promise<number> {
    return this.guard("eth_getTransactionCount", () => this.client.getTransactionCount({ address, blockTag }));
  }

  async sendRaw(raw: Hex): Promise<SendOutcome> {
    try {
      await this.guard("eth_sendRawTransaction", () => this.client.request({ method: "eth_sendRawTransaction", params: [raw] }));
      return { kind: "accepted" };
    } catch (error) {
      if (error instanceof ChainUnreachableError) throw error;
      const message = messageOf(error);
      if (/already known|known transaction|already imported|alreadyknown|already in (the )?(pool|mempool)/i.test(message)) return { kind: "known" };
      if (/nonce too low|nonce is too low|nonceTooLow|already used|lower than the current nonce/i.test(message)) return { kind: "nonce-too-low" };
      return { kind: "rejected", message: message.slice(0, 300) };
    }
  }

  async receipt(hash: Hex): Promise<Receipt | undefined> {
    const r = await this.guard("eth_getTransactionReceipt", () => this.client.request({ method: "eth_getTransactionReceipt", params: [hash] }));
    if (!r || !r.blockNumber) return undefined;
    return { status: r.status === "0x1" ? "success" : "reverted", blockNumber: Number(BigInt(r.blockNumber)) };
  }

  async isKnownTransaction(hash: Hex): Promise<boolean> {
    return (await this.transaction(hash)) !== undefined;
  }

  /** The node's view of a transaction: unknown (undefined), pending (blockNumber null) or in a block. */
  async transaction(hash: Hex): Promise<{ blockNumber: number | null } | undefined> {
    const tx = await this.guard("eth_getTransactionByHash", () => this.client.request({ method: "eth_getTransactionByHash", params: [hash] }));
    if (!tx) return undefined;
    return { blockNumber: tx.blockNumber ? Number(BigInt(tx.blockNumber)) : null };
  }

  /** An account's nonce as of a past block; undefined where the node no longer keeps that state. */
  async transactionCountAt(address: Address, blockNumber: number): Promise<number | undefined> {
    try {
      return await this.guard("eth_getTransactionCount", () => this.client.getTransactionCount({ address, blockNumber: BigInt(blockNumber) }));
    } catch (error) {
      if (error instanceof ChainUnreachableError) throw error;
      return undefined;
    }
  }

  /** Hash of the transaction `from` sent with `nonce` in block `blockNumber`, if that block has one. */
  async transactionInBlock(blockNumber: number, from: Address, nonce: number): Promise<Hex | undefined> {
    const block = await this.guard("eth_getBlockByNumber", () => this.client.getBlock({ blockNumber: BigInt(blockNumber), includeTransactions: true }));
    const sender = from.toLowerCase();
    return block.transactions.find((tx) => tx.from.toLowerCase() === sender && tx.nonce === nonce)?.hash;
  }

  /** eth_call from `from`; a revert is decoded to the ledger's error. Against pending state where supported. */
  async simulate(from: Address, to: Address, data: Hex, gas?: bigint): Promise<SimulationOutcome> {
    try {
      await this.guard("eth_call", () =>
        this.client.request({
          method: "eth_call",
          params: [{ from, to, data, ...(gas ? { gas: `0x${gas.toString(16)}` } : {}) }, "pending"],
        }),
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof ChainUnreachableError) throw error;
      const revert = findRevertData(error);
      if (revert) return { ok: false, failure: decodeRevert(revert) };
      const message = messageOf(error);
      if (/revert/i.test(message)) return { ok: false, failure: { name: "Reverted", message: "the ledger rejected it without a reason" } };
      throw error;
    }
  }
}

/**
 * The gateway's node as the SDK's RpcClient, for the SDK's PairReader. An error the node answered
 * with becomes RpcRequestError (the reader then falls back to plain calls); a network failure
 * passes through unchanged, for `guard` to turn into ChainUnreachableError.
 */
export function pairReaderRpc(gateway: ChainGateway): RpcClient {
  const rpc: RpcClient = {
    label: "the relay's node",
    async request<T>(method: string, params: unknown[]): Promise<T> {
      try {
        return (await gateway.client.request({ method, params } as never)) as T;
      } catch (error) {
        if (isNetworkError(error)) throw error;
        throw new RpcRequestError(method, (error as { code?: number }).code, messageOf(error).slice(0, 300), { cause: error });
      }
    },
    batch: <T>(calls: { method: string; params: unknown[] }[]) => Promise.all(calls.map((c) => rpc.request<T>(c.method, c.params))),
  };
  return rpc;
}
