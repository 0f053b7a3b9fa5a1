import { suspendAgreementRequestSchema } from "../../wire/agreements";
import { agreementIdParamSchema } from "../../wire/primitives";
import { checkedWire, checkedParam, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface SuspendAgreementParameters extends WriteOptions {
  agreementId: bigint;
  /** true (the default) suspends; false lifts this side's own suspension. */
  suspended?: boolean;
}

export type SuspendAgreementReturnType = Operation;

/**
 * Suspends an agreement from the agency's side (exchanges stop at once), or lifts the agency's own
 * suspension. Either side may suspend; each lifts only its own.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * await client.waitForOperation(await client.suspendAgreement({ agreementId: agreementIdOf(1, 2) }));
 * await client.waitForOperation(await client.suspendAgreement({ agreementId: agreementIdOf(1, 2), suspended: false }));
 */
export async function suspendAgreement(transport: RelayTransport, params: SuspendAgreementParameters): Promise<SuspendAgreementReturnType> {
  const id = checkedParam(agreementIdParamSchema, params.agreementId.toString(), "agreementId");
  const body = checkedWire(suspendAgreementRequestSchema, { suspended: params.suspended ?? true }, "suspension");
  return writeOne(transport, "POST", `/v1/agreements/${id}/suspension`, body, params);
}
