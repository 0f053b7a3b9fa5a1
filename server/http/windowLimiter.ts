/**
 * A fixed-window counter per key, for limits that express-rate-limit's one-request-one-hit cannot
 * express: a JSON-RPC batch costs one per call, and a resident is known only once the intent's
 * signature is checked, inside the handler. Every key's count starts again when the window turns,
 * so memory holds at most the keys seen in one window.
 */
export interface WindowVerdict {
  allowed: boolean;
  /** Seconds until the window turns (for Retry-After). */
  retryAfterSeconds: number;
  /** Hits still allowed to this key in the window. */
  remaining: number;
}

export class WindowLimiter {
  private counts = new Map<string, number>();
  private windowStart: number;

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = this.now();
  }

  /** Counts `weight` hits for `key`; refused (and not counted) when they would pass the limit. */
  take(key: string, weight = 1): WindowVerdict {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.counts = new Map();
      this.windowStart = now - ((now - this.windowStart) % this.windowMs);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
    const used = this.counts.get(key) ?? 0;
    if (used + weight > this.limit) return { allowed: false, retryAfterSeconds, remaining: this.limit - used };
    this.counts.set(key, used + weight);
    return { allowed: true, retryAfterSeconds, remaining: this.limit - used - weight };
  }
}
