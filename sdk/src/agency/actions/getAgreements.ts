import { agreementsResponseSchema } from "../../wire/agreements";
import { read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toAgreement, type Agreement } from "../types";

export interface GetAgreementsParameters extends ReadOptions {
  /** Every agreement (pending, suspended, expired) instead of only those in force. */
  all?: boolean;
}

export type GetAgreementsReturnType = Agreement[];

/**
 * The exchange agreements in force, or all of them with their pending versions.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const all = await client.getAgreements({ all: true });
 * const oneToTwo = all.find((a) => a.agreementId === agreementIdOf(1, 2)); // .current, .pending, .inForce
 */
export async function getAgreements(transport: RelayTransport, params: GetAgreementsParameters = {}): Promise<GetAgreementsReturnType> {
  const path = params.all ? "/v1/agreements?all=true" : "/v1/agreements";
  return read(transport, path, agreementsResponseSchema, (a) => a.agreements.map(toAgreement), params);
}
