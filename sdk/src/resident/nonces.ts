import type { Address, Client } from "viem";
import { readContract } from "viem/actions";
import { pointsLedgerAbi } from "../abi";

/**
 * The nonce the resident's next intent spending from `domainId` must carry. Nonces are sequential
 * per (resident, domain spent from): sign one intent per domain at a time, or count up from here.
 */
export async function getNextNonce(
  client: Client,
  params: { ledger: Address; resident: Address; domainId: number; blockNumber?: bigint },
): Promise<bigint> {
  return readContract(client, {
    address: params.ledger,
    abi: pointsLedgerAbi,
    functionName: "nonces",
    args: [params.resident, params.domainId],
    ...(params.blockNumber === undefined ? {} : { blockNumber: params.blockNumber }),
  });
}
