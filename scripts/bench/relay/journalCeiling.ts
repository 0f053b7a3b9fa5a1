/**
 * Phase (g), the journal's ceiling: what the relay's SQLite journal alone costs per issuance on this
 * machine, in this process, with no HTTP and no chain: the writes every batched issuance needs,
 * through the journal's own code (accept in requests of the batch size, the lane's read of its
 * batch, the transaction recorded with its operations, confirmed with their events). Counted in
 * CPU seconds of this process (the work is synchronous), so other load on the machine does not
 * lower it. No relay journaling each issuance this way confirms more issuances a second on one core.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { SqliteJournal } from "../../../server/store/sqliteJournal";
import { claimId, residents } from "./workload";

export interface JournalCeiling {
  /** Issuances a CPU second through accept, batch read, record and confirm. */
  issuesPerCpuSec: number;
  /** CPU microseconds per issuance in each step. */
  cpuUsPerIssue: { accept: number; readBatch: number; record: number; confirm: number };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export async function journalCeiling(dir: string, count: number, batchSize: number): Promise<JournalCeiling> {
  const journal = new SqliteJournal(join(dir, "ceiling-journal.db"));
  const signer = `0x${randomBytes(20).toString("hex")}`;
  const holders = residents(count);
  // A signed issueBatch of this size is about 96 bytes an item, stored as hex.
  const raw = `0x${randomBytes(96 * batchSize).toString("hex")}`;
  const spent = { accept: 0, readBatch: 0, record: 0, confirm: 0 };
  try {
    for (let first = 0, nonce = 0; first < count; first += batchSize, nonce += 1) {
      const size = Math.min(batchSize, count - first);
      const operations = Array.from({ length: size }, (_, k) => ({
        id: `op_${randomBytes(16).toString("hex")}`,
        kind: "issue" as const,
        agency: "volunteer",
        signer,
        domainId: 1,
        claimId: claimId(first + k),
        payload: { resident: holders[first + k], amount: "5" },
      }));
      let t = cpuMs();
      const accepted = await journal.operations.accept({ scope: "agency:volunteer", idempotencyKey: `ceiling-${nonce}`, requestHash: "h", operations });
      if (accepted.kind !== "created") throw new Error(`journal ceiling: accept answered ${accepted.kind}`);
      spent.accept += cpuMs() - t;
      t = cpuMs();
      const batch = await journal.operations.queuedIssuances(signer, 1, batchSize);
      spent.readBatch += cpuMs() - t;
      t = cpuMs();
      const tx = await journal.transactions.record({ signer, nonce, hash: `0x${randomBytes(32).toString("hex")}`, raw, kind: "issueBatch", operationIds: batch.map((op) => op.id) });
      spent.record += cpuMs() - t;
      t = cpuMs();
      await journal.transactions.confirm(tx.id, nonce + 1);
      spent.confirm += cpuMs() - t;
    }
    if ((await journal.operations.countUnfinished()) !== 0) throw new Error("journal ceiling: operations left unfinished");
  } finally {
    await journal.close();
  }
  const total = spent.accept + spent.readBatch + spent.record + spent.confirm;
  const perIssue = (ms: number) => Math.round((ms * 1000 * 10) / count) / 10;
  return {
    issuesPerCpuSec: (count * 1000) / total,
    cpuUsPerIssue: { accept: perIssue(spent.accept), readBatch: perIssue(spent.readBatch), record: perIssue(spent.record), confirm: perIssue(spent.confirm) },
  };
}
