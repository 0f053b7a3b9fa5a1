/**
 * Local anvil chains as child processes, on a free port chosen by anvil itself (port 0), for the
 * network tooling's tests. Each test stops what it starts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const ANVIL = join(__dirname, "..", "..", "..", "node_modules", ".bin", "anvil");

/** Set up like the city's target: Cancun, free gas, a block every second. */
export const TARGET_LIKE = ["--hardfork", "cancun", "--base-fee", "0", "--gas-price", "0", "--block-time", "1"];

export interface Anvil {
  url: string;
  stop(): Promise<void>;
}

export async function startAnvil(args: string[]): Promise<Anvil> {
  const child: ChildProcess = spawn(ANVIL, ["--host", "127.0.0.1", "--port", "0", "--accounts", "1", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`anvil did not start: ${out}`)), 15_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited (${code}): ${out}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
