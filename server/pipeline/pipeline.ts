/** All signer lanes of the relay: one per agency key and one for the relayer key. */
import type { Address, LocalAccount } from "viem";
import { SignerLane, type LaneDeps } from "./lane";

export class Pipeline {
  private readonly lanes = new Map<string, SignerLane>();

  constructor(deps: Omit<LaneDeps, "account">, accounts: LocalAccount[]) {
    for (const account of accounts) this.lanes.set(account.address.toLowerCase(), new SignerLane({ ...deps, account }));
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
