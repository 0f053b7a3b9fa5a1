/**
 * `npm run preflight -- --rpc URL [--deployer-key-file F]` (or `--network NAME`): checks a chain before
 * the city deploys to it and prints a pass/fail table (a warning does not stop a deployment); exits
 * non-zero if any check fails.
 */
import { Command } from "commander";
import { networks } from "../config/networks";
import { NetworkToolError } from "./network/errors";
import { findDeployerKey } from "./network/keys";
import { runPreflight } from "./preflight/checks";
import { formatTable } from "./preflight/table";

interface Options {
  rpc?: string;
  network?: string;
  chainId?: string;
  deployerKeyFile?: string;
  blockTimeout: string;
  txTimeout: string;
}

async function main(argv: string[]): Promise<number> {
  const options = new Command("preflight")
    .description("Check a chain before deploying the city points ledger to it")
    .option("--rpc <url>", "JSON-RPC endpoint of a node of the chain")
    .option("--network <name>", `a configured network (${Object.keys(networks).join(", ")}): its endpoint, chain id and deployer key`)
    .option("--chain-id <id>", "the chain id the network must have")
    .option("--deployer-key-file <file>", "the deployer's key: enables the zero-price transaction and deploys the probes")
    .option("--block-timeout <seconds>", "how long to wait for a new block", "15")
    .option("--tx-timeout <seconds>", "how long to wait for a transaction to be mined", "30")
    .parse(argv)
    .opts<Options>();

  const profile = options.network === undefined ? undefined : networks[options.network];
  if (options.network !== undefined && !profile) {
    throw new NetworkToolError("INVALID_ARGUMENT", `unknown network "${options.network}": configured are ${Object.keys(networks).join(", ")}`);
  }
  const url = options.rpc ?? profile?.rpcUrl;
  if (!url) throw new NetworkToolError("INVALID_ARGUMENT", "give the chain to check: --rpc URL or --network NAME");
  const expectedChainId = options.chainId !== undefined ? Number(options.chainId) : profile?.chainId;
  if (expectedChainId !== undefined && !Number.isSafeInteger(expectedChainId)) throw new NetworkToolError("INVALID_ARGUMENT", `--chain-id ${options.chainId} is not a number`);
  const seconds = (value: string, flag: string) => {
    const n = Number(value);
    if (!(n > 0)) throw new NetworkToolError("INVALID_ARGUMENT", `${flag} must be a positive number of seconds`);
    return n * 1000;
  };
  const deployer = findDeployerKey({
    file: options.deployerKeyFile,
    fileEnv: profile?.deployerKeyFileEnv ?? "DEPLOYER_KEY_FILE",
    keyEnv: profile?.deployerKeyEnv ?? "DEPLOYER_PRIVATE_KEY",
    warn: (line) => console.error(line),
  });

  console.log(`preflight of ${url}${deployer ? `, deployer ${deployer.address}` : ""}\n`);
  const results = await runPreflight({
    url,
    expectedChainId,
    deployer,
    blockTimeoutMs: seconds(options.blockTimeout, "--block-timeout"),
    txTimeoutMs: seconds(options.txTimeout, "--tx-timeout"),
  });
  console.log(formatTable(results));
  const failed = results.filter((r) => r.status === "fail");
  const warned = results.filter((r) => r.status === "warn");
  const caveat = warned.length === 0 ? "" : ` (read the ${warned.length} warning(s) above)`;
  console.log(failed.length === 0 ? `\nready to deploy${caveat}` : `\n${failed.length} check(s) failed: fix them before deploying`);
  return failed.length === 0 ? 0 : 1;
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const e = error as Error & { code?: string };
    console.error(`preflight failed${e.name === "NetworkToolError" ? ` (${e.code})` : ""}: ${e.message}`);
    process.exit(1);
  },
);
