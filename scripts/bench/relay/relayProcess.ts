/**
 * The relay as the benchmark runs it: plain JavaScript in a child process, as in production.
 * server/ and sdk/src/ are transpiled once into a temporary folder (no type check; `npm run lint`
 * does that), so the TypeScript compiler that ts-node keeps in memory is not counted in the relay's RSS.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { freePort, killGroup, ROOT, spawnProcess, type Spawned } from "../../lib/processes";
import type { BenchChain } from "./chain";
import { MAX_BATCH_ITEMS_PER_TX } from "../../../server/chain/gasCap";

export function transpileRelay(outDir: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : []));
  for (const file of [...walk(join(ROOT, "server")), ...walk(join(ROOT, "sdk", "src"))]) {
    const out = join(outDir, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(out, outputText);
  }
  return join(outDir, "server", "index.js");
}

export interface RelayProcess {
  url: string;
  pid: number;
  process: Spawned;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The relay's largest batch that fits Osaka's per-transaction gas cap, unless told otherwise. */
export const BATCH_MAX_ITEMS = Number(process.env.BATCH_MAX_ITEMS ?? MAX_BATCH_ITEMS_PER_TX);

/** Starts the relay on a bench chain; `journal` is JOURNAL_PATH=... or JOURNAL_URL=... */
export async function startRelay(entry: string, bench: BenchChain, journal: Record<string, string>, queueLimit: number): Promise<RelayProcess> {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_RELAY_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawnProcess(process.execPath, [...nodeArgs, entry], {
    NODE_PATH: join(ROOT, "node_modules"),
    RPC_URL: bench.chain.url,
    DEPLOYMENT_FILE: bench.deploymentPath,
    KEYSTORE_FILE: bench.files.keystoreFile,
    MASTER_KEY_FILE: bench.files.masterKeyFile,
    JOURNAL_PATH: "",
    ...journal,
    HOST: "127.0.0.1",
    PORT: String(port),
    AGENCY_RATE_LIMIT_PER_MINUTE: "10000000",
    QUEUE_LIMIT: String(queueLimit),
    BATCH_MAX_ITEMS: String(BATCH_MAX_ITEMS),
    BATCH_MAX_WAIT_MS: process.env.BATCH_MAX_WAIT_MS ?? "25",
    POLL_INTERVAL_MS: "50",
    LOG_LEVEL: "warn",
  });
  await child.waitFor(/relay listening on/, 60_000);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.child.pid!,
    process: child,
    async stop(signal = "SIGTERM") {
      if (child.child.exitCode !== null || child.child.signalCode !== null) return;
      killGroup(child, signal);
      await child.exited;
    },
  };
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line ? Number(line.split(" ").pop()) : 0;
}

/** Operations the relay has finished so far, by final status. */
export async function finished(url: string): Promise<{ confirmed: number; failed: number }> {
  const [confirmed, failed] = await Promise.all([
    metric(url, 'relay_operations_finished_total{status="confirmed"}'),
    metric(url, 'relay_operations_finished_total{status="failed"}'),
  ]);
  return { confirmed, failed };
}

/** Waits until `count` more operations than `before` have finished (confirmed or failed). */
export async function waitFinished(url: string, before: { confirmed: number; failed: number }, count: number, timeoutMs: number, tick?: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  for (let now = await finished(url); now.confirmed + now.failed - before.confirmed - before.failed < count; now = await finished(url)) {
    if (performance.now() - started > timeoutMs) throw new Error(`the relay did not finish ${count} operations within ${timeoutMs / 1000} s`);
    if (tick) await tick();
    // Each /metrics answer costs the relay a millisecond or two: as often as its lanes look for receipts (POLL_INTERVAL_MS), no more.
    await new Promise((r) => setTimeout(r, 50));
  }
}
