/**
 * Leases on a journal that only one process writes (SQLite): every lease is granted at once and for
 * good, so a lane's fence never changes and never fails. Two relay processes must not share one
 * SQLite journal; several instances of an agency's relay share a PostgreSQL journal instead.
 */
import type { Fence, LeaseStore } from "./journal";

export class LocalLeaseStore implements LeaseStore {
  readonly shared = false;

  async acquire(): Promise<number> {
    return 1;
  }

  async renew(_fence: Fence): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}
