/** The local chain each phase runs on: started and deployed as `npm start` does, read through plain JSON-RPC. */
import { mkdirSync, readFileSync } from "node:fs";
import { createPublicClient, getAbiItem, http, type Address } from "viem";
import { pointsLedgerAbi } from "../../../sdk/src/abi";
import { open } from "../../../server/auth/secretBox";
import type { KeystoreFile } from "../../../server/keystore";
import { CITY_CHAIN, startAnvil, type LocalChain } from "../../lib/anvil";
import { freePort } from "../../lib/processes";
import { deployDemo, prepareDemoKeys, type DemoFiles } from "../../start";
import type { Deployment } from "../../../sdk/src/deployment";

/** No historical states kept: tens of thousands of blocks would otherwise slow anvil down further as it grows. */
export const ANVIL_ARGS = ["--gas-limit", "60000000", "--prune-history", "256"];
const ISSUED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsIssued" });

/** The environment agency (domain 4) signs the phases that send straight to the node. */
export const DIRECT_DOMAIN = 4;

export interface BenchChain {
  chain: LocalChain;
  files: DemoFiles;
  deployment: Deployment;
  deploymentPath: string;
  /** The private key of the environment agency, for phases that send straight to the node. */
  directKey: `0x${string}`;
}

/** A fresh anvil with the city deployed (anvil slows down as it grows, so each phase gets a young chain). */
export async function startBenchChain(dir: string): Promise<BenchChain> {
  mkdirSync(dir, { recursive: true });
  const chain = await startAnvil({ port: await freePort(), args: [...CITY_CHAIN, ...ANVIL_ARGS] });
  try {
    const files = prepareDemoKeys(dir, "http://127.0.0.1");
    const { deployment, path: deploymentPath } = await deployDemo(chain.url, files, 86_400);
    const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
    const keystore = JSON.parse(readFileSync(files.keystoreFile, "utf8")) as KeystoreFile;
    const directKey = open(master, keystore.agencies[DIRECT_DOMAIN - 1].privateKey) as `0x${string}`;
    return { chain, files, deployment, deploymentPath, directKey };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** Runs a phase on a chain of its own, stopped afterwards. */
export async function withFreshChain<T>(dir: string, phase: (bench: BenchChain) => Promise<T>): Promise<T> {
  const bench = await startBenchChain(dir);
  try {
    return await phase(bench);
  } finally {
    await bench.chain.stop();
  }
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export async function blockNumber(url: string): Promise<bigint> {
  return BigInt((await rpc(url, "eth_blockNumber")) as string);
}

/** PointsIssued events of a domain since a block, in pages that shrink when a response is too large. */
export async function countIssued(rpcUrl: string, ledger: Address, domainId: number, fromBlock: bigint): Promise<number> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const latest = await client.getBlockNumber();
  let count = 0;
  let span = 2_000n;
  for (let from = fromBlock; from <= latest; ) {
    const to = from + span - 1n < latest ? from + span - 1n : latest;
    try {
      count += (await client.getLogs({ address: ledger, event: ISSUED, args: { domainId }, fromBlock: from, toBlock: to })).length;
      from = to + 1n;
    } catch (error) {
      if (span === 1n || !/exceeded the size limit/.test((error as Error).message)) throw error;
      span /= 4n;
      if (span < 1n) span = 1n;
    }
  }
  return count;
}
