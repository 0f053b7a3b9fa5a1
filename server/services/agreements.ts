/**
 * Agreements between two domains: either side's agency proposes a version (its own approval
 * included), the other approves it into force, and either side suspends or lifts its suspension.
 * An agency that is on neither side of the pair is refused (403).
 */
import { agreementDomains } from "../../sdk/src/agreementId";
import type { ProposeAgreementRequest } from "../../sdk/src/wire/agreements";
import { ForbiddenError } from "../errors";
import type { Agency } from "../keystore";
import type { OperationRecord } from "../store/journal";
import { agencyOperation, type Intake, type WriteRequest } from "./intake";

function requireSide(agency: Agency, fromDomain: number, toDomain: number): void {
  if (agency.domainId !== fromDomain && agency.domainId !== toDomain) {
    throw new ForbiddenError(`agency ${agency.name} is on neither side of this agreement`, { details: { fromDomain, toDomain } });
  }
}

export class AgreementService {
  constructor(private readonly intake: Intake) {}

  propose(agency: Agency, write: WriteRequest, terms: ProposeAgreementRequest): Promise<OperationRecord> {
    requireSide(agency, terms.fromDomain, terms.toDomain);
    const payload = {
      fromDomain: terms.fromDomain,
      toDomain: terms.toDomain,
      rateNum: terms.rateNum,
      rateDen: terms.rateDen,
      periodCap: terms.periodCap.toString(),
      validFromPeriod: terms.validFromPeriod,
      validUntilPeriod: terms.validUntilPeriod,
    };
    return this.intake.acceptOne(write, async () => agencyOperation(agency, { kind: "agreement.propose", payload }));
  }

  approve(agency: Agency, write: WriteRequest, agreementId: bigint, version: number): Promise<OperationRecord> {
    const { fromDomain, toDomain } = agreementDomains(agreementId);
    requireSide(agency, fromDomain, toDomain);
    return this.intake.acceptOne(write, async () =>
      agencyOperation(agency, { kind: "agreement.approve", payload: { agreementId: agreementId.toString(), version } }),
    );
  }

  /** `suspended: false` lifts this side's suspension. */
  suspend(agency: Agency, write: WriteRequest, agreementId: bigint, suspended: boolean): Promise<OperationRecord> {
    const { fromDomain, toDomain } = agreementDomains(agreementId);
    requireSide(agency, fromDomain, toDomain);
    return this.intake.acceptOne(write, async () =>
      agencyOperation(agency, { kind: "agreement.suspend", payload: { agreementId: agreementId.toString(), suspended } }),
    );
  }
}
