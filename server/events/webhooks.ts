/**
 * Webhook delivery: each agency with a webhook URL gets its events in order, signed with HMAC and a
 * timestamp (sdk/src/auth.ts signWebhook). A durable cursor per agency means nothing is skipped
 * across restarts; a failed delivery is retried with backoff (at-least-once: receivers dedupe by event id).
 * With several relay instances on one journal, an agency's webhooks are delivered by the instance
 * holding its lease (`webhooks:<agency>`), and the cursor moves only under that lease's fence.
 */
import { HEADER_WEBHOOK_SIGNATURE, signWebhook } from "../../sdk/src/auth";
import type { Agency } from "../keystore";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { HeldLease, LeaseKeeper } from "../pipeline/leases";
import { FencedError, type EventOutbox } from "../store/journal";
import type { EventBus } from "./bus";
import { presentEvent } from "./present";

const PAGE = 100;
const MAX_BACKOFF_MS = 60_000;

export class WebhookDispatcher {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<string, () => void>();

  constructor(
    private readonly agencies: Agency[],
    private readonly events: EventOutbox,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly timeoutMs: number,
    private readonly leases: LeaseKeeper,
  ) {}

  start(): void {
    this.running = true;
    for (const agency of this.agencies) {
      if (!agency.webhook) continue;
      this.loops.push(this.run(agency, agency.webhook));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers.values()) wake();
    await Promise.all(this.loops);
  }

  private async run(agency: Agency, webhook: { url: string; secret: string }): Promise<void> {
    let backoff = 0;
    let signalled = false;
    const lease: HeldLease = this.leases.lease(`webhooks:${agency.name}`);
    const unsubscribe = this.bus.subscribe(agency.name, () => {
      signalled = true;
      this.wakers.get(agency.name)?.();
    });
    lease.onAcquired(() => this.wakers.get(agency.name)?.());
    try {
      while (this.running) {
        let delay = 5_000;
        const fence = lease.fence();
        if (!fence) {
          // Another instance delivers this agency's webhooks; wait to be given the lease.
          await this.sleep(agency.name, Math.max(250, Math.floor(lease.ttlMs / 5)));
          continue;
        }
        try {
          const cursor = await this.events.webhookCursor(agency.name);
          const events = await this.events.after(agency.name, cursor, PAGE);
          signalled = false;
          for (const event of events) {
            if (!this.running || !lease.fence(lease.ttlMs / 2)) break;
            await this.deliver(webhook, JSON.stringify(presentEvent(event)));
            await this.events.setWebhookCursor(agency.name, event.seq, fence);
          }
          backoff = 0;
          if (events.length === PAGE || signalled) delay = 0;
        } catch (error) {
          if (error instanceof FencedError) {
            lease.lost(fence);
            continue;
          }
          backoff = Math.min(MAX_BACKOFF_MS, Math.max(500, backoff * 2));
          delay = backoff;
          this.metrics.webhookDeliveries.inc({ outcome: "failed" });
          this.logger.warn({ agency: agency.name, err: (error as Error).message, retryInMs: backoff }, "webhook delivery failed");
        }
        if (delay > 0) await this.sleep(agency.name, delay);
      }
    } finally {
      unsubscribe();
    }
  }

  private sleep(agency: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wakers = this.wakers;
      function done() {
        clearTimeout(timer);
        wakers.delete(agency);
        resolve();
      }
      this.wakers.set(agency, done);
    });
  }

  private async deliver(webhook: { url: string; secret: string }, body: string): Promise<void> {
    const response = await fetch(webhook.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", [HEADER_WEBHOOK_SIGNATURE]: signWebhook(webhook.secret, body) },
      body,
      // A redirect is not followed: the agency registered this URL, and a receiver (or whoever took
      // its name) must not be able to send the signed events somewhere else.
      redirect: "manual",
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.body?.cancel();
    if (response.status >= 300 && response.status < 400) throw new Error(`webhook answered ${response.status}, a redirect, which is not followed`);
    if (response.status < 200 || response.status >= 300) throw new Error(`webhook answered ${response.status}`);
    this.metrics.webhookDeliveries.inc({ outcome: "delivered" });
  }
}
