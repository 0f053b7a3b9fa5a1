/**
 * The relay's configuration, parsed once from the environment with zod. Every mistake is named with
 * its variable; nothing secret has a default.
 */
import { join } from "node:path";
import { isIP } from "node:net";
import { z } from "zod";
import { ConfigError } from "./errors";
import { MAX_BATCH_ITEMS_PER_TX } from "./chain/gasCap";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "" && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** Names Express's trust proxy takes for address ranges, besides addresses and CIDR subnets. */
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * TRUST_PROXY: off (no proxy: the client address is the socket's), a hop count (that many proxies
 * in front, the nearest first), or the proxies' addresses, subnets or range names. Never "true":
 * trusting every hop would let any client name its own address in X-Forwarded-For.
 */
const trustProxySchema = z
  .string()
  .optional()
  .transform((value, ctx): false | number | string[] => {
    const v = (value ?? "").trim().toLowerCase();
    if (v === "" || v === "off" || v === "false" || v === "0") return false;
    if (/^[0-9]{1,2}$/.test(v)) return Number(v);
    const entries = v.split(",").map((e) => e.trim()).filter((e) => e.length > 0);
    const bad = entries.filter((e) => !PROXY_RANGE_NAMES.has(e) && !isAddressOrSubnet(e));
    if (v === "true" || bad.length > 0 || entries.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `must be off, a hop count (1 for one proxy in front), or the proxies' addresses or subnets (comma-separated; loopback, linklocal, uniquelocal)${bad.length > 0 ? `; not an address: ${bad.join(", ")}` : ""}`,
      });
      return z.NEVER;
    }
    return entries;
  });

function isAddressOrSubnet(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** METRICS_PORT: unset serves /metrics on the main port, "off" nowhere, a number on its own listener. */
const metricsPortSchema = z
  .string()
  .optional()
  .transform((value, ctx): "main" | "off" | number => {
    const v = (value ?? "").trim().toLowerCase();
    if (v === "") return "main";
    if (v === "off") return "off";
    if (/^[0-9]{1,5}$/.test(v) && Number(v) <= 65_535) return Number(v);
    ctx.addIssue({ code: "custom", message: 'must be a port, or "off"' });
    return z.NEVER;
  });

export const relayConfigSchema = z.object({
  PORT: int(0, 65_535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  RPC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL of the chain's JSON-RPC endpoint" }),
  DEPLOYMENT_FILE: z.string().min(1, "must name the deployment record (deployments/<chainId>.json)"),
  KEYSTORE_FILE: z.string().min(1, "must name the relay keystore file"),
  /** 32-byte hex key that decrypts the keystore's secrets; or MASTER_KEY_FILE holding it. */
  RELAY_MASTER_KEY: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be 32 bytes of hex").optional(),
  MASTER_KEY_FILE: z.string().min(1).optional(),
  /** The journal: a SQLite file (one relay process), or a PostgreSQL database (several instances of an agency's relay). Exactly one. */
  JOURNAL_PATH: z.string().min(1, "must name the journal's SQLite file").optional(),
  JOURNAL_URL: z
    .string()
    .refine(isPostgresUrl, "must be a postgres:// (or postgresql://) URL of the journal's database, e.g. postgres://relay:<password>@db.example:5432/journal")
    .optional(),
  /** Connections of each instance to the PostgreSQL journal. */
  JOURNAL_POOL_SIZE: int(2, 200).default(10),
  /**
   * How long a lease (one per signer: who signs and sends; one per agency: who delivers its
   * webhooks) stays held without renewal. Renewed every fifth of it; another instance takes over
   * a lease once it has expired. PostgreSQL journal only (SQLite: one process, always held).
   */
  LEASE_TTL_MS: int(1_000, 600_000).default(5_000),
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
  /**
   * Per client address on the unauthenticated routes: high enough for a city app's backend or a
   * carrier NAT (1,000 residents a minute, each quoting, reading and sending an intent, is 3,000).
   */
  PUBLIC_RATE_LIMIT_PER_MINUTE: int(1, 10_000_000).default(6_000),
  /** Signed intents per resident account (counted once the signature is checked), whoever submits them. */
  RESIDENT_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(30),
  /** How the client address of a request is found behind reverse proxies (X-Forwarded-For). */
  TRUST_PROXY: trustProxySchema,
  /** JSON-RPC calls per client address per minute on the read-only gateway (each call of a batch counts). */
  RPC_RATE_LIMIT_PER_MINUTE: int(1, 10_000_000).default(1_200),
  /** Most calls in one JSON-RPC batch to the gateway. */
  RPC_MAX_BATCH: int(1, 1_000).default(100),
  /** Most blocks one eth_getLogs may span (Besu's own default is lower: 1,000 in recent versions). */
  RPC_MAX_LOG_BLOCKS: int(1, 1_000_000).default(5_000),
  /** Largest answer to one call; past it the call is answered with error -32005 (ask for fewer blocks). */
  RPC_MAX_RESPONSE_BYTES: int(1_024, 268_435_456).default(10_485_760),
  /** Gas an eth_call may use through the gateway (given or not); the auditor's bulk reads take about 6M. */
  RPC_CALL_GAS_CAP: int(21_000, 1_000_000_000).default(16_777_216),
  /** Largest JSON-RPC request body to the gateway. */
  RPC_BODY_LIMIT_BYTES: int(1_024, 16_777_216).default(1_048_576),
  /** Where /metrics is served: unset on the main port, "off" nowhere, or a port of its own (on METRICS_HOST). */
  METRICS_PORT: metricsPortSchema,
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** Blocks one page of a resident's history may scan (5 eth_getLogs per 5,000), and events it may hold. */
  HISTORY_PAGE_BLOCKS: int(1, 1_000_000).default(25_000),
  HISTORY_PAGE_ENTRIES: int(1, 10_000).default(200),
  REPLAY_WINDOW_SECONDS: int(10, 3_600).default(300),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(5_000),
  /** How often the ledger index asks the chain for new blocks once it has caught up. */
  LEDGER_INDEX_POLL_MS: int(10, 60_000).default(1_000),
  /** The built web app (`npm run build:web`); served at / when it holds an index.html. */
  WEB_DIR: z.string().min(1).default(join(__dirname, "..", "web", "dist")),
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
  if (!result.data.JOURNAL_PATH && !result.data.JOURNAL_URL) {
    throw new ConfigError(["JOURNAL_PATH or JOURNAL_URL: one is required (JOURNAL_PATH: a SQLite file, for one relay process; JOURNAL_URL: postgres://..., for several instances)"]);
  }
  if (result.data.JOURNAL_PATH && result.data.JOURNAL_URL) {
    throw new ConfigError(["JOURNAL_PATH and JOURNAL_URL: set only one (JOURNAL_PATH for a SQLite journal, JOURNAL_URL for a PostgreSQL journal)"]);
  }
  return result.data;
}
