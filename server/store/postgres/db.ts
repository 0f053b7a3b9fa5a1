/**
 * The PostgreSQL connection pool of the journal and what the repositories share: transactions,
 * the fence check, error classification, and the URL with its password hidden (the only form in
 * which the URL is ever logged, shown or put in an error).
 */
import { Pool, types as pgTypes, type PoolClient, type PoolConfig } from "pg";
import { FencedError, type Fence } from "../journal";

/** int8 (bigint, bigserial) as a JavaScript number: every id, seq, nonce and time here is far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID && format !== "binary") return (value: string) => Number(value);
    return pgTypes.getTypeParser(oid, format);
  }) as typeof pgTypes.getTypeParser,
};

/** The URL with any password replaced by `***` (also when it cannot be parsed). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    const params = parsed.searchParams;
    if (params.has("password")) params.set("password", "***");
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@").replace(/password=[^&]*/gi, "password=***");
  }
}

/** An error's message with the password of `url`, should it appear, hidden. */
export function redactMessage(message: string, url: string): string {
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    password = undefined;
  }
  return password ? message.split(password).join("***") : message;
}

export interface PoolOptions {
  /** Connections of the pool (the group commit, the lanes' writes, reads). */
  max?: number;
  /** Server-side limit on one statement, and the client's on one query. */
  statementTimeoutMs?: number;
  /**
   * A session left idle inside a transaction this long is ended by the server, which rolls the
   * transaction back and frees its locks: a paused or partitioned relay cannot keep a lease row
   * locked, nor block another instance's takeover.
   */
  idleInTransactionTimeoutMs?: number;
  onError?: (error: Error) => void;
}

export function createPool(url: string, options: PoolOptions = {}): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max: options.max ?? 10,
    types,
    application_name: "city-points-relay",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    query_timeout: (options.statementTimeoutMs ?? 15_000) + 5_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 5_000,
  };
  const pool = new Pool(config);
  // A connection that the server closed (restarted, terminated) or the network cut must not crash
  // the process: idle ones are reported by the pool, checked-out ones by the client itself (their
  // query fails too, and whoever ran it handles that).
  pool.on("error", (error) => options.onError?.(error));
  pool.on("connect", (client) => client.on("error", () => undefined));
  // A connection the pool still took for alive (the server restarted, or this process was paused
  // while the server ended its sessions) fails at once: the statements run straight on the pool are
  // reads and idempotent writes, so each is tried once more on a fresh connection.
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = (async (...args: unknown[]) => {
    try {
      return await query(...args);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      return query(...args);
    }
  }) as typeof pool.query;
  return pool;
}

/**
 * A connection with a transaction begun on it. A connection that turns out dead before anything
 * ran on it (at connect, or at BEGIN) is replaced, up to twice: nothing was done, so nothing is redone.
 */
export async function begin(pool: Pool): Promise<PoolClient> {
  for (let attempt = 0; ; attempt += 1) {
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query("BEGIN");
      return client;
    } catch (error) {
      client?.release(error as Error);
      if (!isConnectionError(error) || attempt >= 2) throw error;
    }
  }
}

export type Db = Pool | PoolClient;

/** Runs `work` in one transaction on a connection of its own: committed if it resolves, rolled back if it throws. */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await begin(pool);
  let broken: Error | undefined;
  try {
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    if (isConnectionError(error)) broken = error as Error;
    else await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Inside a transaction: the fence is the lease's current, unexpired holding. The lease row is
 * locked (FOR SHARE) until the transaction ends, so a takeover (which updates the row) waits for
 * this transaction to commit, and this check cannot pass once a takeover has committed: every
 * write under an old fence either commits before the takeover or not at all.
 */
export async function checkFence(client: PoolClient, fence: Fence | undefined): Promise<void> {
  if (!fence) return;
  const held = await client.query(
    "SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp() FOR SHARE",
    [fence.lease, fence.holder, fence.token],
  );
  if (held.rowCount !== 1) throw new FencedError(fence);
}

export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return pgCode(error) === "23505" && (constraint === undefined || (error as { constraint?: string }).constraint === constraint);
}

/** Deadlock or serialization failure: the piece of work may simply be tried again. */
export function isRetryable(error: unknown): boolean {
  const code = pgCode(error);
  return code === "40P01" || code === "40001";
}

/** The connection itself failed (server gone, restarted, terminated, network): not an answer of the database. */
export function isConnectionError(error: unknown): boolean {
  const code = pgCode(error);
  if (code && (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03")) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|timeout exceeded|Client has encountered a connection error|not queryable/i.test(message);
}
