import { proposeAgreementRequestSchema } from "../../wire/agreements";
import { checkedWire, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface ProposeAgreementParameters extends WriteOptions {
  /** Points leave this domain... */
  fromDomain: number;
  /** ...and arrive in this one. The agency must own one of the two. */
  toDomain: number;
  /** amountOut = floor(amountIn × rateNum / rateDen); both 1 to 2^40-1. */
  rateNum: number;
  rateDen: number;
  /** Most points in per period; 0n (the default) for no cap. */
  periodCap?: bigint;
  /** First and last period the rate applies in. */
  validFromPeriod: number;
  validUntilPeriod: number;
}

export type ProposeAgreementReturnType = Operation;

/**
 * Proposes an exchange rate between the agency's domain and another; the proposal counts as the
 * proposing side's approval. It comes into force when the other side approves the new version
 * (`approveAgreement`); until then an earlier version, if any, stays in force.
 * @example
 * const volunteer = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const { currentPeriod } = await volunteer.getDomains();
 * const op = await volunteer.proposeAgreement({ fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, validFromPeriod: currentPeriod, validUntilPeriod: currentPeriod + 1000 });
 * await volunteer.waitForOperation(op.id);
 */
export async function proposeAgreement(transport: RelayTransport, params: ProposeAgreementParameters): Promise<ProposeAgreementReturnType> {
  const body = checkedWire(
    proposeAgreementRequestSchema,
    {
      fromDomain: params.fromDomain,
      toDomain: params.toDomain,
      rateNum: params.rateNum,
      rateDen: params.rateDen,
      periodCap: (params.periodCap ?? 0n).toString(),
      validFromPeriod: params.validFromPeriod,
      validUntilPeriod: params.validUntilPeriod,
    },
    "agreement proposal",
  );
  return writeOne(transport, "POST", "/v1/agreements", body, params);
}
