import { approveAgreementRequestSchema } from "../../wire/agreements";
import { agreementIdParamSchema } from "../../wire/primitives";
import { checkedWire, checkedParam, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface ApproveAgreementParameters extends WriteOptions {
  /** The pair of domains, packed: `agreementIdOf(fromDomain, toDomain)`. */
  agreementId: bigint;
  /** The pending version to approve (`getAgreements({ all: true })` shows it). */
  version: number;
}

export type ApproveAgreementReturnType = Operation;

/**
 * Approves a pending agreement version for the agency's side; with both sides' approval it is in
 * force. A version that is not pending fails with PointsLedgerNotPending.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const agreementId = agreementIdOf(1, 2);
 * const proposal = (await client.getAgreements({ all: true })).find((a) => a.agreementId === agreementId)!;
 * await client.waitForOperation(await client.approveAgreement({ agreementId, version: proposal.pending!.version }));
 */
export async function approveAgreement(transport: RelayTransport, params: ApproveAgreementParameters): Promise<ApproveAgreementReturnType> {
  const id = checkedParam(agreementIdParamSchema, params.agreementId.toString(), "agreementId");
  const body = checkedWire(approveAgreementRequestSchema, { version: params.version }, "approval");
  return writeOne(transport, "POST", `/v1/agreements/${id}/approvals`, body, params);
}
