import { periodSchema } from "../../wire/primitives";
import { checkedParam, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface CloseSettlementPeriodParameters extends WriteOptions {
  /** A period that has ended (the current one is `getDomains().currentPeriod`). */
  period: number;
}

export type CloseSettlementPeriodReturnType = Operation;

/**
 * Closes an ended period: the ledger nets every agreement's obligations into one position per
 * agency and publishes them (they sum to zero). Anyone may close a period, once; a period not yet
 * ended fails with PointsLedgerPeriodNotEnded, a closed one with PointsLedgerPeriodClosed.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const { currentPeriod } = await client.getDomains();
 * await client.waitForOperation(await client.closeSettlementPeriod({ period: currentPeriod - 1 }));
 * const statement = await client.getSettlement({ period: currentPeriod - 1 });
 */
export async function closeSettlementPeriod(transport: RelayTransport, params: CloseSettlementPeriodParameters): Promise<CloseSettlementPeriodReturnType> {
  const period = checkedParam(periodSchema, params.period, "period");
  return writeOne(transport, "POST", `/v1/settlements/${period}/close`, undefined, params);
}
