/**
 * Request nonces on SQLite. A nonce is checked against the nonces not yet committed, then written
 * with the next group commit, where the primary key decides (no separate read: the insert's own
 * lookup is the check); `use` resolves only after that commit, so the request is answered only once
 * its nonce is durable. A nonce whose window has passed may be written again (its request could not
 * pass the timestamp check anyway), as on PostgreSQL.
 */
import type Database from "better-sqlite3";
import type { RequestNonceStore } from "../journal";
import type { GroupCommit } from "./groupCommit";

const PURGE_EVERY_MS = 60_000;

export class SqliteRequestNonceStore implements RequestNonceStore {
  /** Nonces in a group not committed yet, as `keyId \n nonce`. */
  private readonly pending = new Set<string>();
  private lastPurge = 0;
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly group: GroupCommit,
  ) {
    this.s = {
      insert: db.prepare<[string, string, number, number]>(
        `INSERT INTO request_nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE request_nonces.expires_at < ?`,
      ),
      purge: db.prepare("DELETE FROM request_nonces WHERE expires_at < ?"),
    };
  }

  async use(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const key = `${keyId}\n${nonce}`;
    if (this.pending.has(key)) return false;
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      this.s.purge.run(now);
    }
    this.pending.add(key);
    try {
      return await this.group.runStatement(() => this.s.insert.run(keyId, nonce, expiresAt, now).changes === 1);
    } finally {
      this.pending.delete(key);
    }
  }
}
