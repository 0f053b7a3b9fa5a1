/**
 * One transaction as the chain has it, raw: the transaction, its receipt (absent while pending) and
 * its block's time. Three calls, whatever the ledger's size; a node that cannot be reached is
 * ChainUnreachableError (503), through the gateway.
 */
import type { Hex } from "viem";
import type { RawLog } from "../../sdk/src/auditor/decode";
import type { ChainGateway } from "./gateway";

export interface RawTransaction {
  hash: Hex;
  from: string;
  to: string | null;
  input: Hex;
  blockNumber: number | null;
  receipt?: { status: "success" | "reverted"; logs: RawLog[] };
  time: number | null;
}

interface RpcTransaction {
  hash: Hex;
  from: string;
  to: string | null;
  input: Hex;
  blockNumber: string | null;
}

interface RpcReceipt {
  status: string;
  blockNumber: string;
  logs: RawLog[];
}

export async function readTransaction(gateway: ChainGateway, hash: Hex): Promise<RawTransaction | undefined> {
  const request = <T>(method: string, params: unknown[]) => gateway.guard(method, () => gateway.client.request({ method, params } as never) as Promise<T>);
  const [tx, receipt] = await Promise.all([request<RpcTransaction | null>("eth_getTransactionByHash", [hash]), request<RpcReceipt | null>("eth_getTransactionReceipt", [hash])]);
  if (!tx) return undefined;
  const blockNumber = receipt?.blockNumber ?? tx.blockNumber;
  let time: number | null = null;
  if (blockNumber) {
    const block = await request<{ timestamp: string } | null>("eth_getBlockByNumber", [blockNumber, false]);
    time = block ? Number(block.timestamp) : null;
  }
  return {
    hash: tx.hash,
    from: tx.from,
    to: tx.to,
    input: tx.input,
    blockNumber: blockNumber ? Number(blockNumber) : null,
    ...(receipt ? { receipt: { status: receipt.status === "0x1" ? ("success" as const) : ("reverted" as const), logs: receipt.logs } } : {}),
    time,
  };
}
