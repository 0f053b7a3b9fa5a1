/**
 * The durable journal: every operation, the transaction that carries it (nonce, signed bytes, hash,
 * written before anything is sent), each signer's next nonce, idempotency records, the agencies'
 * event log and the request nonces already spent. A store implements four small pieces over one
 * database (SQLite: server/store/sqlite/; the interfaces are here, store-neutral):
 *
 * - `OperationStore`: operations and idempotency records (accept, queue queries, fail, defer);
 * - `TransactionStore`: signed transactions, the operations each carried, signers' next nonces;
 * - `EventOutbox`: the operation events of each agency and the webhook cursors;
 * - `RequestNonceStore`: request nonces, each usable once within its window;
 * - `PartnerDirectory`: the display names agencies give their partners (not operations: no chain call);
 * - `LeaseStore`: leases with fencing tokens, so that one process at a time signs for a signer when
 *   several relay instances share one journal (PostgreSQL); trivially always held on SQLite.
 *
 * A status change and the events it causes are one store transaction: an event exists exactly when
 * its change does. Listeners (`EventOutbox.onEvents`) hear of events after they are committed.
 *
 * Writes that only the holder of a lease may make (a lane's: recording a signed transaction,
 * raising a nonce, marking sent, settling a transaction or its operations) take that holding's
 * `Fence`: the store checks, in the same store transaction, that the fence is still the lease's
 * current one, and throws `FencedError` (writing nothing) when it is not.
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
  operation: EventOperation;
}

/**
 * What an event keeps of its operation: all but the payload, which the API never shows in an event
 * (server/events/present.ts) and which holds a resident's address or signature; left out, each
 * event row is smaller and quicker to write.
 */
export type EventOperation = Omit<OperationRecord, "payload">;

export function eventOperation(op: OperationRecord): EventOperation {
  const { payload: _payload, ...rest } = op;
  return rest;
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

/** A holding of a lease: the writes made under it are refused once another holding replaced it. */
export interface Fence {
  lease: string;
  holder: string;
  /** Raised by one at every acquisition of the lease: a later holding always has a larger token. */
  token: number;
}

/** A write under a fence that is no longer the lease's current holding: nothing was written. */
export class FencedError extends Error {
  override readonly name = "FencedError";
  constructor(readonly fence: Fence) {
    super(`lease ${fence.lease}: holding ${fence.token} of ${fence.holder} is no longer current`);
  }
}

/** Leases by name (one per signer, one per agency's webhooks), each held by one process at a time. */
export interface LeaseStore {
  /**
   * Whether holding a lease keeps other processes out (a journal several relay instances share). A
   * store that is not shared (SQLite: one process) grants every lease at once, for good.
   */
  readonly shared: boolean;
  /** Takes the lease if it is free or expired (its token raised by one); the token, or undefined if someone else holds it. */
  acquire(lease: string, holder: string, ttlMs: number): Promise<number | undefined>;
  /** Extends a holding that is still current and unexpired; false when it is not (lost). */
  renew(fence: Fence, ttlMs: number): Promise<boolean>;
  /** Gives a holding up now (expires it), so another process may take the lease at once. */
  release(fence: Fence): Promise<void>;
}

/** Operations and idempotency records. */
export interface OperationStore {
  /** An earlier request under this idempotency key, if any. */
  findRequest(scope: string, idempotencyKey: string): Promise<{ requestHash: string; operations: OperationRecord[] } | undefined>;
  /**
   * Journals a request's operations with its idempotency key, or tells why not. Resolves only once
   * they are durable (SQLite: with its group, after the commit).
   */
  accept(request: AcceptRequest): Promise<AcceptOutcome>;
  get(id: string): Promise<OperationRecord | undefined>;
  /** Operations accepted and not yet final. */
  countUnfinished(): Promise<number>;
  /** Queued operations of a signer, oldest first. */
  queued(signer: string, limit: number): Promise<OperationRecord[]>;
  /** Queued issuances of a signer in one domain, oldest first. */
  queuedIssuances(signer: string, domainId: number, limit: number): Promise<OperationRecord[]>;
  /** Highest nonce of a resident's journaled intents that are not final yet. */
  pendingIntentNonce(resident: string, domainId: number): Promise<bigint | undefined>;
  /** Fails the operations that are not final yet, each with its error (an `operation.failed` event each). */
  fail(failures: { id: string; error: OperationFailure }[], fence?: Fence): Promise<void>;
  /** Leaves an operation queued but counts an attempt (deferred, e.g. waiting for an earlier nonce); returns the attempts. */
  defer(id: string, fence?: Fence): Promise<number>;
}

/**
 * Signed transactions, every operation each one carried, and each signer's next nonce. The writes
 * take the lane's fence (optional: a caller that holds no lease, such as a test, passes none).
 */
export interface TransactionStore {
  /** Journals a signed transaction, moves its operations to submitted and advances the signer's nonce. */
  record(tx: RecordTransaction, fence?: Fence): Promise<TransactionRecord>;
  markSent(txId: number, at: number, fence?: Fence): Promise<void>;
  confirm(txId: number, blockNumber: number, fence?: Fence): Promise<void>;
  /** Mined but reverted: its operations are queued again (attempts + 1), or failed past maxAttempts. */
  revert(txId: number, blockNumber: number, maxAttempts: number, fence?: Fence): Promise<void>;
  /** Will never be mined (its nonce went to another transaction, or the node refused it): requeue. */
  drop(txId: number, maxAttempts: number, fence?: Fence): Promise<void>;
  /** A confirmed transaction the chain no longer has (a node that lost its last blocks): resend. */
  unconfirm(txId: number, fence?: Fence): Promise<void>;
  /** Operations a transaction carries now (submitted with it, or finished by it). */
  operationsOf(txId: number): Promise<OperationRecord[]>;
  /** Every transaction that ever carried the operation, oldest first (dropped and reverted ones too). */
  pastTransactions(operationId: string): Promise<TransactionRecord[]>;
  /**
   * The chain shows that an earlier transaction of the operations took effect (it was taken for
   * dropped too early, say): the transaction is confirmed at that block, any other live one at its
   * nonce is dropped (its operations requeued), and the operations, if not final, are confirmed with it.
   */
  confirmWith(txId: number, blockNumber: number, operationIds: string[], fence?: Fence): Promise<void>;
  /** Transactions signed or sent and not yet mined, by nonce. */
  live(signer: string): Promise<TransactionRecord[]>;
  /** Mined transactions (confirmed or reverted) at `nonce` or above, by nonce. */
  minedFromNonce(signer: string, nonce: number): Promise<TransactionRecord[]>;
  /** Nonces >= from held by a transaction that is not dropped. */
  usedNonces(signer: string, from: number): Promise<Set<number>>;
  nextNonce(signer: string): Promise<number | undefined>;
  /** Raises the signer's next nonce to at least `nonce`. */
  raiseNextNonce(signer: string, nonce: number, fence?: Fence): Promise<void>;
}

/** The operation events of each agency, in order, and each agency's webhook cursor. */
export interface EventOutbox {
  /** The agency's events after `seq`, oldest first. */
  after(agency: string, seq: number, limit: number): Promise<JournalEvent[]>;
  webhookCursor(agency: string): Promise<number>;
  /** Moves the agency's cursor forward to `seq` (never back); under the fence of the agency's webhook lease. */
  setWebhookCursor(agency: string, seq: number, fence?: Fence): Promise<void>;
  /** Called with the events each change of this process produced, after they are committed. */
  onEvents(listener: (events: JournalEvent[]) => void): void;
  /**
   * Called when events may exist that this process did not produce: committed by another relay
   * instance sharing the journal (with its agency), or possibly missed while the store's
   * notifications were interrupted (undefined: any agency). Never called on a journal no other
   * process writes (SQLite).
   */
  onExternalEvents(listener: (agency: string | undefined) => void): void;
}

/** Request nonces of signed agency requests: each usable once within its window. */
export interface RequestNonceStore {
  /**
   * Spends a request nonce: false if it was already used within its window. Resolves true only
   * once the nonce is durable, so a request that waits for it is answered only after its nonce
   * can no longer be replayed, even across a crash (SQLite: it is written with the next group
   * commit). Two concurrent uses of one nonce: one is true, the other false.
   */
  use(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
}

/** A partner's display name in one domain, as its agency last set it. */
export interface PartnerNameRecord {
  domainId: number;
  /** Lowercase. */
  address: string;
  name: string;
  /** Unix seconds. */
  updatedAt: number;
}

/** The partner directory: one name per (domain, partner), replaced by the agency's next change. */
export interface PartnerDirectory {
  /** Sets (or replaces) the name; resolves once it is durable. */
  setName(entry: PartnerNameRecord): Promise<void>;
  /** Every entry, or one domain's, by domain then name. */
  list(domainId?: number): Promise<PartnerNameRecord[]>;
  /** The partner's entries in every domain, by domain. */
  byAddress(address: string): Promise<PartnerNameRecord[]>;
}

/** One store: its pieces over one database. */
export interface Journal {
  readonly operations: OperationStore;
  readonly transactions: TransactionStore;
  readonly events: EventOutbox;
  readonly requestNonces: RequestNonceStore;
  readonly leases: LeaseStore;
  readonly partners: PartnerDirectory;
  /** Cheap write probe for /ready. */
  checkWritable(): Promise<void>;
  /** Commits whatever is pending, then closes the database. */
  close(): Promise<void>;
}
