/**
 * Child processes, for the benchmarks and the end-to-end tests alike: free ports, spawning ts-node
 * scripts or commands in their own process group, waiting for their output, signalling the group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";

/** The repository's root, where scripts are resolved and children run. */
export const ROOT = join(__dirname, "..", "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether nothing listens on 127.0.0.1:port (it could be bound a moment ago). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A free port drawn at random from 20000-60999, for a listener that nobody else is to find by
 * guessing a well-known number (npm start's chain): freePort's answer comes from the operating
 * system's ephemeral range, in an order others can predict.
 */
export async function randomFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(20_000, 61_000);
    if (await portFree(port)) return port;
  }
  return freePort();
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Runs a TypeScript entry point with ts-node (transpile only) in its own process group. */
export function spawnTs(script: string, env: Record<string, string>, nodeArgs: string[] = []): Spawned {
  return spawnProcess(process.execPath, [...nodeArgs, "-r", "ts-node/register/transpile-only", join(ROOT, script)], env);
}

/** Runs a command in its own process group, collecting its output. */
export function spawnProcess(command: string, args: string[], env: Record<string, string>): Spawned {
  const script = args[args.length - 1];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const l of listeners) l();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`${script} exited before printing ${pattern}:\n${out.slice(-3000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${script} did not print ${pattern} within ${timeoutMs} ms:\n${out.slice(-3000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Signals the whole process group (the script and anything it spawned). */
export function killGroup(spawned: Spawned, signal: NodeJS.Signals): void {
  try {
    process.kill(-spawned.child.pid!, signal);
  } catch {
    // already gone
  }
}
