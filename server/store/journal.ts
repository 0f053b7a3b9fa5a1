/**
 * The durable journal: every operation, the transaction that carries it (nonce, signed bytes, hash,
 * written before anything is sent), each signer's next nonce, idempotency records and the agencies'
 * event log. One small interface, so a PostgreSQL store can replace SQLite for agencies that run
 * several relay instances.
 */
import type { OperationKind, OperationStatus } from "../../sdk/src/wire/operations";

export type TransactionStatus = "signed" | "sent" | "confirmed" | "reverted" | "dropped";
export type EventType = "operation.submitted" | "operation.confirmed" | "operation.failed";

export type OperationFailure = import("../../sdk/src/wire/operations").OperationFailure;

export interface NewOperation {
  id: string;
  kind: OperationKind;
  /** Owning agency; undefined for a resident's own submission. */
  agency?: string;
  /** Address whose transaction will carry the operation. */
  signer: string;
  domainId?: number;
  claimId?: bigint;
  /** Intents: resident, spending domain and nonce, so a nonce is journaled once. */
  intent?: { resident: string; domainId: number; nonce: bigint };
  /** Contract call inputs as JSON (bigints as decimal strings). */
  payload: Record<string, unknown>;
}

export interface OperationRecord {
  seq: number;
  id: string;
  kind: OperationKind;
  agency: string | null;
  signer: string;
  domainId: number | null;
  claimId: string | null;
  payload: Record<string, unknown>;
  status: OperationStatus;
  attempts: number;
  error: OperationFailure | null;
  createdAt: number;
  updatedAt: number;
  transaction: { id: number; hash: string; nonce: number; blockNumber: number | null } | null;
}

export interface TransactionRecord {
  id: number;
  signer: string;
  nonce: number;
  hash: string;
  raw: string;
  kind: string;
  status: TransactionStatus;
  blockNumber: number | null;
  sentAt: number | null;
  createdAt: number;
}

export interface JournalEvent {
  seq: number;
  agency: string;
  operationId: string;
  type: EventType;
  at: number;
  /** The operation as it was when the event happened. */
  operation: OperationRecord;
}

export interface AcceptRequest {
  /** Who the idempotency key belongs to (an agency, or a resident for their own intents). */
  scope: string;
  idempotencyKey: string;
  /** Hash of method, path and body: the same key with another hash is a conflict. */
  requestHash: string;
  operations: NewOperation[];
}

export type AcceptOutcome =
  | { kind: "created"; operations: OperationRecord[] }
  | { kind: "replayed"; operations: OperationRecord[] }
  | { kind: "idempotency-conflict" }
  | { kind: "claim-conflict"; claimIds: string[] }
  | { kind: "intent-conflict"; resident: string; domainId: number; nonce: string };

export interface RecordTransaction {
  signer: string;
  nonce: number;
  hash: string;
  raw: string;
  kind: string;
  operationIds: string[];
}

export interface Journal {
  /** An earlier request under this idempotency key, if any. */
  findRequest(scope: string, idempotencyKey: string): Promise<{ requestHash: string; operations: OperationRecord[] } | undefined>;
  accept(request: AcceptRequest): Promise<AcceptOutcome>;
  getOperation(id: string): Promise<OperationRecord | undefined>;
  /** Operations accepted and not yet final. */
  countUnfinished(): Promise<number>;
  /** Queued operations of a signer, oldest first. */
  queued(signer: string, limit: number): Promise<OperationRecord[]>;
  /** Queued issuances of a signer in one domain, oldest first. */
  queuedIssuances(signer: string, domainId: number, limit: number): Promise<OperationRecord[]>;
  countQueued(signer: string): Promise<number>;
  /** Highest nonce of a resident's journaled intents that are not final yet. */
  pendingIntentNonce(resident: string, domainId: number): Promise<bigint | undefined>;
  failOperations(failures: { id: string; error: OperationFailure }[]): Promise<void>;
  /** Leaves an operation queued but counts an attempt (deferred, e.g. waiting for an earlier nonce). */
  deferOperation(id: string): Promise<number>;

  /** Journals a signed transaction, moves its operations to submitted and advances the signer's nonce. */
  recordTransaction(tx: RecordTransaction): Promise<TransactionRecord>;
  markSent(txId: number, at: number): Promise<void>;
  confirmTransaction(txId: number, blockNumber: number): Promise<void>;
  /** Mined but reverted: its operations are queued again (attempts + 1), or failed past maxAttempts. */
  revertTransaction(txId: number, blockNumber: number, maxAttempts: number): Promise<void>;
  /** Will never be mined (its nonce went to another transaction, or the node refused it): requeue. */
  dropTransaction(txId: number, maxAttempts: number): Promise<void>;
  /** A confirmed transaction the chain no longer has (a node that lost its last blocks): resend. */
  unconfirmTransaction(txId: number): Promise<void>;
  /** Operations a transaction carries now (submitted with it, or finished by it). */
  operationsOfTransaction(txId: number): Promise<OperationRecord[]>;
  /** Every transaction that ever carried the operation, oldest first (dropped and reverted ones too). */
  pastTransactions(operationId: string): Promise<TransactionRecord[]>;
  /**
   * The chain shows that an earlier transaction of the operation took effect (it was taken for
   * dropped too early, say): the transaction is confirmed at that block and the operations, if not
   * final, are confirmed with it.
   */
  confirmWithTransaction(txId: number, blockNumber: number, operationIds: string[]): Promise<void>;
  /** Transactions signed or sent and not yet mined, by nonce. */
  liveTransactions(signer: string): Promise<TransactionRecord[]>;
  confirmedFromNonce(signer: string, nonce: number): Promise<TransactionRecord[]>;
  /** Nonces >= from held by a transaction that is not dropped. */
  usedNonces(signer: string, from: number): Promise<Set<number>>;
  nextNonce(signer: string): Promise<number | undefined>;
  /** Raises the signer's next nonce to at least `nonce`. */
  raiseNextNonce(signer: string, nonce: number): Promise<void>;

  eventsAfter(agency: string, seq: number, limit: number): Promise<JournalEvent[]>;
  webhookCursor(agency: string): Promise<number>;
  setWebhookCursor(agency: string, seq: number): Promise<void>;
  /** Records a request nonce; false if it was already used within its window. */
  useRequestNonce(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
  /** Cheap write probe for /ready. */
  checkWritable(): Promise<void>;
  /** Called with the events each change produced, after they are committed. */
  onEvents(listener: (events: JournalEvent[]) => void): void;
  close(): Promise<void>;
}
