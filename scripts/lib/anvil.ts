/**
 * Local anvil chains as child processes: `npm start`'s chain, whose state survives restarts, the
 * benchmarks' chains and the tests' chains, all started, awaited and stopped here. Each chain runs
 * in its own process group, so stopping it reaches the anvil binary behind the npm launcher.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, type JsonRpcSigner } from "ethers";

const ANVIL = join(__dirname, "..", "..", "node_modules", ".bin", "anvil");
const START_TIMEOUT_MS = 20_000;

/**
 * The city chain's settings, as the Besu network has them: the Osaka hardfork (the P256VERIFY
 * precompile passkey accounts use, and the cap of 16,777,216 gas per transaction of EIP-7825, which
 * anvil enforces only when told) and free gas. The contracts target Cancun, which Osaka includes.
 */
export const CITY_CHAIN = ["--hardfork", "osaka", "--enable-tx-gas-limit", "--block-base-fee-per-gas", "0", "--gas-price", "0"];
/** A chain without the P256VERIFY precompile (Cancun), where passkey signatures verify in Solidity. */
export const CANCUN_CHAIN = ["--hardfork", "cancun", "--block-base-fee-per-gas", "0", "--gas-price", "0"];
/** As CITY_CHAIN, with a block every second (as a QBFT network makes them) instead of one per transaction. */
export const CITY_CHAIN_TIMED = [...CITY_CHAIN, "--block-time", "1"];

export interface AnvilOptions {
  /** The port on 127.0.0.1; 0 (the default) lets anvil take a free one, read from what it prints. */
  port?: number;
  /**
   * Keeps the chain's state across restarts: `state.json` (written every second and on exit),
   * `anvil.log` and `anvil.pid` in this folder. An anvil a killed run left behind is stopped first.
   * Needs a fixed port.
   */
  stateDir?: string;
  /** Development accounts, funded and unlocked (anvil makes 10 unless told). */
  accounts?: number;
  /** Anything else anvil takes: the hardfork, fees, block time, gas limit (CITY_CHAIN, ...). */
  args?: string[];
  /**
   * Answer web pages (CORS), which anvil does unless told `--no-cors`. Only for a test whose page
   * talks to the node itself; everything else keeps the chain closed to pages (docs/relay.md).
   */
  corsForTestPages?: boolean;
}

export interface LocalChain {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An anvil left running by a killed `npm start` would hold the port and the state file: stop it. */
async function stopStaleAnvil(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  if (!pid || !alive(pid)) return;
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return;
  }
  if (!cmdline.includes("anvil")) return;
  try {
    process.kill(-pid, "SIGTERM"); // its own process group: the launcher and the anvil binary
  } catch {
    process.kill(pid, "SIGTERM");
  }
  for (let i = 0; i < 50 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/** The URL anvil prints once it listens (on the port it chose). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`anvil did not start within ${START_TIMEOUT_MS / 1000} s: ${out}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited at start (code ${code}): ${out}`));
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      // From here on its output (a line per transaction) is drained, not kept.
      child.stdout!.off("data", onData);
      child.stderr!.off("data", onData);
      child.off("exit", onExit);
      resolve(`http://${match[1]}`);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Waits until the node at `url` answers eth_chainId. */
async function answering(url: string, child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited at start (code ${child.exitCode}); is port ${port} taken?`);
    try {
      const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`anvil did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts anvil and resolves once it answers. The caller stops it (`stop()` sends SIGTERM, on which
 * anvil writes its state, and SIGKILL after 10 s).
 * @example
 * const chain = await startAnvil({ args: CITY_CHAIN }); // a free port
 * const kept = await startAnvil({ port: 8545, stateDir: ".data/chain", args: CITY_CHAIN });
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<LocalChain> {
  const port = options.port ?? 0;
  if (options.stateDir && port === 0) throw new Error("a chain that keeps its state needs a fixed port");
  // Only this machine, and no CORS: a web page at another origin cannot send anvil JSON (its
  // preflight is refused, and anvil answers a body sent as text/plain with "Invalid request").
  // Pages read the chain through the relay's /rpc gateway.
  const args = ["--host", "127.0.0.1", "--port", String(port), ...(options.corsForTestPages ? [] : ["--no-cors"])];
  if (options.accounts !== undefined) args.push("--accounts", String(options.accounts));
  // A free port is read from anvil's output; a fixed one is polled, and anvil stays quiet.
  let output: number | "ignore" | "pipe" = port === 0 ? "pipe" : "ignore";
  if (port !== 0) args.push("--quiet");
  if (options.stateDir) {
    mkdirSync(options.stateDir, { recursive: true });
    await stopStaleAnvil(join(options.stateDir, "anvil.pid"));
    args.push("--state", join(options.stateDir, "state.json"), "--state-interval", "1");
    output = openSync(join(options.stateDir, "anvil.log"), "a");
  }
  args.push(...(options.args ?? []));
  const child = spawn(ANVIL, args, { stdio: ["ignore", output, output], detached: true });
  if (options.stateDir && child.pid) writeFileSync(join(options.stateDir, "anvil.pid"), String(child.pid));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let url: string;
  try {
    url = port === 0 ? await listeningUrl(child) : `http://127.0.0.1:${port}`;
    await answering(url, child, port);
  } catch (error) {
    signalGroup(child, "SIGKILL");
    throw error;
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, "SIGTERM"); // anvil writes its state on the way out
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface UnlockedChain extends LocalChain {
  provider: JsonRpcProvider;
  /** The development account `index`, unlocked: no key appears in the caller. */
  signer(index: number): Promise<JsonRpcSigner>;
  /**
   * Sends a transaction from an unlocked account and returns its receipt, polling every few
   * milliseconds (ethers' wait() polls far slower, and was seen to stall on large transactions).
   */
  transact(from: string, to: string, data: string): Promise<{ status: string; transactionHash: string; blockNumber: string }>;
}

/** startAnvil, with an ethers provider and helpers for sending from the unlocked development accounts. */
export async function startUnlockedAnvil(options: AnvilOptions = {}): Promise<UnlockedChain> {
  const chain = await startAnvil(options);
  const provider = new JsonRpcProvider(chain.url, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true, pollingInterval: 20 });
  return {
    ...chain,
    provider,
    signer: (index) => provider.getSigner(index),
    async transact(from, to, data) {
      // At most Osaka's per-transaction cap (EIP-7825, 16,777,216 gas), which CITY_CHAIN enforces.
      const hash = await provider.send("eth_sendTransaction", [{ from, to, data, gas: "0x1000000" }]);
      const deadline = Date.now() + 60_000;
      let receipt = await provider.send("eth_getTransactionReceipt", [hash]);
      while (!receipt && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        receipt = await provider.send("eth_getTransactionReceipt", [hash]);
      }
      if (receipt?.status !== "0x1") throw new Error(`transaction ${hash} ${receipt ? "failed" : "was not mined"}`);
      return receipt;
    },
    async stop() {
      provider.destroy();
      await chain.stop();
    },
  };
}
