/**
 * Issuing points: an agency issues only in its own domain, a claim id already used on chain is
 * refused at once, and each item becomes an operation of its own (the agency's lane batches them).
 */
import type { Address } from "viem";
import type { IssueBatchRequest, IssueRequest } from "../../sdk/src/wire/issuance";
import { ChainUnreachableError } from "../chain/gateway";
import type { LedgerReads } from "../chain/ledgerReads";
import { ConflictError, ForbiddenError, RelayError } from "../errors";
import type { Agency } from "../keystore";
import type { Logger } from "../logger";
import type { TypedNewOperation } from "../payloads";
import type { OperationRecord } from "../store/journal";
import { newOperationId, type Intake, type WriteRequest } from "./intake";

interface IssuanceItem {
  resident: Address;
  amount: bigint;
  claimId: bigint;
}

function ownDomain(agency: Agency, domainId: number | undefined): number {
  const domain = domainId ?? agency.domainId;
  if (domain !== agency.domainId) throw new ForbiddenError(`agency ${agency.name} issues only in domain ${agency.domainId}`, { details: { domainId: domain } });
  return domain;
}

function issueOperation(agency: Agency, domainId: number, item: IssuanceItem): TypedNewOperation {
  return {
    id: newOperationId(),
    kind: "issue",
    agency: agency.name,
    signer: agency.account.address,
    domainId,
    claimId: item.claimId,
    payload: { resident: item.resident, amount: item.amount.toString() },
  };
}

export class IssuingService {
  constructor(
    private readonly intake: Intake,
    private readonly reads: LedgerReads,
    private readonly logger: Logger,
  ) {}

  /** POST /v1/issuances: one resident. */
  async issue(agency: Agency, write: WriteRequest, request: IssueRequest): Promise<OperationRecord> {
    const [operation] = await this.issueItems(agency, write, request.domainId, [request]);
    return operation;
  }

  /** POST /v1/issuances/batch: one operation per item, in order. */
  issueBatch(agency: Agency, write: WriteRequest, request: IssueBatchRequest): Promise<OperationRecord[]> {
    return this.issueItems(agency, write, request.domainId, request.items);
  }

  private async issueItems(agency: Agency, write: WriteRequest, domainId: number | undefined, items: IssuanceItem[]): Promise<OperationRecord[]> {
    const domain = ownDomain(agency, domainId);
    const { operations } = await this.intake.accept(write, async () => {
      await this.refuseUsedClaims(domain, items.map((i) => i.claimId));
      return items.map((item) => issueOperation(agency, domain, item));
    });
    return operations;
  }

  /**
   * Claim ids already used on chain are refused at once. The check is a courtesy: if the node cannot
   * answer (down, or a transient error), the request is accepted and the batch simulation fails the
   * operation with PointsLedgerClaimUsed instead; the ledger never lets a claim id count twice.
   */
  private async refuseUsedClaims(domainId: number, claimIds: bigint[]): Promise<void> {
    let used: bigint[];
    try {
      const flags = await Promise.all(claimIds.map((id) => this.reads.isClaimUsed(domainId, id)));
      used = claimIds.filter((_, i) => flags[i]);
    } catch (error) {
      if (error instanceof RelayError) throw error;
      this.logger.warn({ err: error instanceof ChainUnreachableError ? error.message : (error as Error).name }, "claim check skipped");
      return;
    }
    if (used.length > 0) {
      throw new ConflictError("claim id already used on chain in this domain", { details: { claimIds: used.map(String) } });
    }
  }
}
