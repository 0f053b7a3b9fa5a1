/**
 * The progress file of a deployment in flight (`deployments/<chainId>.pending.json`). Each contract's
 * creation is written down *before* it is broadcast: its nonce (which fixes the contract's address), the
 * signed bytes when the signer can sign offline, and the plan's fingerprint. A run that was interrupted
 * reads it back and finishes the same transactions instead of sending new ones, so a crash between the
 * council and the ledger can never leave a second council.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

export const PROGRESS_FORMAT = "city-points-deployment-progress/1";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);

const stepSchema = z
  .object({
    nonce: z.number().int().nonnegative(),
    address: hex,
    /** Known before broadcast when the signer signs offline; otherwise filled in right after sending. */
    hash: hex.optional(),
    /** The signed transaction, rebroadcast as the same bytes if it went missing (free gas allows no fee bump). */
    raw: hex.optional(),
    /** Fee and gas fields, reused so that a re-sent transaction is the same transaction. */
    gasLimit: z.string(),
    gasPrice: z.string().optional(),
    blockNumber: z.number().int().nonnegative().optional(),
  })
  .strict();

const progressSchema = z
  .object({
    format: z.literal(PROGRESS_FORMAT),
    chainId: z.number().int().positive(),
    deployer: hex,
    planHash: hex,
    council: stepSchema.optional(),
    passkeyAccounts: stepSchema.optional(),
    ledger: stepSchema.optional(),
    communityStations: stepSchema.optional(),
  })
  .strict();

export type ProgressStep = z.infer<typeof stepSchema>;
export type Progress = z.infer<typeof progressSchema>;
/** In creation order: the ledger holds the first two's addresses, the stations all three's. */
export type StepName = "council" | "passkeyAccounts" | "ledger" | "communityStations";

/** `deployments/31337.json` → `deployments/31337.pending.json`. */
export function progressPath(recordPath: string): string {
  return recordPath.replace(/(\.json)?$/, ".pending.json");
}

export function readProgress(path: string): Progress | undefined {
  if (!existsSync(path)) return undefined;
  return progressSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

/** Atomic (temp file, then rename): a crash leaves the old progress or the new, never half of one. */
export function writeProgress(path: string, progress: Progress): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(progressSchema.parse(progress), null, 2) + "\n");
  renameSync(tmp, path);
}

export function removeProgress(path: string): void {
  rmSync(path, { force: true });
}
