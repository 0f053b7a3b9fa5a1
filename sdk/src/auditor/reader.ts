/**
 * Reads many two-argument views of the ledger (`balanceOf`, `nonces`, `isClaimUsed`) at one block. Preferred: an
 * `eth_call` with a state override that runs the reader in readerCode.ts, thousands of reads per
 * call (anvil, Hardhat, geth and Besu accept overrides). Otherwise: plain `eth_call`s sent in
 * JSON-RPC batches. The first chunk decides; a node that rejects the override is not asked again.
 */
import { RpcRequestError } from "../errors/rpc";
import { READER_ADDRESS, READER_CODE } from "./readerCode";
import type { RpcCall, RpcClient } from "./rpc";

export type ReadMethod = "state-override" | "batched-calls";

export interface PairReaderOptions {
  /** Block to read at; "latest" for whatever the node has now. */
  blockNumber: number | "latest";
  /** "auto" tries the override first. */
  method?: ReadMethod | "auto";
  /** Items per overridden call; 2,000 by default (about 6M gas). */
  chunkSize?: number;
  /** Plain calls per JSON-RPC batch; 250 by default. */
  batchSize?: number;
  /** Overridden calls in flight at once; 4 by default. */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

const word = (hex: string): string => hex.replace(/^0x/, "").toLowerCase().padStart(64, "0");
const uintWord = (n: number | bigint): string => n.toString(16).padStart(64, "0");

/** Reads `selector(address, uint)` for each item; remembers which method worked. */
export class PairReader {
  method: ReadMethod | "auto";

  constructor(
    private readonly rpc: RpcClient,
    private readonly target: string,
    method: ReadMethod | "auto" = "auto",
  ) {
    this.method = method;
  }

  async read(selector: string, items: { address: string; id: number | bigint }[], options: PairReaderOptions): Promise<bigint[]> {
    const results = new Array<bigint>(items.length);
    const chunkSize = options.chunkSize ?? 2_000;
    const tag = options.blockNumber === "latest" ? "latest" : "0x" + options.blockNumber.toString(16);
    let done = 0;
    let start = 0;

    if (this.method !== "batched-calls" && items.length > 0) {
      const first = items.slice(0, chunkSize);
      const values = this.method === "auto" ? await this.tryOverride(selector, first, tag) : await this.overrideCall(selector, first, tag);
      if (values) {
        this.method = "state-override";
        values.forEach((v, i) => (results[i] = v));
        start = first.length;
        options.onProgress?.((done = start));
      } else {
        this.method = "batched-calls";
      }
    }

    if (this.method === "state-override") {
      const concurrency = options.concurrency ?? 4;
      const chunks: number[] = [];
      for (let at = start; at < items.length; at += chunkSize) chunks.push(at);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < chunks.length) {
          const at = chunks[next++];
          const values = await this.overrideCall(selector, items.slice(at, at + chunkSize), tag);
          values.forEach((v, i) => (results[at + i] = v));
          options.onProgress?.((done += values.length));
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
      return results;
    }

    const batchSize = options.batchSize ?? 250;
    for (let at = start; at < items.length; at += batchSize) {
      const calls: RpcCall[] = items.slice(at, at + batchSize).map((item) => ({
        method: "eth_call",
        params: [{ to: this.target, data: selector + word(item.address) + uintWord(item.id) }, tag],
      }));
      const answers = await this.rpc.batch<string>(calls);
      answers.forEach((answer, i) => (results[at + i] = BigInt(answer.length > 2 ? answer.slice(0, 66) : 0)));
      options.onProgress?.((done += answers.length));
    }
    return results;
  }

  /** The override call, or undefined when the node does not run it as asked. */
  private async tryOverride(selector: string, items: { address: string; id: number | bigint }[], tag: string): Promise<bigint[] | undefined> {
    try {
      return await this.overrideCall(selector, items, tag);
    } catch (error) {
      if (error instanceof RpcRequestError || error instanceof ReaderAnswerError) return undefined;
      throw error;
    }
  }

  private async overrideCall(selector: string, items: { address: string; id: number | bigint }[], tag: string): Promise<bigint[]> {
    const parts = new Array<string>(items.length + 3);
    parts[0] = "0x" + word(this.target);
    parts[1] = selector.slice(2).padEnd(64, "0");
    for (let i = 0; i < items.length; i++) parts[i + 2] = word(items[i].address) + uintWord(items[i].id);
    parts[items.length + 2] = "";
    const answer = await this.rpc.request<string>("eth_call", [
      { to: READER_ADDRESS, data: parts.join("") },
      tag,
      { [READER_ADDRESS]: { code: READER_CODE } },
    ]);
    if (typeof answer !== "string" || answer.length !== 2 + 64 * items.length) {
      throw new ReaderAnswerError(`the reader answered ${String(answer).length} characters for ${items.length} items`);
    }
    const values = new Array<bigint>(items.length);
    for (let i = 0; i < items.length; i++) values[i] = BigInt("0x" + answer.substr(2 + 64 * i, 64));
    return values;
  }
}

class ReaderAnswerError extends Error {
  override name = "ReaderAnswerError";
}
