/** Following operations: read one, or stream the agency's events (SSE, resumable by Last-Event-ID). */
import { z } from "zod";
import { operationEventSchema, operationResponseSchema } from "../../sdk/src/wire/operations";
import { operationIdSchema } from "../../sdk/src/wire/primitives";
import type { RelayDeps } from "../deps";
import { ForbiddenError, InvalidRequestError, NotFoundError, UnauthenticatedError } from "../errors";
import { presentEvent, presentOperation } from "../events/present";
import { defineRoute } from "../http/route";

const HEARTBEAT_MS = 15_000;
const PAGE = 500;

export function operationRoutes(deps: RelayDeps) {
  return [
    defineRoute<unknown, unknown, { id: string }>({
      method: "get",
      path: "/v1/operations/:id",
      summary: "An operation's status; final once confirmed (block, transaction) or failed (the contract error)",
      description: "An agency's operations need that agency's signed request; a resident's own submissions are readable by their id.",
      tag: "operations",
      auth: "optional",
      params: z.strictObject({ id: operationIdSchema }),
      responses: { 200: { description: "the operation", schema: operationResponseSchema } },
      async handle(ctx) {
        const op = await deps.journal.operations.get(ctx.params.id);
        if (!op) throw new NotFoundError("no such operation", { details: { id: ctx.params.id } });
        if (op.agency) {
          if (!ctx.agency) throw new UnauthenticatedError("this operation belongs to an agency: sign the request");
          if (ctx.agency.name !== op.agency) throw new ForbiddenError("this operation belongs to another agency");
        }
        return { status: 200, body: { operation: presentOperation(op) } };
      },
    }),
    defineRoute<unknown, { after?: string }, unknown>({
      method: "get",
      path: "/v1/events",
      summary: "Server-sent events of the agency's operations; resume with Last-Event-ID (or ?after=)",
      tag: "operations",
      auth: "agency",
      query: z.strictObject({ after: z.string().regex(/^[0-9]{1,15}$/, "after must be an event id").optional() }),
      responses: { 200: { description: "text/event-stream of OperationEvent", schema: operationEventSchema, contentType: "text/event-stream" } },
      async handle(ctx) {
        const agency = ctx.agency!;
        const lastEventId = ctx.req.headers["last-event-id"];
        const resumeFrom = typeof lastEventId === "string" ? lastEventId : ctx.query.after;
        if (resumeFrom !== undefined && !/^[0-9]{1,15}$/.test(resumeFrom)) {
          throw new InvalidRequestError("Last-Event-ID must be an event id", { details: [{ path: "header.last-event-id", message: "digits only" }] });
        }
        let cursor = Number(resumeFrom ?? 0);
        const res = ctx.res;
        res.status(200).set({ "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive", "X-Accel-Buffering": "no" });
        res.flushHeaders();
        let closed = false;
        let wake: (() => void) | undefined;
        const unsubscribe = deps.bus.subscribe(agency.name, () => wake?.());
        res.on("close", () => {
          closed = true;
          wake?.();
        });
        try {
          while (!closed) {
            const events = await deps.journal.events.after(agency.name, cursor, PAGE);
            for (const event of events) {
              res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(presentEvent(event))}\n\n`);
              cursor = event.seq;
            }
            if (events.length === PAGE) continue;
            const signalled = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(false), HEARTBEAT_MS);
              wake = () => {
                clearTimeout(timer);
                wake = undefined;
                resolve(true);
              };
            });
            if (!signalled && !closed) res.write(": keep-alive\n\n");
          }
        } finally {
          unsubscribe();
          res.end();
        }
      },
    }),
  ];
}
