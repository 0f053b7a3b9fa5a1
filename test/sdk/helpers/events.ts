import { network } from "hardhat";
import type { Hex } from "viem";
import { createEventDecoder, type RawLog } from "../../../sdk/src/auditor/decode";
import type { AuditEvent } from "../../../sdk/src/auditor/events";
import type { Deployment } from "../../../sdk/src/deployment";
import { historyStart } from "../../../sdk/src/auditor/audit";
import { createTransportRpc } from "../../../sdk/src/auditor/rpc";
import { hardhatTransport } from "./chain";

/** Every event of the deployment, decoded, in chain order: the stream a test then alters. */
export async function chainEvents(deployment: Deployment): Promise<AuditEvent[]> {
  const from = await historyStart(createTransportRpc(hardhatTransport()), deployment);
  const logs = (await network.provider.request({
    method: "eth_getLogs",
    params: [{ fromBlock: "0x" + from.toString(16), toBlock: "latest", address: createEventDecoder(deployment).addresses }],
  })) as RawLog[];
  const decoder = createEventDecoder(deployment);
  return logs.map((log) => decoder.decode(log)!);
}

export const FORGED_TX = ("0x" + "f0".repeat(32)) as Hex;

/** A copy of `event` placed after every real event, in a made-up transaction. */
export function forgedAfter<E extends AuditEvent>(events: AuditEvent[], event: E, args: Partial<E["args"]> = {}): E {
  const last = events[events.length - 1];
  return { ...event, blockNumber: last.blockNumber + 1, logIndex: 0, transactionHash: FORGED_TX, args: { ...event.args, ...args } } as E;
}
