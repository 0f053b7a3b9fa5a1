/** POST /v1/issuances and /v1/issuances/batch: each item is an operation of its own (services/issuing.ts). */
import { issueBatchRequestSchema, issueRequestSchema, type IssueBatchRequest, type IssueRequest } from "../../sdk/src/wire/issuance";
import type { RelayDeps } from "../deps";
import { defineRoute } from "../http/route";
import { acceptedMany, acceptedOne, agencyWrite, answerMany, answerOne } from "./accept";

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
        return answerOne(await deps.issuing.issue(ctx.agency!, agencyWrite(ctx), ctx.body));
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
      responses: acceptedMany,
      async handle(ctx) {
        return answerMany(await deps.issuing.issueBatch(ctx.agency!, agencyWrite(ctx), ctx.body));
      },
    }),
  ];
}
