import type { Hex } from "viem";
import { periodSchema } from "../../wire/primitives";
import { confirmSettlementRequestSchema } from "../../wire/settlement";
import { checkedWire, checkedParam, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface ConfirmSettlementParameters extends WriteOptions {
  period: number;
  /** Salted hash of the payment's reference (`referenceHash(salt, bankRef)`), non-zero. */
  paymentRef: Hex;
}

export type ConfirmSettlementReturnType = Operation;

/**
 * Confirms that the agency paid (or received) its net position of a closed period. Only an agency
 * with a non-zero position confirms (PointsLedgerNoPosition otherwise), once.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const paymentRef = referenceHash("0x5eed000000000000000000000000000000000000000000000000000000000000", "bank-transfer-2024-0042");
 * await client.waitForOperation(await client.confirmSettlement({ period: 12, paymentRef }));
 */
export async function confirmSettlement(transport: RelayTransport, params: ConfirmSettlementParameters): Promise<ConfirmSettlementReturnType> {
  const period = checkedParam(periodSchema, params.period, "period");
  const body = checkedWire(confirmSettlementRequestSchema, { paymentRef: params.paymentRef }, "settlement confirmation");
  return writeOne(transport, "POST", `/v1/settlements/${period}/confirmation`, body, params);
}
