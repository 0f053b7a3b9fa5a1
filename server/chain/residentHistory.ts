/**
 * A resident's ledger events, scanned from the chain one page at a time: a page covers at most
 * `maxBlocks` blocks from its start, in spans of 5,000 blocks (as Besu allows), one eth_getLogs per
 * event and span filtered on the resident's indexed topic so that only their logs travel, and
 * holds at most `maxEntries` events; oldest first. So one request costs at most
 * 5 × ceil(maxBlocks / 5,000) eth_getLogs, however long the chain. Event ABIs are the generated ABI's.
 */
import { getAbiItem, type Address, type Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import type { ChainGateway } from "./gateway";

/** Blocks per eth_getLogs. */
const PAGE_BLOCKS = 5_000n;

const ISSUED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsIssued" });
const EXCHANGED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsExchanged" });
const REDEEMED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsRedeemed" });
const TRANSFERRED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsTransferred" });

/** The events that move a resident's points, with the arguments the history shows. */
export type ResidentEvent =
  | { eventName: "PointsIssued"; args: { domainId: number; resident: Address; issuer: Address; amount: bigint } }
  | { eventName: "PointsExchanged"; args: { resident: Address; agreementId: bigint; version: number; amountIn: bigint; amountOut: bigint; nonce: bigint } }
  | { eventName: "PointsRedeemed"; args: { domainId: number; resident: Address; partner: Address; amount: bigint; orderRef: Hex; nonce: bigint } }
  | { eventName: "PointsTransferred"; args: { domainId: number; from: Address; to: Address; amount: bigint; nonce: bigint } };

export type ResidentLog = ResidentEvent & { blockNumber: bigint; logIndex: number; transactionHash: Hex };

/** A place in the chain's logs: a block, and a log index within it. */
export interface LogPosition {
  block: bigint;
  logIndex: number;
}

export interface ResidentLogPage {
  logs: ResidentLog[];
  /** Where the next page starts; undefined once this page reached the chain's head. */
  next?: LogPosition;
}

const FILTERS = (resident: Address) =>
  [
    { event: ISSUED, args: { resident } },
    { event: EXCHANGED, args: { resident } },
    { event: REDEEMED, args: { resident } },
    { event: TRANSFERRED, args: { from: resident } },
    { event: TRANSFERRED, args: { to: resident } },
  ] as const;

const order = (a: ResidentLog, b: ResidentLog) => (a.blockNumber !== b.blockNumber ? (a.blockNumber < b.blockNumber ? -1 : 1) : a.logIndex - b.logIndex);
const before = (log: ResidentLog, at: LogPosition) => log.blockNumber < at.block || (log.blockNumber === at.block && log.logIndex < at.logIndex);

export async function residentLogPage(
  gateway: ChainGateway,
  ledger: Address,
  resident: Address,
  start: LogPosition,
  limits: { maxBlocks: number; maxEntries: number },
): Promise<ResidentLogPage> {
  const latest = await gateway.blockNumber();
  if (start.block > latest) return { logs: [] };
  const last = start.block + BigInt(limits.maxBlocks) - 1n < latest ? start.block + BigInt(limits.maxBlocks) - 1n : latest;
  const logs: ResidentLog[] = [];
  for (let from = start.block; from <= last; from += PAGE_BLOCKS) {
    const to = from + PAGE_BLOCKS - 1n < last ? from + PAGE_BLOCKS - 1n : last;
    for (const filter of FILTERS(resident)) {
      const page = await gateway.guard("eth_getLogs", () =>
        gateway.client.getLogs({ address: ledger, event: filter.event, args: filter.args as never, fromBlock: from, toBlock: to }),
      );
      logs.push(...(page as unknown as ResidentLog[]).filter((log) => !before(log, start)));
    }
  }
  logs.sort(order);
  if (logs.length > limits.maxEntries) {
    const first = logs[limits.maxEntries];
    return { logs: logs.slice(0, limits.maxEntries), next: { block: first.blockNumber, logIndex: first.logIndex } };
  }
  return { logs, next: last < latest ? { block: last + 1n, logIndex: 0 } : undefined };
}
