/**
 * Reads every log of a set of contracts over a block range, in pages. A page spans at most
 * `maxBlockRange` blocks (Besu refuses more than 5,000 per `eth_getLogs`) and aims at
 * `targetLogsPerPage` logs, so a page's reply stays far below size limits (viem's 10 MiB default
 * is about 17k logs). The span adapts to the density seen so far, growing at most twofold a page; a
 * page that a node refuses as too large, or whose reply passes `maxResponseBytes` (a dense stretch
 * after a quiet one), is asked again in halves, so memory stays bounded whatever the density. The
 * next page is requested while the caller folds the current one.
 */
import { RpcRequestError, RpcResponseTooLargeError, RpcUnavailableError } from "../errors/rpc";
import type { RawLog } from "./decode";
import type { RpcClient } from "./rpc";

export interface LogPage {
  fromBlock: number;
  toBlock: number;
  logs: RawLog[];
}

export interface FetchLogsOptions {
  addresses: string[];
  fromBlock: number;
  toBlock: number;
  /** Most blocks per request; 5,000 by default (Besu's limit). */
  maxBlockRange?: number;
  /** Logs a page aims at; 10,000 by default. */
  targetLogsPerPage?: number;
  /** The first page's span; grows or shrinks from there. */
  initialBlockRange?: number;
  /** A reply larger than this is abandoned and asked again in halves; 16 MiB by default. */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_BLOCK_RANGE = 5_000;
export const DEFAULT_TARGET_LOGS_PER_PAGE = 10_000;
/** About 27,000 logs: a page past this is abandoned, whatever the density guess said. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const TOO_LARGE = /more than|too (many|large|big)|limit|exceed|range|size/i;

function refusedAsTooLarge(error: unknown): boolean {
  if (error instanceof RpcResponseTooLargeError) return true;
  if (error instanceof RpcRequestError) return error.rpcCode === -32005 || TOO_LARGE.test(error.shortMessage);
  return error instanceof RpcUnavailableError && /timeout|aborted/i.test(String((error.details as { reason?: string }).reason));
}

const hex = (n: number): string => "0x" + n.toString(16);

/** Yields pages in block order, each with its logs in log order. */
export async function* fetchLogPages(rpc: RpcClient, options: FetchLogsOptions): AsyncGenerator<LogPage> {
  const maxRange = Math.max(1, options.maxBlockRange ?? DEFAULT_MAX_BLOCK_RANGE);
  const target = Math.max(1, options.targetLogsPerPage ?? DEFAULT_TARGET_LOGS_PER_PAGE);
  const end = options.toBlock;
  let span = Math.min(maxRange, Math.max(1, options.initialBlockRange ?? 100));

  // The end of the last span a node refused (or that was too large): the logs between here and
  // there are dense, so later pages approach it by halves instead of asking for all of it again.
  let refusedEnd = -1;

  const fetchPage = async (from: number, wanted: number): Promise<LogPage> => {
    for (let range = wanted; ; ) {
      const to = Math.min(end, from + range - 1);
      try {
        const logs = await rpc.request<RawLog[]>(
          "eth_getLogs",
          [{ address: options.addresses, fromBlock: hex(from), toBlock: hex(to) }],
          { maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES },
        );
        return { fromBlock: from, toBlock: to, logs: logs.some((l) => l.removed) ? logs.filter((l) => !l.removed) : logs };
      } catch (error) {
        if (range > 1 && refusedAsTooLarge(error)) {
          refusedEnd = Math.max(refusedEnd, to);
          range = Math.ceil(range / 2);
          continue;
        }
        throw error;
      }
    }
  };

  const nextSpan = (page: LogPage): number => {
    const fetched = page.toBlock - page.fromBlock + 1;
    const bySize = Math.floor((fetched * target) / Math.max(1, page.logs.length));
    let next = Math.max(1, Math.min(maxRange, 2 * fetched, bySize));
    const from = page.toBlock + 1;
    if (from <= refusedEnd) next = Math.min(next, Math.ceil((refusedEnd - from + 1) / 2));
    return next;
  };

  if (options.fromBlock > end) return;
  let pending: Promise<LogPage> | undefined = fetchPage(options.fromBlock, span);
  while (pending) {
    const page: LogPage = await pending;
    span = nextSpan(page);
    pending = page.toBlock < end ? fetchPage(page.toBlock + 1, span) : undefined;
    // If the caller stops while the next page is in flight, its failure must not go unhandled.
    pending?.catch(() => undefined);
    yield page;
  }
}
