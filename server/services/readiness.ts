/**
 * What /ready answers: whether the chain answers and the journal takes writes. Each check runs at
 * most once per its period (the chain's every second, the journal's write probe every five
 * seconds, a failed one every second), however often /ready is asked, and callers in between share the last result or the
 * check in flight: /ready can be polled by anyone without loading the node or writing the journal
 * on every call. Failures are named by a fixed reason, never by the error's text, which can hold
 * the node's URL or the journal's connection string.
 */
export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: { chain: CheckResult; journal: CheckResult };
}

export interface ReadinessOptions {
  chainEveryMs?: number;
  journalEveryMs?: number;
  timeoutMs?: number;
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new TimeoutError()), ms).unref())]);
}

/**
 * One check, run at most once per `everyMs`; concurrent callers share it. A failure is kept for at
 * most a second, so a journal or node that is back shows ready within a second, not a full period.
 */
class CachedCheck {
  private last?: { at: number; result: Promise<CheckResult>; failed: boolean };

  constructor(
    private readonly run: () => Promise<CheckResult>,
    private readonly everyMs: number,
  ) {}

  get(): Promise<CheckResult> {
    const now = Date.now();
    const period = this.last?.failed ? Math.min(this.everyMs, FAILURE_KEPT_MS) : this.everyMs;
    if (!this.last || now - this.last.at >= period) {
      const entry = { at: now, result: this.run(), failed: false };
      void entry.result.then((r) => (entry.failed = !r.ok));
      this.last = entry;
    }
    return this.last.result;
  }
}

const FAILURE_KEPT_MS = 1_000;

export class Readiness {
  private readonly chain: CachedCheck;
  private readonly journal: CachedCheck;

  constructor(probeChain: () => Promise<unknown>, probeJournal: () => Promise<void>, options: ReadinessOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 2_000;
    this.chain = new CachedCheck(async () => {
      try {
        await withTimeout(probeChain(), timeoutMs);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: error instanceof TimeoutError ? `the chain did not answer within ${timeoutMs} ms` : "the chain is unreachable or answered with an error" };
      }
    }, options.chainEveryMs ?? 1_000);
    this.journal = new CachedCheck(async () => {
      try {
        await withTimeout(probeJournal(), timeoutMs);
        return { ok: true };
      } catch {
        return { ok: false, error: "the journal does not take writes" };
      }
    }, options.journalEveryMs ?? 5_000);
  }

  async report(): Promise<ReadinessReport> {
    const [chain, journal] = await Promise.all([this.chain.get(), this.journal.get()]);
    return { ready: chain.ok && journal.ok, checks: { chain, journal } };
  }
}
