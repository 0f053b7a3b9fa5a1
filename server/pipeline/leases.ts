/**
 * Keeps this process's leases (journal.ts `LeaseStore`): one per signer (who may sign and send for
 * it) and one per agency with a webhook (who delivers its webhooks). Every fifth of the TTL each
 * held lease is renewed and each other one is tried; a lease is taken only once it has expired.
 *
 * The process's own view of a holding is conservative: it counts the TTL from the moment it *sent*
 * the renewal (monotonic clock), so it always ends before the database's expiry, which another
 * instance waits for. `fence(margin)` answers only while at least `margin` ms of that view remain;
 * a lane asks for half the TTL before every send, so a process whose renewals fail (partitioned,
 * database down, or paused and resumed) stops sending well before anyone else may start.
 *
 * On a journal that is not shared (SQLite) every lease is granted once, for good.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Fence, LeaseStore } from "../store/journal";
import type { Logger } from "../logger";

export interface HeldLease {
  readonly name: string;
  readonly ttlMs: number;
  /** The current holding, while this process holds the lease with at least `marginMs` of it left. */
  fence(marginMs?: number): Fence | undefined;
  /** A fenced write failed: the holding is stale. Stops using it; the lease is taken anew (a new token) when it can be. */
  lost(fence: Fence): void;
  /** Called each time this process takes the lease. */
  onAcquired(listener: () => void): void;
}

interface LeaseState {
  name: string;
  fence: Fence | undefined;
  /** performance.now() at which this process stops counting on the holding. */
  validUntil: number;
  listeners: (() => void)[];
  /** The last renewal or acquisition failed (logged once until one succeeds). */
  failing: boolean;
}

export class LeaseKeeper {
  /** Who holds a lease: host, process id and a random part (tests and operators read it from the `leases` table). */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly leases = new Map<string, LeaseState>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly onHeldChange?: (lease: string, held: boolean) => void,
  ) {}

  lease(name: string): HeldLease {
    let state = this.leases.get(name);
    if (!state) {
      state = { name, fence: undefined, validUntil: 0, listeners: [], failing: false };
      this.leases.set(name, state);
    }
    const s = state;
    return {
      name,
      ttlMs: this.ttlMs,
      fence: (marginMs = 0) => (s.fence && performance.now() + marginMs < s.validUntil ? s.fence : undefined),
      lost: (fence) => {
        if (s.fence?.token !== fence.token) return;
        this.drop(s, "a write under it was refused: another instance holds it now");
      },
      onAcquired: (listener) => s.listeners.push(listener),
    };
  }

  /** Takes what it can now (resolves after the first attempt), then keeps renewing and trying. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.tick();
    if (!this.store.shared || !this.running) return;
    const every = Math.max(100, Math.floor(this.ttlMs / 5));
    const loop = () => {
      this.timer = setTimeout(() => {
        this.ticking = this.tick().finally(() => {
          this.ticking = undefined;
          if (this.running) loop();
        });
      }, every);
    };
    loop();
  }

  /** Stops renewing and gives every holding up, so another instance can take over at once. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.all(
      [...this.leases.values()].map(async (s) => {
        const fence = s.fence;
        if (!fence) return;
        this.drop(s, undefined);
        if (this.store.shared) await this.store.release(fence).catch(() => undefined);
      }),
    );
  }

  private async tick(): Promise<void> {
    await Promise.all([...this.leases.values()].map((s) => this.keep(s)));
  }

  private async keep(s: LeaseState): Promise<void> {
    const started = performance.now();
    if (s.fence && started >= s.validUntil) this.drop(s, "it was not renewed in time (paused, or the journal unreachable)");
    try {
      if (s.fence) {
        const fence = s.fence;
        const renewed = await this.store.renew(fence, this.ttlMs);
        s.failing = false;
        if (renewed) {
          if (s.fence === fence) s.validUntil = started + this.ttlMs;
        } else if (s.fence === fence) {
          this.drop(s, "it expired, or another instance took it");
        }
        return;
      }
      if (!this.running) return;
      const token = await this.store.acquire(s.name, this.holder, this.ttlMs);
      s.failing = false;
      if (token === undefined || !this.running) return;
      s.fence = { lease: s.name, holder: this.holder, token };
      s.validUntil = this.store.shared ? started + this.ttlMs : Number.POSITIVE_INFINITY;
      if (this.store.shared) this.logger.info({ lease: s.name, token, holder: this.holder }, "lease acquired");
      this.onHeldChange?.(s.name, true);
      for (const listener of s.listeners) listener();
    } catch (error) {
      // Unknown outcome (journal unreachable, row busy): keep the holding as long as it lasts, try again.
      if (!s.failing) this.logger.warn({ lease: s.name, err: (error as Error).message }, "lease renewal or acquisition failed; retrying");
      s.failing = true;
    }
  }

  private drop(s: LeaseState, reason: string | undefined): void {
    if (!s.fence) return;
    if (reason) this.logger.warn({ lease: s.name, token: s.fence.token, reason }, "lease lost");
    s.fence = undefined;
    s.validUntil = 0;
    this.onHeldChange?.(s.name, false);
  }
}
