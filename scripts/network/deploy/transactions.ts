/**
 * Creating a contract exactly once: prepare the creation transaction with a fixed nonce (which fixes
 * the contract's address), sign it offline when the signer can, broadcast, and wait for its receipt by
 * polling (ethers' default 4 s polling would dominate a deployment on a fast chain).
 */
import { getCreateAddress, keccak256, type Provider, type Signer, type TransactionReceipt, type TransactionRequest } from "ethers";
import type { FeePolicy } from "../../../config/networks";
import { NetworkToolError } from "../errors";
import type { ProgressStep } from "./journal";

const POLL_MS = 200;

/** Estimated gas plus a margin: estimates on a busy node can fall short by a little. */
function withMargin(estimate: bigint): bigint {
  return (estimate * 12n) / 10n + 50_000n;
}

/** Fixes every field of a creation transaction, so it can be recorded and later sent again as the same transaction. */
export async function prepareCreation(signer: Signer, data: string, fees: FeePolicy): Promise<ProgressStep> {
  const provider = signer.provider!;
  const from = await signer.getAddress();
  const nonce = await provider.getTransactionCount(from, "pending");
  const gasLimit = withMargin(await provider.estimateGas({ from, data, ...(fees === "free" ? { gasPrice: 0n } : {}) }));
  const gasPrice = fees === "free" ? 0n : ((await provider.getFeeData()).gasPrice ?? 0n);
  const step: ProgressStep = { nonce, address: getCreateAddress({ from, nonce }), gasLimit: gasLimit.toString(), gasPrice: gasPrice.toString() };
  const raw = await signOffline(signer, creationRequest(step, data, (await provider.getNetwork()).chainId));
  return raw ? { ...step, raw, hash: keccak256(raw) } : step;
}

function creationRequest(step: ProgressStep, data: string, chainId: bigint): TransactionRequest {
  // Legacy type: the one every free-gas network accepts at price 0 (Besu's free gas guide sets gasPrice).
  return { type: 0, to: null, data, nonce: step.nonce, gasLimit: BigInt(step.gasLimit), gasPrice: BigInt(step.gasPrice ?? "0"), chainId, value: 0n };
}

/** Wallets sign offline; signers backed by a node (Hardhat's) cannot, and then send directly. */
async function signOffline(signer: Signer, request: TransactionRequest): Promise<string | undefined> {
  try {
    return await signer.signTransaction(request);
  } catch {
    return undefined;
  }
}

/** Broadcasts the recorded transaction; returns its hash. Sending it again when the node already has it is fine. */
export async function sendCreation(signer: Signer, step: ProgressStep, data: string): Promise<string> {
  const provider = signer.provider!;
  if (step.raw) {
    const hash = keccak256(step.raw);
    try {
      await provider.broadcastTransaction(step.raw);
    } catch (error) {
      // "already known" / "known transaction": the node has it; anything else is real.
      if ((await provider.getTransaction(hash)) === null) throw error;
    }
    return hash;
  }
  const response = await signer.sendTransaction(creationRequest(step, data, (await provider.getNetwork()).chainId));
  return response.hash;
}

/** Polls for a receipt; times out with a message that says the run can be resumed. */
export async function waitForReceipt(provider: Provider, hash: string, timeoutMs: number, what: string): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) return receipt;
    if (Date.now() > deadline) {
      throw new NetworkToolError(
        "TIMEOUT",
        `the ${what} transaction ${hash} was not mined within ${Math.round(timeoutMs / 1000)} s: check that the chain produces blocks and accepts zero-price transactions (npm run preflight), then run the deployment again to resume it`,
        { hash },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Finds the transaction that used `nonce` of `from`, for a step whose hash was lost (a signer that cannot
 * sign offline, interrupted between sending and recording). Binary search on the account's nonce by block.
 */
export async function findTransactionByNonce(provider: Provider, from: string, nonce: number): Promise<string | undefined> {
  let low = 0;
  let high = await provider.getBlockNumber();
  if ((await provider.getTransactionCount(from, high)) <= nonce) return undefined;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if ((await provider.getTransactionCount(from, mid)) > nonce) high = mid;
    else low = mid + 1;
  }
  const block = await provider.getBlock(low, true);
  const tx = block?.prefetchedTransactions.find((t) => t.from.toLowerCase() === from.toLowerCase() && t.nonce === nonce);
  return tx?.hash;
}
