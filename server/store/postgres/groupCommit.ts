/**
 * Group commit on PostgreSQL: work that arrives while the previous group commits (or in the same
 * turn of the event loop) shares one transaction, each piece in a savepoint of its own, and each
 * caller is answered only after the group's COMMIT. One group at a time per process.
 *
 * A piece that fails is rolled back alone; its `recover`, if any, then runs in a fresh savepoint
 * (an accept that lost a race for an idempotency key or a claim to another instance reads what
 * that instance committed, and answers with it). A piece that deadlocks with another instance's
 * group is rolled back and tried again in the next group.
 */
import type { Pool, PoolClient } from "pg";
import { begin, isConnectionError, isRetryable } from "./db";

export interface Piece<T> {
  work: (client: PoolClient) => Promise<T>;
  /** Runs after `work` threw and was rolled back; its result answers the caller (or it rethrows). */
  recover?: (error: unknown, client: PoolClient) => Promise<T>;
  /** Work that cannot fail but for the connection (one statement): no savepoint. */
  atomic?: boolean;
}

interface Pending {
  piece: Piece<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  retries: number;
}

const MAX_GROUP = 500;
const MAX_RETRIES = 5;

export class PgGroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> | undefined;

  constructor(private readonly pool: Pool) {}

  run<T>(piece: Piece<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ piece: piece as Piece<unknown>, resolve: resolve as (value: unknown) => void, reject, retries: 0 });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running || this.pending.length === 0) return;
      this.running = this.commitGroup().finally(() => {
        this.running = undefined;
        if (this.pending.length > 0) this.schedule();
      });
    });
  }

  /** Waits until everything pending now is committed (or has failed). */
  async flush(): Promise<void> {
    while (this.running || this.pending.length > 0 || this.scheduled) {
      if (this.running) await this.running;
      else await new Promise((r) => setImmediate(r));
    }
  }

  private async commitGroup(): Promise<void> {
    const group = this.pending.splice(0, MAX_GROUP);
    const outcomes: ({ ok: unknown } | { error: unknown } | { retry: true })[] = [];
    let client: PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await begin(this.pool);
      for (const p of group) outcomes.push(await this.runPiece(client, p));
      await client.query("COMMIT");
    } catch (error) {
      if (client) await client.query("ROLLBACK").catch((e: Error) => (broken = e));
      if (isConnectionError(error)) broken ??= error as Error;
      client?.release(broken);
      for (const p of group) p.reject(error);
      return;
    }
    client.release();
    const retry: Pending[] = [];
    group.forEach((p, i) => {
      const outcome = outcomes[i];
      if ("retry" in outcome) retry.push(p);
      else if ("ok" in outcome) p.resolve(outcome.ok);
      else p.reject(outcome.error);
    });
    this.pending.unshift(...retry);
  }

  private async runPiece(client: PoolClient, p: Pending): Promise<{ ok: unknown } | { error: unknown } | { retry: true }> {
    if (p.piece.atomic) return { ok: await p.piece.work(client) };
    await client.query("SAVEPOINT piece");
    try {
      const ok = await p.piece.work(client);
      await client.query("RELEASE SAVEPOINT piece");
      return { ok };
    } catch (error) {
      if (isConnectionError(error)) throw error;
      await client.query("ROLLBACK TO SAVEPOINT piece");
      if (isRetryable(error) && p.retries < MAX_RETRIES) {
        p.retries += 1;
        return { retry: true };
      }
      if (!p.piece.recover) return { error };
      try {
        const ok = await p.piece.recover(error, client);
        await client.query("RELEASE SAVEPOINT piece");
        return { ok };
      } catch (recoverError) {
        if (isConnectionError(recoverError)) throw recoverError;
        await client.query("ROLLBACK TO SAVEPOINT piece");
        return { error: recoverError };
      }
    }
  }
}
