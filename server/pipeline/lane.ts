/**
 * One signer's lane: the only place that allocates its nonces, signs, sends and follows its
 * transactions. A single loop per signer (plus a mutex around nonce allocation) keeps the nonce
 * sequence gap-free; every step is journaled before the next, so a restart resumes where it stopped.
 *
 * Each turn: reconcile (receipts by hash; lost confirmations resent; identical bytes rebroadcast when
 * stale; nonces taken by something else requeued; gaps filled), then fill the in-flight window with
 * new transactions: coalesced issuance batches (bounded size and wait) and single operations.
 *
 * A lane works only while its process holds the signer's lease (pipeline/leases.ts; always, on a
 * SQLite journal). Every journal write it makes carries the holding's fence, so the journal refuses
 * it once another instance has taken the lease; and before every send it checks that at least half
 * the lease's TTL is left by its own clock. When either fails it stops and forgets its state; on
 * taking the lease (again) it starts over from the journal and the chain, as after a restart.
 */
import type { Address, Hex, LocalAccount } from "viem";
import { crashPoint } from "../crash";
import type { RelayConfig } from "../config";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { batchGasLimit, issueBatchData, singleCallData, singleCallTarget, singleGasLimit } from "../chain/calls";
import { ChainUnreachableError, type ChainGateway } from "../chain/gateway";
import { signCall } from "../chain/signer";
import { payloadOf, type SinglePayload } from "../payloads";
import { FencedError, type Fence, type OperationFailure, type OperationRecord, type OperationStore, type TransactionRecord, type TransactionStore } from "../store/journal";
import { simulateBatch } from "./batchSimulation";
import type { ChainHealth } from "./health";
import type { HeldLease } from "./leases";
import { Mutex } from "./mutex";
import { settleByEarlierTransactions } from "./earlierTransactions";
import { nonceOwner } from "./nonceOwner";

/** How many times an operation may go out (reverted, dropped) or wait for an earlier intent. */
const MAX_ATTEMPTS = 5;
const MAX_DEFERRALS = 200;
/** How many times BATCH_MAX_WAIT_MS a partial batch may wait while an earlier transaction is unconfirmed. */
const BUSY_WAIT_FACTOR = 4;

export interface LaneDeps {
  operations: OperationStore;
  transactions: TransactionStore;
  gateway: ChainGateway;
  account: LocalAccount;
  ledger: Address;
  /** The registry of passkey accounts, which registrations call. */
  passkeyAccounts: Address;
  /** Absent for a deployment recorded before community stations. */
  communityStations?: Address;
  chainId: number;
  config: Pick<RelayConfig, "BATCH_MAX_ITEMS" | "BATCH_MAX_WAIT_MS" | "MAX_IN_FLIGHT_TXS" | "REBROADCAST_AFTER_MS" | "REPLACED_AFTER_MS" | "POLL_INTERVAL_MS" | "GAS_PRICE_WEI" | "RECONCILE_INTERVAL_MS">;
  health: ChainHealth;
  logger: Logger;
  metrics: Metrics;
  /** The signer's lease: this lane signs and sends only while it is held. */
  lease: HeldLease;
}

/** The lane's lease has too little time left to send: it stops before sending. */
export class LeaseExpiringError extends Error {
  override readonly name = "LeaseExpiringError";
}

export class SignerLane {
  readonly address: Address;
  private readonly nonceLock = new Mutex();
  private nextNonce: number | undefined;
  /** The lease holding this lane works under; undefined while another process holds the lease. */
  private fence: Fence | undefined;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private lastFullCheck = 0;
  private inFlight = 0;
  /** While a batch is filling up: operations that arrived since, so a wake-up per request is not a turn per request. */
  private filling: { arrived: number } | undefined;
  /** Operations announced by `wake` so far: those that arrive while a turn reads the queue count toward the batch filling. */
  private arrivals = 0;
  /**
   * Since when each transaction has had its nonce passed without a receipt, or been refused on
   * resend (by transaction id). In memory: after a restart the relay only waits longer.
   */
  private readonly missingSince = new Map<number, number>();
  private readonly refusedSince = new Map<number, number>();
  /** Since when each operation has waited for an earlier transaction's receipt before it may fail (by operation id). */
  private readonly waitingSince = new Map<string, number>();

  constructor(private readonly deps: LaneDeps) {
    this.address = deps.account.address;
  }

  private get earlierDeps() {
    return { transactions: this.deps.transactions, gateway: this.deps.gateway, logger: this.deps.logger, signer: this.address, fence: this.fence };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
  }

  /** New work arrived: run a turn now rather than at the next poll (or, while a batch fills, once it is full). */
  wake(count = 1): void {
    this.arrivals += count;
    if (this.filling) {
      this.filling.arrived += count;
      if (this.filling.arrived < this.deps.config.BATCH_MAX_ITEMS) return;
    }
    this.woken = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      let delay = this.deps.config.POLL_INTERVAL_MS;
      try {
        const busy = await this.turn();
        backoff = 0;
        if (busy !== undefined) delay = Math.min(delay, busy);
      } catch (error) {
        if (error instanceof ChainUnreachableError) {
          backoff = Math.min(5_000, Math.max(250, backoff * 2));
          delay = backoff;
          this.deps.logger.warn({ signer: this.address, err: error.message }, "chain unreachable; will retry");
        } else if (error instanceof FencedError) {
          this.deps.logger.warn({ signer: this.address, token: this.fence?.token, err: error.message }, "lease lost: this instance stops signing for the signer");
          if (this.fence) this.deps.lease.lost(this.fence);
          this.standDown();
        } else if (error instanceof LeaseExpiringError) {
          // Renewals are late (the journal slow or unreachable): send nothing until one succeeds,
          // and then start over from the journal, as if the lease had changed hands.
          this.deps.logger.warn({ signer: this.address, token: this.fence?.token, err: error.message }, "lease running out: this instance stops sending for the signer");
          this.standDown();
        } else {
          this.deps.logger.error({ signer: this.address, err: error instanceof Error ? error.message : String(error) }, "lane turn failed");
          // A journal write whose outcome is unknown (a connection lost at commit) may have taken a
          // nonce: read the next one from the journal again rather than trust this process's count.
          this.nextNonce = undefined;
          delay = 1_000;
        }
      }
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        this.woken = false;
        done();
      };
    });
  }

  /** Forgets everything this process knew of the signer: it is another instance's now, or will be learned anew. */
  private standDown(): void {
    this.fence = undefined;
    this.nextNonce = undefined;
    this.lastFullCheck = 0;
    this.inFlight = 0;
    this.filling = undefined;
    this.missingSince.clear();
    this.refusedSince.clear();
    this.waitingSince.clear();
  }

  /** One turn; returns how soon the next is due when a batch is waiting to fill. */
  private async turn(): Promise<number | undefined> {
    this.filling = undefined;
    const fence = this.deps.lease.fence();
    if (!fence) {
      if (this.fence) this.standDown();
      return undefined;
    }
    if (fence.token !== this.fence?.token) {
      // A new holding (first, or after another instance held the lease): start over from the journal and the chain.
      this.standDown();
      this.fence = fence;
    }
    if (this.nextNonce === undefined) await this.initNonce();
    await this.reconcile();
    return this.fill();
  }

  private async initNonce(): Promise<void> {
    const [journaled, pending] = await Promise.all([
      this.deps.transactions.nextNonce(this.address),
      this.deps.gateway.transactionCount(this.address, "pending"),
    ]);
    const next = Math.max(journaled ?? 0, pending);
    await this.deps.transactions.raiseNextNonce(this.address, next, this.fence);
    this.nextNonce = next;
  }

  // ─────────────────────────────────────────────────────────── Reconciliation

  private async reconcile(): Promise<void> {
    const { transactions, gateway } = this.deps;
    const now = Date.now();
    const fullCheck = now - this.lastFullCheck >= this.deps.config.RECONCILE_INTERVAL_MS;
    let live = await transactions.live(this.address);
    if (live.length === 0 && !fullCheck) {
      this.inFlight = 0;
      return;
    }
    const chainNonce = await gateway.transactionCount(this.address, "latest");
    if (fullCheck) {
      this.lastFullCheck = now;
      if (await this.recoverLostTransactions(chainNonce)) live = await transactions.live(this.address);
    }
    // Something else used this key: never reuse a nonce the chain has already consumed.
    if (chainNonce > this.nextNonce!) await this.raiseNonce(chainNonce);
    for (const tx of live) {
      if (tx.nonce < chainNonce) await this.settleMined(tx);
      else if (tx.status === "signed" || tx.sentAt === null || now - tx.sentAt >= this.deps.config.REBROADCAST_AFTER_MS) await this.send(tx, true);
    }
    await this.fillGaps(chainNonce);
    this.inFlight = (await transactions.live(this.address)).length;
  }

  /** The nonce is used on chain: our transaction's receipt, or it lost the nonce to another one. */
  private async settleMined(tx: TransactionRecord): Promise<void> {
    const receipt = await this.deps.gateway.receipt(tx.hash as Hex);
    if (!receipt) return this.receiptMissing(tx);
    this.missingSince.delete(tx.id);
    crashPoint("before-receipt");
    if (receipt.status === "success") {
      await this.deps.transactions.confirm(tx.id, receipt.blockNumber, this.fence);
    } else {
      this.deps.logger.warn({ signer: this.address, tx: tx.hash }, "transaction reverted; its operations go back to the queue");
      await this.requeue(tx, { reverted: receipt.blockNumber });
    }
  }

  /**
   * No receipt although the nonce is used: a late receipt looks exactly like a replaced transaction,
   * so the transaction is dropped only when the chain shows another one at its nonce, or when it
   * has been missing for longer than any receipt is late.
   */
  private async receiptMissing(tx: TransactionRecord): Promise<void> {
    const owner = await nonceOwner(this.deps.gateway, this.address, tx);
    this.deps.metrics.receiptsMissing.inc({ owner: owner.kind });
    if (owner.kind === "ours") return; // mined; its receipt comes at a later turn
    const now = Date.now();
    const since = this.missingSince.get(tx.id) ?? now;
    this.missingSince.set(tx.id, since);
    if (owner.kind === "unknown" && now - since < this.deps.config.REPLACED_AFTER_MS) return;
    this.missingSince.delete(tx.id);
    this.deps.logger.warn(
      { signer: this.address, nonce: tx.nonce, tx: tx.hash, replacedBy: owner.kind === "replaced" ? owner.by : undefined, missingMs: now - since },
      owner.kind === "replaced" ? "nonce used by another transaction; requeueing" : "no receipt long after the nonce was used; requeueing",
    );
    await this.requeue(tx, "dropped");
  }

  /**
   * A transaction that will not take effect (reverted, or gone): its operations go back to the
   * queue, or fail once out of attempts. One that would fail is first checked against its earlier
   * transactions, in case one of those took effect after all.
   */
  private async requeue(tx: TransactionRecord, outcome: "dropped" | { reverted: number }): Promise<void> {
    const { transactions } = this.deps;
    const exhausted = (await transactions.operationsOf(tx.id)).filter((op) => op.status === "submitted" && op.attempts + 1 >= MAX_ATTEMPTS);
    if (exhausted.length > 0) await settleByEarlierTransactions(this.earlierDeps, exhausted.map((op) => op.id), tx.id);
    if (outcome === "dropped") await transactions.drop(tx.id, MAX_ATTEMPTS, this.fence);
    else await transactions.revert(tx.id, outcome.reverted, MAX_ATTEMPTS, this.fence);
  }

  /**
   * Fails operations, except those one of their own earlier transactions already carried to success
   * (confirmed with it instead), and those whose earlier transaction is mined but not yet readable:
   * their ids are returned, to be tried again at a later turn (for at most REPLACED_AFTER_MS).
   */
  private async fail(failures: { id: string; error: OperationFailure }[]): Promise<Set<string>> {
    const wait = new Set<string>();
    if (failures.length === 0) return wait;
    const { confirmed, mined } = await settleByEarlierTransactions(this.earlierDeps, failures.map((f) => f.id));
    const now = Date.now();
    for (const id of mined) {
      const since = this.waitingSince.get(id) ?? now;
      this.waitingSince.set(id, since);
      if (now - since < this.deps.config.REPLACED_AFTER_MS) wait.add(id);
    }
    const rest = failures.filter((f) => !confirmed.has(f.id) && !wait.has(f.id));
    for (const f of failures) if (!wait.has(f.id)) this.waitingSince.delete(f.id);
    if (rest.length > 0) await this.deps.operations.fail(rest, this.fence);
    return wait;
  }

  /** Confirmed transactions the chain no longer has (it lost its last blocks): send them again. */
  private async recoverLostTransactions(chainNonce: number): Promise<boolean> {
    const gone = await this.deps.transactions.minedFromNonce(this.address, chainNonce);
    for (const tx of gone) {
      if (await this.deps.gateway.receipt(tx.hash as Hex)) continue;
      if ((await this.deps.gateway.transaction(tx.hash as Hex))?.blockNumber != null) continue; // in a block: the receipt is late
      this.deps.logger.warn({ signer: this.address, nonce: tx.nonce, tx: tx.hash }, "chain lost a mined transaction; resending it");
      if (tx.status === "confirmed") await this.deps.transactions.unconfirm(tx.id, this.fence);
      else await this.deps.transactions.drop(tx.id, MAX_ATTEMPTS, this.fence);
    }
    return gone.length > 0;
  }

  /** A nonce below our next one that no transaction holds would block every later one: fill it. */
  private async fillGaps(chainNonce: number): Promise<void> {
    if (this.nextNonce === undefined || chainNonce >= this.nextNonce) return;
    const used = await this.deps.transactions.usedNonces(this.address, chainNonce);
    for (let nonce = chainNonce; nonce < this.nextNonce; nonce += 1) {
      if (used.has(nonce)) continue;
      this.deps.logger.warn({ signer: this.address, nonce }, "filling a nonce gap");
      const signed = await signCall(this.deps.account, {
        to: this.address,
        data: "0x",
        nonce,
        gas: 21_000n,
        gasPrice: this.deps.config.GAS_PRICE_WEI,
        chainId: this.deps.chainId,
      });
      const tx = await this.deps.transactions.record(
        { signer: this.address, nonce, hash: signed.hash, raw: signed.raw, kind: "filler", operationIds: [] },
        this.fence,
      );
      await this.send(tx, false);
    }
  }

  private async raiseNonce(nonce: number): Promise<void> {
    await this.nonceLock.run(async () => {
      if (nonce > this.nextNonce!) {
        await this.deps.transactions.raiseNextNonce(this.address, nonce, this.fence);
        this.nextNonce = nonce;
      }
    });
  }

  // ─────────────────────────────────────────────────────────── Sending

  private async send(tx: TransactionRecord, resend: boolean): Promise<void> {
    // Only with half the lease left: a process whose renewals fail stops sending long before the
    // lease expires and another instance may take it (and resend these same journaled bytes).
    if (!this.fence || this.deps.lease.fence(this.deps.lease.ttlMs / 2)?.token !== this.fence.token) {
      throw new LeaseExpiringError(`lease ${this.deps.lease.name}: too little of it left to send transaction ${tx.hash}`);
    }
    const outcome = await this.deps.gateway.sendRaw(tx.raw as Hex);
    crashPoint("after-send");
    this.deps.metrics.transactionsSent.inc({ kind: tx.kind, resend: String(resend) });
    if (outcome.kind === "rejected") {
      // Some nodes (Hardhat) report a revert at send time yet mine the transaction: ask before giving up.
      if (await this.deps.gateway.isKnownTransaction(tx.hash as Hex)) {
        await this.deps.transactions.markSent(tx.id, Date.now(), this.fence);
        return;
      }
      // Bytes that went out before may still be mined (another node's pool, a block on its way):
      // a refused resend is given up only when the refusal outlasts any such delay.
      const now = Date.now();
      const since = this.refusedSince.get(tx.id) ?? now;
      this.refusedSince.set(tx.id, since);
      if (resend && now - since < this.deps.config.REPLACED_AFTER_MS) {
        this.deps.logger.warn({ signer: this.address, nonce: tx.nonce, tx: tx.hash, reason: outcome.message }, "node refused a resend; will try again");
        await this.deps.transactions.markSent(tx.id, now, this.fence);
        return;
      }
      this.refusedSince.delete(tx.id);
      this.deps.logger.error({ signer: this.address, nonce: tx.nonce, tx: tx.hash, reason: outcome.message }, "node refused the transaction");
      await this.requeue(tx, "dropped");
      return;
    }
    this.refusedSince.delete(tx.id);
    // accepted, already known, or "nonce too low" (settled by its receipt at the next reconciliation)
    await this.deps.transactions.markSent(tx.id, Date.now(), this.fence);
  }

  /** Allocates the next nonce, signs, and journals the transaction before it is sent. */
  private async signAndRecord(kind: string, data: Hex, gas: bigint, ops: OperationRecord[], to: Address = this.deps.ledger): Promise<TransactionRecord> {
    return this.nonceLock.run(async () => {
      const nonce = this.nextNonce!;
      const signed = await signCall(this.deps.account, {
        to,
        data,
        nonce,
        gas,
        gasPrice: this.deps.config.GAS_PRICE_WEI,
        chainId: this.deps.chainId,
      });
      const tx = await this.deps.transactions.record(
        {
          signer: this.address,
          nonce,
          hash: signed.hash,
          raw: signed.raw,
          kind,
          operationIds: ops.map((op) => op.id),
        },
        this.fence,
      );
      this.nextNonce = nonce + 1;
      crashPoint("after-signing");
      return tx;
    });
  }

  // ─────────────────────────────────────────────────────────── New work

  /** Fills the in-flight window. Returns a delay when a batch is waiting to fill up. */
  private async fill(): Promise<number | undefined> {
    const { operations, config } = this.deps;
    const deferred = new Set<string>();
    let sentBatches = 0;
    while (this.running && this.inFlight < config.MAX_IN_FLIGHT_TXS) {
      const head = (await operations.queued(this.address, deferred.size + 1)).find((op) => !deferred.has(op.id));
      if (!head) return undefined;
      const call = payloadOf(head);
      if (call.kind === "issue") {
        const arrivalsBefore = this.arrivals;
        const ops = (await operations.queuedIssuances(this.address, head.domainId!, config.BATCH_MAX_ITEMS + deferred.size))
          .filter((op) => !deferred.has(op.id))
          .slice(0, config.BATCH_MAX_ITEMS);
        const age = Date.now() - ops[0].createdAt;
        // While an earlier transaction of the lane is unconfirmed, a partial batch waits longer: with
        // blocks seconds apart it most often lands in the same block anyway, and fewer, fuller
        // transactions cost less per issuance (signing, simulation, journal, receipts) and take
        // fewer of the node's pending slots per sender.
        const patience = this.inFlight > 0 ? BUSY_WAIT_FACTOR * config.BATCH_MAX_WAIT_MS : config.BATCH_MAX_WAIT_MS;
        if (ops.length < config.BATCH_MAX_ITEMS && age < patience) {
          // Arrivals during this turn already woke the lane, but they are in this batch (or counted
          // toward it below): without clearing that, the lane would turn again at once, and keep
          // turning (journal reads and node calls each time) for as long as requests come in.
          this.filling = { arrived: ops.length + (this.arrivals - arrivalsBefore) };
          this.woken = false;
          return patience - age;
        }
        if (sentBatches > 0) crashPoint("mid-batch");
        if (await this.submitBatch(head.domainId!, ops, deferred)) sentBatches += 1;
      } else if (!(await this.submitSingle(head, call))) {
        deferred.add(head.id);
      }
    }
    return undefined;
  }

  /** Simulates, signs and sends one batch; items that must wait a turn are added to `deferred`. */
  private async submitBatch(domainId: number, ops: OperationRecord[], deferred: Set<string>): Promise<boolean> {
    const verdict = await simulateBatch(this.deps.gateway, this.address, this.deps.ledger, domainId, ops);
    if (verdict.failed.length > 0) {
      this.deps.logger.info({ signer: this.address, failed: verdict.failed.map((f) => f.id) }, "batch items rejected by simulation");
      for (const id of await this.fail(verdict.failed)) deferred.add(id);
    }
    if (verdict.ready.length === 0) return false;
    const tx = await this.signAndRecord("issueBatch", issueBatchData(domainId, verdict.ready), batchGasLimit(verdict.ready.length), verdict.ready);
    this.deps.metrics.batchSize.observe(verdict.ready.length);
    this.inFlight += 1;
    await this.send(tx, false);
    return true;
  }

  /** Submits one operation; false when it must wait (an earlier intent of the resident, or an earlier transaction's receipt). */
  private async submitSingle(op: OperationRecord, call: SinglePayload): Promise<boolean> {
    const data = singleCallData(call);
    const gas = singleGasLimit(op.kind);
    const to = singleCallTarget(call.kind, this.deps);
    const outcome = await this.deps.gateway.simulate(this.address, to, data, gas);
    if (!outcome.ok) {
      const f = outcome.failure;
      const waitingForEarlierIntent = f.name === "PointsLedgerInvalidNonce" && BigInt(f.args?.nonce ?? 0) > BigInt(f.args?.expected ?? 0);
      if (waitingForEarlierIntent && (await this.deps.operations.defer(op.id, this.fence)) < MAX_DEFERRALS) return false;
      return (await this.fail([{ id: op.id, error: f }])).size === 0;
    }
    const tx = await this.signAndRecord(op.kind, data, gas, [op], to);
    this.inFlight += 1;
    await this.send(tx, false);
    return true;
  }
}
