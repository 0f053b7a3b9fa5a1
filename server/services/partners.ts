/** Partners: where residents of the agency's domain may redeem their points. */
import type { Address } from "viem";
import type { Agency } from "../keystore";
import type { OperationRecord } from "../store/journal";
import { agencyOperation, type Intake, type WriteRequest } from "./intake";

export class PartnerService {
  constructor(private readonly intake: Intake) {}

  /** Registers the partner in the agency's domain, or removes it (`allowed: false`). */
  set(agency: Agency, write: WriteRequest, partner: Address, allowed: boolean): Promise<OperationRecord> {
    return this.intake.acceptOne(write, async () =>
      agencyOperation(agency, { kind: "partner.set", payload: { domainId: agency.domainId, partner, allowed } }),
    );
  }
}
