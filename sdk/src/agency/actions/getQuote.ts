import { quoteQuerySchema, quoteResponseSchema } from "../../wire/reads";
import { checkedWire, read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toQuote, type RelayQuote } from "../types";

export interface GetQuoteParameters extends ReadOptions {
  fromDomain: number;
  toDomain: number;
  amountIn: bigint;
}

export type GetQuoteReturnType = RelayQuote;

/**
 * What an exchange would give now at the agreement in force (floor rounding). With no agreement
 * in force it throws NotFoundError or ConflictError whose `errorName` is the ledger's reason
 * (PointsLedgerNoAgreement, PointsLedgerAgreementNotInForce...).
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const { amountOut, version } = await client.getQuote({ fromDomain: 1, toDomain: 2, amountIn: 100n });
 */
export async function getQuote(transport: RelayTransport, params: GetQuoteParameters): Promise<GetQuoteReturnType> {
  const query = checkedWire(
    quoteQuerySchema,
    { fromDomain: String(params.fromDomain), toDomain: String(params.toDomain), amountIn: params.amountIn.toString() },
    "quote",
  );
  const path = `/v1/quotes?fromDomain=${query.fromDomain}&toDomain=${query.toDomain}&amountIn=${query.amountIn}`;
  return read(transport, path, quoteResponseSchema, toQuote, params);
}
