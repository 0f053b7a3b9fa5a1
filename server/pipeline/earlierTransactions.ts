/**
 * The safety net at the end of the pipeline: before an operation is reported failed, its own
 * earlier transactions (dropped or reverted in the journal) are asked of the chain. A claim id or
 * intent nonce that the ledger calls "used", an approval it calls "already given", may have been used
 * by exactly such a transaction, taken for gone too early. Then the operation took effect, and ends
 * confirmed with that transaction: the relay never reports as failed what its own transaction did.
 */
import type { Address, Hex } from "viem";
import type { ChainGateway, Receipt } from "../chain/gateway";
import type { Logger } from "../logger";
import type { Fence, TransactionRecord, TransactionStore } from "../store/journal";
import { nonceOwner } from "./nonceOwner";

export interface EarlierOutcomes {
  /** Carried to success by an earlier transaction: now confirmed with it. */
  confirmed: Set<string>;
  /** An earlier transaction is mined, but its receipt cannot be read yet: ask again before failing. */
  mined: Set<string>;
}

export interface EarlierDeps {
  transactions: TransactionStore;
  gateway: ChainGateway;
  logger: Logger;
  signer: Address;
  /** The lane's lease holding: the confirmation is written under it. */
  fence?: Fence;
}

/** Looks at each operation's earlier transactions (all but `except`), confirming those one carried to success. */
export async function settleByEarlierTransactions(deps: EarlierDeps, operationIds: string[], except?: number): Promise<EarlierOutcomes> {
  const { transactions, gateway, logger, signer, fence } = deps;
  const receipts = new Map<number, Receipt | undefined>();
  const owners = new Map<number, boolean>();
  const byTransaction = new Map<number, { tx: TransactionRecord; blockNumber: number; ids: string[] }>();
  const mined = new Set<string>();
  for (const id of operationIds) {
    for (const tx of await transactions.pastTransactions(id)) {
      if (tx.id === except || tx.status === "signed" || tx.status === "sent") continue; // live: not "earlier"
      if (!receipts.has(tx.id)) receipts.set(tx.id, await gateway.receipt(tx.hash as Hex));
      const receipt = receipts.get(tx.id);
      if (!receipt) {
        if (!owners.has(tx.id)) owners.set(tx.id, (await nonceOwner(gateway, signer, tx)).kind === "ours");
        if (owners.get(tx.id)) mined.add(id);
        continue;
      }
      if (receipt.status !== "success") continue;
      const entry = byTransaction.get(tx.id) ?? { tx, blockNumber: receipt.blockNumber, ids: [] };
      entry.ids.push(id);
      byTransaction.set(tx.id, entry);
      mined.delete(id);
      break;
    }
  }
  const confirmed = new Set<string>();
  for (const { tx, blockNumber, ids } of byTransaction.values()) {
    logger.warn({ signer, nonce: tx.nonce, tx: tx.hash, operations: ids.length }, "an earlier transaction of these operations took effect; confirming them with it");
    await transactions.confirmWith(tx.id, blockNumber, ids, fence);
    for (const id of ids) confirmed.add(id);
  }
  return { confirmed, mined };
}
