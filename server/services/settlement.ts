/**
 * Settlement between agencies: closing an ended period nets every agreement's obligations and
 * publishes the statement; each agency then confirms it paid or received its net position.
 */
import type { Hex } from "viem";
import type { Agency } from "../keystore";
import type { OperationRecord } from "../store/journal";
import { agencyOperation, type Intake, type WriteRequest } from "./intake";

export class SettlementService {
  constructor(private readonly intake: Intake) {}

  close(agency: Agency, write: WriteRequest, period: number): Promise<OperationRecord> {
    return this.intake.acceptOne(write, async () => agencyOperation(agency, { kind: "settlement.close", payload: { period } }));
  }

  /** `paymentRef`: a salted hash of the payment's reference (sdk `referenceHash`). */
  confirm(agency: Agency, write: WriteRequest, period: number, paymentRef: Hex): Promise<OperationRecord> {
    return this.intake.acceptOne(write, async () =>
      agencyOperation(agency, { kind: "settlement.confirm", payload: { period, domainId: agency.domainId, paymentRef } }),
    );
  }
}
