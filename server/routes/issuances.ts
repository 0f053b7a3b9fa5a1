/** POST /v1/issuances and /v1/issuances/batch: each item is an operation of its own. */
import { issueBatchRequestSchema, issueRequestSchema, type IssueBatchRequest, type IssueRequest } from "../../sdk/src/wire/issuance";
import { operationsResponseSchema } from "../../sdk/src/wire/operations";
import { ChainUnreachableError } from "../chain/gateway";
import type { RelayDeps } from "../deps";
import { ConflictError, ForbiddenError, RelayError } from "../errors";
import { presentOperation } from "../events/present";
import { defineRoute } from "../http/route";
import type { Agency } from "../keystore";
import { newOperationId } from "../services/intake";
import type { NewOperation } from "../store/journal";
import { acceptOne, acceptedOne, acceptWrite, agencyScope } from "./accept";

function ownDomain(agency: Agency, domainId: number | undefined): number {
  const domain = domainId ?? agency.domainId;
  if (domain !== agency.domainId) throw new ForbiddenError(`agency ${agency.name} issues only in domain ${agency.domainId}`, { details: { domainId: domain } });
  return domain;
}

/**
 * Claim ids already used on chain are refused at once. The check is a courtesy: if the node cannot
 * answer (down, or a transient error), the request is accepted and the batch simulation fails the
 * operation with PointsLedgerClaimUsed instead; the ledger never lets a claim id count twice.
 */
async function refuseUsedClaims(deps: RelayDeps, domainId: number, claimIds: bigint[]): Promise<void> {
  let used: bigint[];
  try {
    const flags = await Promise.all(claimIds.map((id) => deps.reads.isClaimUsed(domainId, id)));
    used = claimIds.filter((_, i) => flags[i]);
  } catch (error) {
    if (error instanceof RelayError) throw error;
    deps.logger.warn({ err: error instanceof ChainUnreachableError ? error.message : (error as Error).name }, "claim check skipped");
    return;
  }
  if (used.length > 0) {
    throw new ConflictError("claim id already used on chain in this domain", { details: { claimIds: used.map(String) } });
  }
}

function issueOperation(agency: Agency, domainId: number, item: { resident: string; amount: bigint; claimId: bigint }): NewOperation {
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

export function issuanceRoutes(deps: RelayDeps) {
  return [
    defineRoute<IssueRequest, unknown, unknown>({
      method: "post",
      path: "/v1/issuances",
      summary: "Issue points to one resident",
      tag: "agencies",
      auth: "agency",
      write: true,
      body: issueRequestSchema,
      responses: acceptedOne,
      async handle(ctx) {
        const agency = ctx.agency!;
        const domainId = ownDomain(agency, ctx.body.domainId);
        return acceptOne(deps, ctx, agencyScope(ctx), async () => {
          await refuseUsedClaims(deps, domainId, [ctx.body.claimId]);
          return issueOperation(agency, domainId, ctx.body);
        });
      },
    }),
    defineRoute<IssueBatchRequest, unknown, unknown>({
      method: "post",
      path: "/v1/issuances/batch",
      summary: "Issue points to many residents (up to 500); each item is confirmed or failed on its own",
      tag: "agencies",
      auth: "agency",
      write: true,
      body: issueBatchRequestSchema,
      responses: { 202: { description: "accepted; one operation per item, in order", schema: operationsResponseSchema } },
      async handle(ctx) {
        const agency = ctx.agency!;
        const domainId = ownDomain(agency, ctx.body.domainId);
        const operations = await acceptWrite(deps, ctx, agencyScope(ctx), async () => {
          await refuseUsedClaims(deps, domainId, ctx.body.items.map((i) => i.claimId));
          return ctx.body.items.map((item) => issueOperation(agency, domainId, item));
        });
        return { status: 202, body: { operations: operations.map(presentOperation) } };
      },
    }),
  ];
}
