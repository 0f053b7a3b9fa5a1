/**
 * What the auditor reports when the chain disagrees with the ledger's rules: the invariant of
 * docs/design.md it breaks, a stable code, a message, and the block and transaction that show it.
 */
import type { Hex } from "viem";
import type { EventPosition } from "./events";

/**
 * I1 per domain: sum of balances = issued − redeemed − exchanged out + exchanged in.
 * I2 every balance rebuilt from events equals the contract's own balance.
 * I3 every exchange used an agreement in force, approved by both sides, at its rate, and no
 *    agreement credits more value than it burns.
 * I4 no claim id issued twice; no resident intent (nonce) used twice; no non-zero order reference
 *    paid twice to one partner.
 * I5 no issuer exceeded its quota; no resident exceeded a cap.
 * I6 every period's net settlement positions sum to zero.
 * I7 while a domain is paused, nothing in it changed but what the pause rule allows.
 * I8 every council-only change came from the council executing a proposal that enough of its
 *    members approved, before it expired, whose call is exactly that change; and the contracts at
 *    the deployment's addresses run the code this repository builds.
 * RULE: another rule the contract enforces and the events break (an unknown domain or partner, a
 * transfer in a non-transferable domain, events out of order): the contract or the stream is not
 * what it claims to be, though none of I1-I8 is broken by it alone.
 */
export type InvariantId = "I1" | "I2" | "I3" | "I4" | "I5" | "I6" | "I7" | "I8" | "RULE";
export const INVARIANTS: readonly InvariantId[] = ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "RULE"];

export type DetailValue = string | number | boolean | null;

export interface Violation {
  invariant: InvariantId;
  /** Stable machine-readable reason, e.g. "BALANCE_MISMATCH". */
  code: string;
  message: string;
  /** The block (and transaction) that shows the violation: the event, or the last event behind a mismatch. */
  blockNumber: number | null;
  transactionHash: Hex | null;
  logIndex: number | null;
  /** Values involved; amounts as decimal strings. */
  details: Record<string, DetailValue>;
}

/** Keeps the first `limit` violations and counts all of them per invariant. */
export class ViolationLog {
  readonly kept: Violation[] = [];
  readonly counts: Record<InvariantId, number> = { I1: 0, I2: 0, I3: 0, I4: 0, I5: 0, I6: 0, I7: 0, I8: 0, RULE: 0 };
  total = 0;

  constructor(private readonly limit: number) {}

  add(
    invariant: InvariantId,
    code: string,
    message: string,
    at: Partial<EventPosition> | undefined,
    details: Record<string, unknown> = {},
  ): void {
    this.total++;
    this.counts[invariant]++;
    if (this.kept.length >= this.limit) return;
    const flat: Record<string, DetailValue> = {};
    for (const [key, value] of Object.entries(details)) {
      flat[key] = typeof value === "bigint" ? value.toString() : value === undefined ? null : (value as DetailValue);
    }
    this.kept.push({
      invariant,
      code,
      message,
      blockNumber: at?.blockNumber ?? null,
      transactionHash: at?.transactionHash ?? null,
      logIndex: at?.logIndex ?? null,
      details: flat,
    });
  }
}
