/**
 * A transaction of the ledger or the council, decoded: the function it called and its arguments
 * (with the generated ABIs) and every event it emitted (with the SDK's event decoder, the auditor's
 * own). The public ledger's transaction page, and the residents' history linking to it, show this.
 */
import { decodeFunctionData, type Hex } from "viem";
import { cityCouncilAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import { createEventDecoder, type EventDecoder } from "../../sdk/src/auditor/decode";
import type { Deployment } from "../../sdk/src/deployment";
import type { DecodedTransaction } from "../../sdk/src/wire/ledger";
import type { ChainGateway } from "../chain/gateway";
import { readTransaction } from "../chain/transactions";
import { NotFoundError } from "../errors";
import { toDecodedArgs } from "../indexer/decodedValue";

export class TransactionDecoder {
  private readonly decoder: EventDecoder;
  private readonly ledger: string;
  private readonly council: string;

  constructor(
    private readonly gateway: ChainGateway,
    deployment: Deployment,
    private readonly periodAt: (time: number) => number,
  ) {
    this.decoder = createEventDecoder(deployment);
    this.ledger = deployment.ledger.toLowerCase();
    this.council = deployment.council.toLowerCase();
  }

  async decode(hash: Hex): Promise<DecodedTransaction> {
    const tx = await readTransaction(this.gateway, hash);
    if (!tx) throw new NotFoundError(`the chain knows no transaction ${hash}`);
    const to = tx.to?.toLowerCase() ?? null;
    const contract = to === this.ledger ? "ledger" : to === this.council ? "council" : undefined;
    if (!contract) throw new NotFoundError(`transaction ${hash} is not a call to the ledger or the council`);
    const events = (tx.receipt?.logs ?? [])
      .map((log) => this.decoder.decode(log))
      .filter((e) => e !== undefined)
      .map((e) => ({
        name: e.name,
        contract: e.address === this.council ? ("council" as const) : ("ledger" as const),
        blockNumber: e.blockNumber,
        logIndex: e.logIndex,
        transactionHash: e.transactionHash,
        time: e.blockTimestamp ?? tx.time,
        args: toDecodedArgs(e.args as Record<string, unknown>),
      }));
    return {
      hash: tx.hash,
      status: tx.receipt ? tx.receipt.status : "pending",
      blockNumber: tx.receipt ? tx.blockNumber : null,
      time: tx.receipt ? tx.time : null,
      period: tx.receipt && tx.time !== null ? this.periodAt(tx.time) : null,
      from: tx.from.toLowerCase(),
      to,
      contract,
      call: decodeCall(contract === "ledger" ? pointsLedgerAbi : cityCouncilAbi, tx.input),
      events,
    };
  }
}

function decodeCall(abi: typeof pointsLedgerAbi | typeof cityCouncilAbi, input: Hex): DecodedTransaction["call"] {
  try {
    const { functionName, args } = decodeFunctionData({ abi, data: input });
    const fn = abi.find((item) => item.type === "function" && item.name === functionName && item.inputs.length === (args?.length ?? 0));
    const names = fn && "inputs" in fn ? fn.inputs.map((input, i) => input.name || `arg${i}`) : [];
    return { function: functionName, args: toDecodedArgs(Object.fromEntries((args ?? []).map((value, i) => [names[i] ?? `arg${i}`, value]))) };
  } catch {
    return null;
  }
}
