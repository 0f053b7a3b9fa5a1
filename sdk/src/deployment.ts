/**
 * The deployment record that the deploy script writes (`deployments/<chainId>.json`) and the relay,
 * the SDK and the auditor read: where the contracts are, from which block their history starts, and
 * the period clock.
 */
import { z } from "zod";
import { getAddress, type Address, type Hex } from "viem";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((a) => getAddress(a) as Address);
const txHash = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex hash")
  .transform((h) => h.toLowerCase() as Hex);

/** Format 2 added the registry of passkey accounts (format 1 records name a ledger without it). */
export const DEPLOYMENT_FORMAT = "city-points-deployment/2";

export const deploymentSchema = z
  .object({
    format: z.literal(DEPLOYMENT_FORMAT),
    chainId: z.number().int().positive(),
    ledger: address,
    council: address,
    /** The registry of passkey accounts (PasskeyAccounts), which the ledger holds as PASSKEY_ACCOUNTS_REGISTRY. */
    passkeyAccounts: address,
    /** The community stations contract (CommunityStations): assisted operations at citizen stations.
     * Absent from records written before stations existed. */
    communityStations: address.optional(),
    /** Seconds a passkey recovery waits before it may be carried out. */
    recoveryDelaySeconds: z.number().int().positive(),
    /** Block of the ledger's creation: the auditor reads events from here. */
    deployBlock: z.number().int().nonnegative(),
    genesisTime: z.number().int().nonnegative(),
    periodSeconds: z.number().int().positive(),
    pauser: address,
    councilMembers: z.array(address).min(2),
    councilThreshold: z.number().int().min(2),
    domains: z.array(
      z.object({
        id: z.number().int().positive(),
        name: z.string().min(1),
        agency: address,
        issuers: z.array(address),
      }),
    ),
    transactions: z.object({ council: txHash, passkeyAccounts: txHash, ledger: txHash, communityStations: txHash.optional() }),
    deployedAt: z.string(),
  })
  .strict();

export type Deployment = z.output<typeof deploymentSchema>;

/** Parses a deployment record, with an error naming each field that is wrong. */
export function parseDeployment(value: unknown): Deployment {
  const result = deploymentSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`invalid deployment record: ${problems}`);
  }
  return result.data;
}
