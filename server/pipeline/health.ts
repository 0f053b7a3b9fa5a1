/** Whether the chain answered lately: /ready and the "refuse writes while the chain is down" policy read it. */
export class ChainHealth {
  private lastOk = 0;
  private lastFailure = 0;
  private lastError = "";

  /** A call that began at `startedAt` succeeded; one that began before the latest failure proves nothing. */
  ok(startedAt = Date.now()): void {
    if (startedAt >= this.lastFailure) this.lastOk = Math.max(Date.now(), this.lastFailure + 1);
  }

  failed(error: unknown): void {
    this.lastFailure = Date.now();
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  /** Up unless the latest contact failed. */
  get up(): boolean {
    return this.lastFailure <= this.lastOk;
  }

  get status(): { up: boolean; lastOkAt?: string; lastError?: string } {
    return {
      up: this.up,
      lastOkAt: this.lastOk ? new Date(this.lastOk).toISOString() : undefined,
      lastError: this.up ? undefined : this.lastError,
    };
  }
}
