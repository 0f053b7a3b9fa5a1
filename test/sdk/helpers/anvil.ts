/**
 * An anvil node as a child process on a free port, for tests that need a real JSON-RPC endpoint
 * over HTTP (the CLI, batches, state overrides, storage edits). Its accounts are unlocked, so no
 * key appears in the tests. Stops with the test; never outlives it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { JsonRpcProvider, type JsonRpcSigner } from "ethers";

const ANVIL = join(__dirname, "..", "..", "..", "node_modules", ".bin", "anvil");

export interface Anvil {
  url: string;
  provider: JsonRpcProvider;
  signer(index: number): Promise<JsonRpcSigner>;
  /**
   * Sends a transaction from an unlocked account and returns its receipt, polling every few
   * milliseconds (ethers' wait() polls far slower, and was seen to stall on large transactions).
   */
  transact(from: string, to: string, data: string): Promise<{ status: string; transactionHash: string; blockNumber: string }>;
  stop(): Promise<void>;
}

export async function startAnvil(extraArgs: string[] = []): Promise<Anvil> {
  const child: ChildProcess = spawn(ANVIL, ["--port", "0", "--host", "127.0.0.1", "--hardfork", "cancun", "--accounts", "12", ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`anvil did not start: ${output}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited with ${code}: ${output}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const provider = new JsonRpcProvider(url, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true, pollingInterval: 20 });
  return {
    url,
    provider,
    signer: (index) => provider.getSigner(index),
    async transact(from, to, data) {
      const hash = await provider.send("eth_sendTransaction", [{ from, to, data, gas: "0x17d7840" }]);
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
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
