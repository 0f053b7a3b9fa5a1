/**
 * A resident's ledger events, scanned from the chain: from the deployment block to the latest, in
 * pages of 5,000 blocks (as Besu allows), one eth_getLogs per event filtered on the resident's
 * indexed topic so that only their logs travel. Oldest first. Event ABIs are the generated ABI's.
 */
import { getAbiItem, type Address, type Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import type { ChainGateway } from "./gateway";

const PAGE_BLOCKS = 5_000n;

const ISSUED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsIssued" });
const EXCHANGED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsExchanged" });
const REDEEMED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsRedeemed" });
const TRANSFERRED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsTransferred" });

/** The events that move a resident's points, with the arguments the history shows. */
export type ResidentEvent =
  | { eventName: "PointsIssued"; args: { domainId: number; resident: Address; amount: bigint } }
  | { eventName: "PointsExchanged"; args: { resident: Address; agreementId: bigint; amountIn: bigint; amountOut: bigint; nonce: bigint } }
  | { eventName: "PointsRedeemed"; args: { domainId: number; resident: Address; amount: bigint; nonce: bigint } }
  | { eventName: "PointsTransferred"; args: { domainId: number; from: Address; to: Address; amount: bigint; nonce: bigint } };

export type ResidentLog = ResidentEvent & { blockNumber: bigint; logIndex: number; transactionHash: Hex };

export async function residentLogs(gateway: ChainGateway, ledger: Address, fromBlock: bigint, resident: Address): Promise<ResidentLog[]> {
  const latest = await gateway.blockNumber();
  const filters = [
    { event: ISSUED, args: { resident } },
    { event: EXCHANGED, args: { resident } },
    { event: REDEEMED, args: { resident } },
    { event: TRANSFERRED, args: { from: resident } },
    { event: TRANSFERRED, args: { to: resident } },
  ] as const;
  const logs: ResidentLog[] = [];
  for (let from = fromBlock; from <= latest; from += PAGE_BLOCKS) {
    const to = from + PAGE_BLOCKS - 1n < latest ? from + PAGE_BLOCKS - 1n : latest;
    for (const filter of filters) {
      const page = await gateway.guard("eth_getLogs", () =>
        gateway.client.getLogs({ address: ledger, event: filter.event, args: filter.args as never, fromBlock: from, toBlock: to }),
      );
      logs.push(...(page as unknown as ResidentLog[]));
    }
  }
  const key = (log: ResidentLog) => log.blockNumber * 100_000n + BigInt(log.logIndex);
  return logs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
