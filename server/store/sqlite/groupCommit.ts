/**
 * Group commit: work that arrives in the same turn of the event loop shares one SQLite transaction,
 * each piece in a savepoint of its own, and each caller is answered only after the group's commit.
 * One commit per group instead of one per request is most of the journal's throughput. Accepts of
 * operations and request nonces go through the same group.
 */
import type Database from "better-sqlite3";

interface Pending {
  work: () => unknown;
  savepoint: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;
  /** One piece of work as a savepoint (nested transaction) inside the group's transaction. */
  private readonly savepoint: (work: () => unknown) => unknown;

  constructor(private readonly db: Database.Database) {
    this.savepoint = db.transaction((work: () => unknown) => work());
  }

  /**
   * Runs `work` in the next group's transaction and resolves with its result once that transaction
   * is committed. A throw rolls back this work alone and rejects its caller; the rest of the group
   * still commits. If the group cannot commit, every caller in it is rejected.
   */
  run<T>(work: () => T): Promise<T> {
    return this.enqueue(work, true);
  }

  /**
   * `run` for work that is one SQL statement: SQLite undoes a failed statement by itself and the
   * transaction goes on, so it needs no savepoint (two statements fewer per request nonce).
   */
  runStatement<T>(work: () => T): Promise<T> {
    return this.enqueue(work, false);
  }

  private enqueue<T>(work: () => T, savepoint: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, savepoint, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** Commits the pending group now (also called at close). */
  flush(): void {
    this.scheduled = false;
    const group = this.pending.splice(0);
    if (group.length === 0) return;
    let outcomes: ({ ok: unknown } | { error: unknown })[];
    try {
      outcomes = this.db
        .transaction(() =>
          group.map(({ work, savepoint }) => {
            try {
              return { ok: savepoint ? this.savepoint(work) : work() };
            } catch (error) {
              return { error };
            }
          }),
        )
        .immediate();
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    group.forEach((p, i) => {
      const outcome = outcomes[i];
      if ("ok" in outcome) p.resolve(outcome.ok);
      else p.reject(outcome.error);
    });
  }
}
