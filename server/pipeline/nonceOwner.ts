/**
 * The chain's nonce for a signer has passed one of its transactions, yet the node gives no receipt.
 * Either the receipt is late (anvil makes an account's new nonce visible before the receipt; behind a
 * load balancer the receipt may come from a node a block behind), or another transaction took the
 * nonce. Only the chain showing that other transaction proves the second: the lane drops its own
 * transaction on that evidence alone, or after a bound no late receipt can exceed.
 */
import type { Address, Hex } from "viem";
import type { ChainGateway } from "../chain/gateway";

export type NonceOwner =
  /** Our transaction is in a block, or the chain shows it at the nonce: its receipt will come. */
  | { kind: "ours" }
  /** The chain shows another transaction at the nonce: ours can never be mined. */
  | { kind: "replaced"; by: Hex }
  /** The chain cannot say (it keeps no state that old, or is still catching up). */
  | { kind: "unknown" };

/** How far back the search looks for the block where the nonce was used. */
const SEARCH_BLOCKS = 4_096;

export async function nonceOwner(gateway: ChainGateway, signer: Address, tx: { nonce: number; hash: string }): Promise<NonceOwner> {
  const seen = await gateway.transaction(tx.hash as Hex);
  if (seen?.blockNumber !== null && seen?.blockNumber !== undefined) return { kind: "ours" };
  const block = await firstBlockPastNonce(gateway, signer, tx.nonce);
  if (block === undefined) return { kind: "unknown" };
  const hash = await gateway.transactionInBlock(block, signer, tx.nonce);
  if (hash === undefined) return { kind: "unknown" };
  return hash.toLowerCase() === tx.hash.toLowerCase() ? { kind: "ours" } : { kind: "replaced", by: hash };
}

/** The first block after which the signer's nonce exceeds `nonce` (binary search over recent state). */
async function firstBlockPastNonce(gateway: ChainGateway, signer: Address, nonce: number): Promise<number | undefined> {
  let hi = Number(await gateway.blockNumber());
  const countAtHi = await gateway.transactionCountAt(signer, hi);
  if (countAtHi === undefined || countAtHi <= nonce) return undefined; // the node's blocks lag its nonce
  let lo = Math.max(0, hi - SEARCH_BLOCKS);
  const countAtLo = await gateway.transactionCountAt(signer, lo);
  if (countAtLo === undefined || countAtLo > nonce) return undefined; // too long ago, or state pruned
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const count = await gateway.transactionCountAt(signer, mid);
    if (count === undefined) return undefined;
    if (count > nonce) hi = mid;
    else lo = mid;
  }
  return hi;
}
