/**
 * Request nonces on PostgreSQL. A nonce is written with the next group commit and `use` resolves
 * only after that commit, so the request is answered only once its nonce is durable. Across
 * instances the primary key decides: the same nonce sent to two instances at once makes the second
 * insert wait for the first's commit and then find the nonce taken (false). A nonce whose window
 * has passed may be written again (its request could not pass the timestamp check anyway).
 */
import type { Pool } from "pg";
import type { RequestNonceStore } from "../journal";
import type { PgGroupCommit } from "./groupCommit";

const PURGE_EVERY_MS = 60_000;

export class PgRequestNonceStore implements RequestNonceStore {
  /** Nonces in a group not committed yet, as `keyId \n nonce`. */
  private readonly pending = new Set<string>();
  private lastPurge = 0;

  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
  ) {}

  async use(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const key = `${keyId}\n${nonce}`;
    if (this.pending.has(key)) return false;
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      this.pool.query("DELETE FROM request_nonces WHERE expires_at < $1", [now]).catch(() => undefined);
    }
    this.pending.add(key);
    try {
      return await this.group.run({
        atomic: true,
        work: async (client) => {
          const { rowCount } = await client.query(
            `INSERT INTO request_nonces (key_id, nonce, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_nonces.expires_at < $4`,
            [keyId, nonce, expiresAt, now],
          );
          return rowCount === 1;
        },
      });
    } finally {
      this.pending.delete(key);
    }
  }
}
