/**
 * Accepting writes, for every use case: checks the queue bound and the chain-down policy, journals
 * the operations with their idempotency key (same key + same body: the same operations; another
 * body: 409), and wakes the lanes. The answer (202) is given only after the journal has the
 * operations.
 */
import { createHash, randomBytes } from "node:crypto";
import { crashPoint } from "../crash";
import type { RelayConfig } from "../config";
import { ChainUnavailableError, ConflictError, QueueFullError } from "../errors";
import type { Metrics } from "../metrics";
import type { ChainHealth } from "../pipeline/health";
import type { Pipeline } from "../pipeline/pipeline";
import type { Agency } from "../keystore";
import type { SinglePayload, TypedNewOperation } from "../payloads";
import type { NewOperation, OperationRecord, OperationStore } from "../store/journal";

export function newOperationId(): string {
  return `op_${randomBytes(16).toString("hex")}`;
}

/** A write as the idempotency rules see it: whose key it is (an agency, or a resident for their own intents), the key, and the request's hash. */
export interface WriteRequest {
  scope: string;
  idempotencyKey: string;
  /** Hash of method, path and body (`requestHash`): the same key with another hash is a conflict. */
  requestHash: string;
}

/** One ledger call in the agency's domain, signed by the agency's own key. */
export function agencyOperation(agency: Agency, call: SinglePayload): TypedNewOperation {
  return { id: newOperationId(), ...call, agency: agency.name, signer: agency.account.address, domainId: agency.domainId };
}

export function requestHash(method: string, path: string, body: Buffer): string {
  return createHash("sha256").update(`${method.toUpperCase()}\n${path}\n`).update(body).digest("hex");
}

const REFRESH_MS = 500;

export class Intake {
  private unfinished = 0;
  private refreshedAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly operations: OperationStore,
    private readonly pipeline: Pipeline,
    private readonly health: ChainHealth,
    private readonly config: Pick<RelayConfig, "QUEUE_LIMIT" | "CHAIN_DOWN_WRITES">,
    private readonly metrics: Metrics,
  ) {}

  /** Counting unfinished operations is a table scan: refresh it at most twice a second. */
  private async unfinishedEstimate(): Promise<number> {
    if (Date.now() - this.refreshedAt >= REFRESH_MS) {
      // A failed count (the journal unreachable for a moment) must not stay cached: the next request counts again.
      this.refreshing ??= this.operations
        .countUnfinished()
        .then((n) => {
          this.unfinished = n;
          this.refreshedAt = Date.now();
          this.metrics.unfinished.set(n);
        })
        .finally(() => {
          this.refreshing = undefined;
        });
      await this.refreshing;
    }
    return this.unfinished;
  }

  /**
   * `prepare` checks a new request (claim ids on chain, the resident's signature and nonce) and builds
   * its operations; a repeat of an earlier request skips it, so a retry is answered with the same
   * operations even after they took effect.
   */
  async accept(write: WriteRequest, prepare: () => Promise<NewOperation[]>): Promise<{ operations: OperationRecord[]; replayed: boolean }> {
    const { scope, idempotencyKey, requestHash: hash } = write;
    const earlier = await this.operations.findRequest(scope, idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== hash) {
        throw new ConflictError("this Idempotency-Key was already used with a different request", { details: { idempotencyKey } });
      }
      return { operations: earlier.operations, replayed: true };
    }
    const operations = await prepare();
    if (this.config.CHAIN_DOWN_WRITES === "refuse" && !this.health.up) {
      throw new ChainUnavailableError("the chain is unreachable and this relay refuses writes until it returns", { retryAfterSeconds: 5 });
    }
    if ((await this.unfinishedEstimate()) + operations.length > this.config.QUEUE_LIMIT) {
      throw new QueueFullError("the relay's queue is full; retry later with the same Idempotency-Key", {
        retryAfterSeconds: 2,
        details: { queueLimit: this.config.QUEUE_LIMIT },
      });
    }
    const outcome = await this.operations.accept({ scope, idempotencyKey, requestHash: hash, operations });
    switch (outcome.kind) {
      case "idempotency-conflict":
        throw new ConflictError("this Idempotency-Key was already used with a different request", { details: { idempotencyKey } });
      case "claim-conflict":
        throw new ConflictError("claim id already taken by another request in this domain", { details: { claimIds: outcome.claimIds } });
      case "intent-conflict":
        throw new ConflictError("an intent with this nonce was already submitted", {
          details: { domainId: outcome.domainId, nonce: outcome.nonce },
        });
      case "replayed":
        return { operations: outcome.operations, replayed: true };
      case "created":
        crashPoint("after-journal-write");
        this.unfinished += operations.length;
        for (const op of operations) this.metrics.operationsAccepted.inc({ kind: op.kind });
        for (const signer of new Set(operations.map((op) => op.signer))) {
          this.pipeline.notify(signer, operations.filter((op) => op.signer === signer).length);
        }
        return { operations: outcome.operations, replayed: false };
    }
  }

  /** `accept` for a request that is one operation. */
  async acceptOne(write: WriteRequest, prepare: () => Promise<NewOperation>): Promise<OperationRecord> {
    const { operations } = await this.accept(write, async () => [await prepare()]);
    return operations[0];
  }
}
