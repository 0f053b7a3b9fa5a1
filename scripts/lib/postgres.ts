/**
 * A throwaway PostgreSQL server for tests and benchmarks: `initdb` a cluster in a temporary folder,
 * start it with `pg_ctl` on a free 127.0.0.1 port (password authentication, its socket in the same
 * folder), and stop and remove it afterwards. Uses the server binaries installed on the machine
 * (Debian's `postgresql` package: `pg_config --bindir`, or /usr/lib/postgresql/<version>/bin).
 *
 * initdb and postgres refuse to run as root: when this process is root (as in CI), the binaries
 * run as the `postgres` system user (runuser), with the folder handed to that user.
 *
 * fsync is off: the tests stop the server (also with `-m immediate`, a crash of the server process,
 * recovered from its WAL) but never the machine, and the disk is shared with other work.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./processes";

export const POSTGRES_MISSING =
  "PostgreSQL is not installed: these tests start a real PostgreSQL server and need its binaries (initdb, pg_ctl, postgres). " +
  "Install it with `apt-get install -y postgresql` (Debian/Ubuntu; .ci/run does), or put its bin folder on PATH.";

export interface PostgresServer {
  /** postgres://relay:<password>@127.0.0.1:<port>/journal */
  url: string;
  /** The same database as the superuser `postgres` (trust over the socket is not used: same password). */
  adminUrl: string;
  password: string;
  port: number;
  dataDir: string;
  /** Creates another database (owned by the relay user) and returns its URL. */
  createDatabase(name: string): string;
  /** pg_ctl stop (fast: connections closed cleanly; immediate: the server killed, recovered at next start). */
  stopServer(mode?: "fast" | "immediate"): void;
  startServer(): void;
  restart(mode?: "fast" | "immediate"): void;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** The folder holding initdb, pg_ctl and postgres; throws POSTGRES_MISSING when there is none. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    // no pg_config
  }
  if (existsSync("/usr/lib/postgresql")) {
    const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir) candidates.push(dir);
  const found = candidates.find((dir) => ["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(dir, b))));
  if (!found) throw new Error(POSTGRES_MISSING);
  return found;
}

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a server binary, as the postgres user when this process is root. */
function run(bin: string, args: string[], options: { timeoutMs?: number } = {}): string {
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: "utf8", timeout: options.timeoutMs ?? 60_000, cwd: tmpdir() });
  if (result.error) throw new Error(`${bin} ${args[0] ?? ""}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function chownToPostgres(path: string): void {
  if (!asRoot) return;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  chownSync(path, uid, gid);
}

/** Every server this process started and has not stopped: killed if the process exits without stopping them. */
const running = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const dataDir of running) {
      try {
        const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
        if (pid > 0) process.kill(pid, "SIGQUIT");
      } catch {
        // already gone
      }
    }
  });
}

/** initdb + pg_ctl start on a free port; a `relay` role (password) owning a `journal` database. */
export async function startPostgres(options: { port?: number } = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), "pg-test-"));
  chownToPostgres(root);
  const dataDir = join(root, "data");
  const password = randomBytes(12).toString("hex");
  const pwfile = join(root, "pwfile");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownToPostgres(pwfile);
  run(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C", "--no-sync"], {
    timeoutMs: 120_000,
  });
  rmSync(pwfile, { force: true });
  const port = options.port ?? (await freePort());
  const logFile = join(root, "server.log");
  const serverOptions = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
    "-c shared_buffers=32MB",
  ].join(" ");
  const startServer = () => {
    run(join(bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", dataDir, "-l", logFile, "-o", serverOptions], { timeoutMs: 90_000 });
    running.add(dataDir);
  };
  const stopServer = (mode: "fast" | "immediate" = "fast") => {
    run(join(bin, "pg_ctl"), ["stop", "-w", "-t", "60", "-D", dataDir, "-m", mode], { timeoutMs: 90_000 });
    running.delete(dataDir);
  };
  installExitHook();
  startServer();
  const psql = (sql: string, db = "postgres") =>
    execFileSync(join(bin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", db, "-c", sql], {
      env: { ...process.env, PGPASSWORD: password },
      encoding: "utf8",
    });
  psql(`CREATE ROLE relay LOGIN PASSWORD '${password}'`);
  const createDatabase = (name: string) => {
    psql(`CREATE DATABASE ${name} OWNER relay`);
    return `postgres://relay:${password}@127.0.0.1:${port}/${name}`;
  };
  const url = createDatabase("journal");
  return {
    url,
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/journal`,
    password,
    port,
    dataDir,
    createDatabase,
    stopServer,
    startServer,
    restart(mode = "fast") {
      stopServer(mode);
      startServer();
    },
    async stop() {
      if (running.has(dataDir)) {
        try {
          stopServer("immediate");
        } catch {
          // killed already
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
