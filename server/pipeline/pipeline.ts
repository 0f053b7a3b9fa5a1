/**
 * All signer lanes of the relay: one per agency key and one for the relayer key, each working
 * while this process holds its signer's lease (`signer:<address>`, pipeline/leases.ts).
 */
import type { Address, LocalAccount } from "viem";
import type { LeaseKeeper } from "./leases";
import { SignerLane, type LaneDeps } from "./lane";

export function signerLease(address: string): string {
  return `signer:${address.toLowerCase()}`;
}

export class Pipeline {
  private readonly lanes = new Map<string, SignerLane>();

  constructor(deps: Omit<LaneDeps, "account" | "lease">, accounts: LocalAccount[], leases: LeaseKeeper) {
    for (const account of accounts) {
      const lease = leases.lease(signerLease(account.address));
      const lane = new SignerLane({ ...deps, account, lease });
      lease.onAcquired(() => lane.wake());
      this.lanes.set(account.address.toLowerCase(), lane);
    }
  }

  start(): void {
    for (const lane of this.lanes.values()) lane.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop()));
  }

  /** Work was journaled for this signer. */
  notify(signer: Address | string, count = 1): void {
    this.lanes.get(signer.toLowerCase())?.wake(count);
  }
}
