/**
 * The relay's configuration, parsed once from the environment with zod. Every mistake is named with
 * its variable; nothing secret has a default.
 */
import { z } from "zod";
import { ConfigError } from "./errors";
import { MAX_BATCH_ITEMS_PER_TX } from "./chain/gasCap";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const relayConfigSchema = z.object({
  PORT: int(0, 65_535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  RPC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL of the chain's JSON-RPC endpoint" }),
  DEPLOYMENT_FILE: z.string().min(1, "must name the deployment record (deployments/<chainId>.json)"),
  KEYSTORE_FILE: z.string().min(1, "must name the relay keystore file"),
  /** 32-byte hex key that decrypts the keystore's secrets; or MASTER_KEY_FILE holding it. */
  RELAY_MASTER_KEY: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be 32 bytes of hex").optional(),
  MASTER_KEY_FILE: z.string().min(1).optional(),
  JOURNAL_PATH: z.string().min(1, "must name the journal's SQLite file"),
  /** Gas price of every transaction, in wei. 0 on the free-gas city chain. */
  GAS_PRICE_WEI: z.coerce.bigint().min(0n).default(0n),
  /** At most what fits under the Osaka gas cap per transaction (chain/gasCap.ts): 302. */
  BATCH_MAX_ITEMS: int(1, MAX_BATCH_ITEMS_PER_TX).default(250),
  BATCH_MAX_WAIT_MS: int(0, 10_000).default(20),
  /** Accepted operations not yet final, beyond which writes get 503. */
  QUEUE_LIMIT: int(1, 10_000_000).default(250_000),
  MAX_IN_FLIGHT_TXS: int(1, 64).default(8),
  REBROADCAST_AFTER_MS: int(100, 3_600_000).default(15_000),
  POLL_INTERVAL_MS: int(5, 60_000).default(100),
  /**
   * How long a transaction may lack a receipt after the chain's nonce passed it (or keep being
   * refused on resend) before the relay takes it as gone, when the chain cannot show what took its
   * nonce. Longer than any receipt can be late.
   */
  REPLACED_AFTER_MS: int(1_000, 3_600_000).default(60_000),
  /** How often mined transactions are checked against the chain (a node that lost its last blocks). */
  RECONCILE_INTERVAL_MS: int(50, 3_600_000).default(5_000),
  /** While the chain is unreachable: accept writes into the journal, or refuse them with 503. */
  CHAIN_DOWN_WRITES: z.enum(["accept", "refuse"]).default("accept"),
  BODY_LIMIT_BYTES: int(1_024, 10_485_760).default(262_144),
  AGENCY_RATE_LIMIT_PER_MINUTE: int(1, 10_000_000).default(12_000),
  PUBLIC_RATE_LIMIT_PER_MINUTE: int(1, 10_000_000).default(120),
  REPLAY_WINDOW_SECONDS: int(10, 3_600).default(300),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(5_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type RelayConfig = z.output<typeof relayConfigSchema>;

/** Parses the environment (or any record of strings); throws ConfigError naming each mistake. */
export function parseRelayConfig(env: Record<string, string | undefined>): RelayConfig {
  const known = Object.fromEntries(Object.keys(relayConfigSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const result = relayConfigSchema.safeParse(known);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.code === "invalid_type" && known[String(i.path[0])] === undefined ? "is required" : i.message}`));
  }
  if (!result.data.RELAY_MASTER_KEY && !result.data.MASTER_KEY_FILE) {
    throw new ConfigError(["RELAY_MASTER_KEY or MASTER_KEY_FILE: one is required to decrypt the keystore"]);
  }
  return result.data;
}
