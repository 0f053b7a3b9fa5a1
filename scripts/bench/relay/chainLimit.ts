/**
 * Phase (e), the chain's own limit here: `issueBatch` transactions of the relay's batch size, signed
 * beforehand and sent straight to the node (no HTTP, no journal) one after the other without
 * waiting for receipts, until the last is mined. No relay can issue faster than this on this chain and machine.
 */
import { encodeFunctionData, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { pointsLedgerAbi } from "../../../sdk/src/abi";
import { batchGasLimit } from "../../../server/chain/calls";
import { countIssued, rpc } from "./chain";
import { claimId, residents } from "./workload";

export async function chainLimit(rpcUrl: string, ledger: Address, privateKey: Hex, domainId: number, count: number, batchSize: number): Promise<{ issuesPerSec: number; transactions: number }> {
  const account = privateKeyToAccount(privateKey);
  const chainId = Number(await rpc(rpcUrl, "eth_chainId"));
  const nonce0 = Number(await rpc(rpcUrl, "eth_getTransactionCount", [account.address, "latest"]));
  const fromBlock = BigInt((await rpc(rpcUrl, "eth_blockNumber")) as string) + 1n;
  const holders = residents(count);
  const raws: Hex[] = [];
  for (let first = 0; first < count; first += batchSize) {
    const items = holders.slice(first, first + batchSize).map((resident, k) => ({ resident, amount: 5n, claimId: claimId(first + k) }));
    raws.push(
      await account.signTransaction({
        type: "legacy",
        to: ledger,
        data: encodeFunctionData({ abi: pointsLedgerAbi, functionName: "issueBatch", args: [domainId, items] }),
        nonce: nonce0 + raws.length,
        gas: batchGasLimit(items.length),
        gasPrice: 0n,
        chainId,
      }),
    );
  }
  const started = performance.now();
  // In nonce order, none waiting for its receipt: sent at once, out of order, anvil left some of
  // them in its pool for good (automine mines a block per arriving transaction, not per one made ready).
  for (const raw of raws) await rpc(rpcUrl, "eth_sendRawTransaction", [raw]);
  while (Number(await rpc(rpcUrl, "eth_getTransactionCount", [account.address, "latest"])) < nonce0 + raws.length) {
    if (performance.now() - started > 300_000) throw new Error("the chain-limit transactions were not mined within 5 minutes");
    await new Promise((r) => setTimeout(r, 2));
  }
  const seconds = (performance.now() - started) / 1000;
  const mined = await countIssued(rpcUrl, ledger, domainId, fromBlock);
  if (mined !== count) throw new Error(`chain limit: ${mined} of ${count} issuances on chain`);
  return { issuesPerSec: count / seconds, transactions: raws.length };
}
