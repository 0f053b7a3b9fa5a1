/**
 * The checks a chain must pass before the city deploys to it. Each says what it found and, when it
 * fails, what to change: on a Besu network that is nearly always a genesis item or a node option.
 */
import { JsonRpcProvider, type Wallet } from "ethers";
import { MIN_QBFT_VALIDATORS } from "../network/qbft";
import { METHOD_NOT_FOUND, providerFor, rpcCall, RpcError } from "../network/rpc";
import { waitForReceipt } from "../network/deploy/transactions";
import { largestContract } from "./artifacts";
import { P256VERIFY_GAS, probeP256 } from "./p256";
import { creationCodeFor, creationGasFor, MCOPY_RUNTIME, PROBE_WORD, PUSH0_RUNTIME, sizedCreationCode } from "./probes";

/** "warn": works, at a cost the operator should know of; only "fail" stops a deployment. */
export type Status = "pass" | "fail" | "warn" | "skip";

export interface CheckResult {
  check: string;
  status: Status;
  detail: string;
}

export interface PreflightOptions {
  url: string;
  /** The chain id the network is meant to have (from --chain-id or --network). */
  expectedChainId?: number;
  /** Signs the zero-price transaction and the probe deployments; without it those fall back to eth_call or are skipped. */
  deployer?: Wallet;
  blockTimeoutMs: number;
  txTimeoutMs: number;
}

const message = (e: unknown) => (e as { shortMessage?: string }).shortMessage ?? (e as Error).message;

/** eth_call straight to the node, so a failure carries the node's own words (ethers reduces them to "missing revert data"). */
function ethCall(url: string, call: { to?: string; data?: string; gas?: bigint }): Promise<string> {
  const gas = call.gas === undefined ? {} : { gas: "0x" + call.gas.toString(16) };
  return rpcCall<string>(url, "eth_call", [{ to: call.to, data: call.data, ...gas }, "latest"], 15_000);
}

export async function runPreflight(options: PreflightOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (check: string, status: Status, detail: string) => results.push({ check, status, detail });
  const { url } = options;

  let chainId: number;
  try {
    chainId = Number(BigInt(await rpcCall<string>(url, "eth_chainId")));
    const client = await rpcCall<string>(url, "web3_clientVersion").catch(() => "client unknown");
    add("reachable", "pass", `${url} (${client})`);
  } catch (error) {
    add("reachable", "fail", `${message(error)}: is the node up, with rpc-http-enabled, an rpc-http-host this machine can reach, and this host in host-allowlist?`);
    return results;
  }

  if (options.expectedChainId === undefined) add("chain id", "pass", `${chainId} (no expected id given)`);
  else if (options.expectedChainId === chainId) add("chain id", "pass", String(chainId));
  else add("chain id", "fail", `${chainId}, expected ${options.expectedChainId}: wrong endpoint, or a genesis with another chainId`);

  const provider = providerFor(url, chainId);
  try {
    add(...(await checkBlockProduction(provider, options.blockTimeoutMs)));
    const signer = options.deployer?.connect(provider);
    if (signer) add(...(await checkZeroPriceTransaction(provider, signer, options.txTimeoutMs)));
    else add("zero-price transaction", "skip", "no deployer key given (--deployer-key-file)");

    const push0 = await checkOpcode(url, provider, signer, PUSH0_RUNTIME, options.txTimeoutMs);
    add("PUSH0 (Shanghai)", push0.ok ? "pass" : "fail", push0.ok ? push0.detail : `${push0.detail}: the chain runs a fork before Shanghai; set shanghaiTime (e.g. 0) in the genesis config, as well as cancunTime`);
    const mcopy = await checkOpcode(url, provider, signer, MCOPY_RUNTIME, options.txTimeoutMs);
    add("MCOPY (Cancun)", mcopy.ok ? "pass" : "fail", mcopy.ok ? mcopy.detail : `${mcopy.detail}: the chain runs a fork before Cancun; set cancunTime (e.g. 0) in the genesis config (OpenZeppelin 5.5+ code needs MCOPY)`);

    add(...(await checkContractSize(url)));
    add(...(await checkP256(url)));
    add(...(await checkQbftValidators(url)));
  } finally {
    provider.destroy();
  }
  return results;
}

async function checkBlockProduction(provider: JsonRpcProvider, timeoutMs: number): Promise<[string, Status, string]> {
  const check = "block production";
  const start = await provider.getBlockNumber();
  const began = Date.now();
  while (Date.now() - began < timeoutMs) {
    await new Promise((r) => setTimeout(r, 250));
    const head = await provider.getBlockNumber();
    if (head > start) return [check, "pass", `block ${head} after ${((Date.now() - began) / 1000).toFixed(1)} s`];
  }
  return [check, "fail", `no new block after block ${start} in ${timeoutMs / 1000} s: are more than 2/3 of the QBFT validators running and peered (admin_peers)?`];
}

async function checkZeroPriceTransaction(provider: JsonRpcProvider, signer: Wallet, timeoutMs: number): Promise<[string, Status, string]> {
  const check = "zero-price transaction";
  try {
    const tx = await signer.sendTransaction({ to: signer.address, value: 0n, gasPrice: 0n, gasLimit: 21_000n, type: 0 });
    const receipt = await waitForReceipt(provider, tx.hash, timeoutMs, "zero-price test");
    return [check, receipt.status === 1 ? "pass" : "fail", `from the deployer ${signer.address}, mined in block ${receipt.blockNumber}`];
  } catch (error) {
    return [
      check,
      "fail",
      `the chain refused a zero-price transaction from the deployer ${signer.address} (${message(error)}): set zeroBaseFee: true in the genesis config and --min-gas-price=0 on every node, and put the deployer on the accounts allowlist`,
    ];
  }
}

/** Deploys and calls the probe when a deployer is given; otherwise runs it as creation code in eth_call. */
async function checkOpcode(url: string, provider: JsonRpcProvider, signer: Wallet | undefined, runtime: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  try {
    let output: string;
    let how: string;
    if (signer) {
      const tx = await signer.sendTransaction({ data: creationCodeFor(runtime), gasPrice: 0n, gasLimit: 200_000n, type: 0 });
      const receipt = await waitForReceipt(provider, tx.hash, timeoutMs, "probe deployment");
      if (receipt.status !== 1 || !receipt.contractAddress) return { ok: false, detail: "the probe could not be deployed" };
      output = await ethCall(url, { to: receipt.contractAddress });
      how = `probe deployed at ${receipt.contractAddress} and called`;
    } else {
      output = await ethCall(url, { data: runtime });
      how = "probe run through eth_call";
    }
    const ok = output !== "0x" && BigInt(output) === PROBE_WORD;
    return { ok, detail: ok ? how : `${how}: unexpected output ${output}` };
  } catch (error) {
    return { ok: false, detail: `the probe failed (${message(error)})` };
  }
}

async function checkContractSize(url: string): Promise<[string, Status, string]> {
  const check = "contract size limit";
  const largest = largestContract();
  const size = largest.runtimeBytes;
  try {
    const code = await ethCall(url, { data: sizedCreationCode(size), gas: creationGasFor(size) });
    if ((code.length - 2) / 2 === size) return [check, "pass", `a ${size}-byte contract can be created (our largest, ${largest.name}, is ${size} bytes)`];
    return [check, "fail", `creating a ${size}-byte contract returned ${(code.length - 2) / 2} bytes`];
  } catch (error) {
    return [
      check,
      "fail",
      `the chain refuses a ${size}-byte contract, the size of ${largest.name} (${message(error)}): set contractSizeLimit to at least ${size} in the genesis config and a block gasLimit above ${creationGasFor(size)}`,
    ];
  }
}

async function checkP256(url: string): Promise<[string, Status, string]> {
  const check = "P256VERIFY (Osaka)";
  try {
    const { precompile, fallbackGas } = await probeP256(url);
    const fallback = fallbackGas === undefined ? "the Solidity fallback could not be measured" : `the Solidity fallback costs about ${fallbackGas.toLocaleString("en-US")} gas per signature`;
    if (precompile) return [check, "pass", `the precompile at 0x100 verifies passkey signatures (${P256VERIFY_GAS.toLocaleString("en-US")} gas; without it ${fallback})`];
    return [
      check,
      "warn",
      `no P256VERIFY precompile at 0x100: passkey accounts still work, but ${fallback}; activate the Osaka milestone (osakaTime in the genesis config, Besu 25.7.0 or later) for the precompile (${P256VERIFY_GAS.toLocaleString("en-US")} gas)`,
    ];
  } catch (error) {
    return [check, "fail", `the probe of 0x100 failed (${message(error)})`];
  }
}

async function checkQbftValidators(url: string): Promise<[string, Status, string]> {
  const check = "QBFT validators";
  try {
    const validators = await rpcCall<string[]>(url, "qbft_getValidatorsByBlockNumber", ["latest"]);
    if (validators.length >= MIN_QBFT_VALIDATORS) return [check, "pass", `${validators.length} validators`];
    return [check, "fail", `${validators.length} validator(s): QBFT needs at least ${MIN_QBFT_VALIDATORS} to tolerate one faulty validator; add validators with qbft_proposeValidatorVote`];
  } catch (error) {
    if (error instanceof RpcError && error.code === METHOD_NOT_FOUND) {
      return [check, "skip", "the node does not answer qbft_getValidatorsByBlockNumber (not QBFT, or QBFT missing from rpc-http-api)"];
    }
    return [check, "fail", `qbft_getValidatorsByBlockNumber failed: ${message(error)}`];
  }
}
