/**
 * Request nonces on SQLite. A nonce is checked against the table and against the nonces not yet
 * committed, then written with the next group commit; `use` resolves only after that commit, so the
 * request is answered only once its nonce is durable.
 */
import type Database from "better-sqlite3";
import type { RequestNonceStore } from "../journal";
import type { GroupCommit } from "./groupCommit";

export class SqliteRequestNonceStore implements RequestNonceStore {
  /** Nonces in a group not committed yet, as `keyId \n nonce`. */
  private readonly pending = new Set<string>();
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly group: GroupCommit,
  ) {
    this.s = {
      used: db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM request_nonces WHERE key_id = ? AND nonce = ?"),
      insert: db.prepare("INSERT OR IGNORE INTO request_nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)"),
      purge: db.prepare("DELETE FROM request_nonces WHERE expires_at < ?"),
    };
  }

  async use(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const key = `${keyId}\n${nonce}`;
    if (this.pending.has(key) || this.s.used.get(keyId, nonce)) return false;
    if (Math.random() < 0.001) this.s.purge.run(now);
    this.pending.add(key);
    try {
      await this.group.runStatement(() => this.s.insert.run(keyId, nonce, expiresAt));
      return true;
    } finally {
      this.pending.delete(key);
    }
  }
}
