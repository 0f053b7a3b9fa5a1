/**
 * The chain as the wallet reads it: through the relay's read-only JSON-RPC gateway on the app's own
 * origin (/rpc, which the content security policy allows), for the SDK's live exchange quote and
 * the times of the blocks in the resident's history.
 */
import { createPublicClient, http, type PublicClient } from "viem";

let client: PublicClient | undefined;

export function chainClient(): PublicClient {
  client ??= createPublicClient({ transport: http(`${window.location.origin}/rpc`, { batch: true }) }) as PublicClient;
  return client;
}

const blockTimes = new Map<number, Promise<number>>();

/** A block's time (unix seconds), asked once per block. */
export function blockTime(blockNumber: number): Promise<number> {
  let time = blockTimes.get(blockNumber);
  if (!time) {
    time = chainClient()
      .getBlock({ blockNumber: BigInt(blockNumber) })
      .then((b) => Number(b.timestamp));
    time.catch(() => blockTimes.delete(blockNumber));
    blockTimes.set(blockNumber, time);
  }
  return time;
}
