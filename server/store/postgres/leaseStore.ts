/**
 * Leases on PostgreSQL: one row per lease (holder, token, expiry), on the database's clock so that
 * the instances' clocks do not matter. Acquiring a free or expired lease raises its token by one;
 * renewing extends the current holding only; a fenced write (db.ts `checkFence`) holds the row
 * FOR SHARE, so a takeover waits for it, and it fails after one.
 *
 * Acquiring and renewing wait at most LOCK_WAIT_MS for the row: a transaction of a paused instance
 * that still holds it is ended by the server (idle_in_transaction_session_timeout), and the
 * attempt is simply made again.
 */
import type { Pool } from "pg";
import type { Fence, LeaseStore } from "../journal";
import { pgCode, transaction } from "./db";

const LOCK_WAIT_MS = 500;

export class PgLeaseStore implements LeaseStore {
  readonly shared = true;

  constructor(private readonly pool: Pool) {}

  /** One statement with a bounded wait for the lease's row; its first row. */
  private async locked(sql: string, params: unknown[]): Promise<{ token: number } | undefined> {
    return transaction(this.pool, async (client) => {
      await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT_MS}ms'`);
      return (await client.query<{ token: number }>(sql, params)).rows[0];
    });
  }

  async acquire(lease: string, holder: string, ttlMs: number): Promise<number | undefined> {
    try {
      const row = await this.locked(
        `INSERT INTO leases (name, holder, token, acquired_at, expires_at)
         VALUES ($1, $2, 1, clock_timestamp(), clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, token = leases.token + 1,
           acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
         WHERE leases.expires_at <= clock_timestamp()
         RETURNING token`,
        [lease, holder, ttlMs],
      );
      return row?.token;
    } catch (error) {
      if (pgCode(error) === "55P03") return undefined; // lock_not_available: its holder is writing under it
      throw error;
    }
  }

  /** Throws (rather than answering false) when the row stayed locked: the holding is not known to be lost. */
  async renew(fence: Fence, ttlMs: number): Promise<boolean> {
    const row = await this.locked(
        `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
         WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp() RETURNING token`,
      [fence.lease, fence.holder, fence.token, ttlMs],
    );
    return row !== undefined;
  }

  async release(fence: Fence): Promise<void> {
    await this.pool.query("UPDATE leases SET expires_at = clock_timestamp() WHERE name = $1 AND holder = $2 AND token = $3", [
      fence.lease,
      fence.holder,
      fence.token,
    ]);
  }
}
