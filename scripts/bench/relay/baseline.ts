/** Phase (a), the baseline: what a sender without a relay reaches, one single issuance per transaction. */
import { Interface, JsonRpcProvider, Wallet, type InterfaceAbi } from "ethers";
import type { Address } from "viem";
import { pointsLedgerAbi } from "../../../sdk/src/abi";
import { countIssued } from "./chain";
import { claimId, residents } from "./workload";

/** A send the node lost stalls every later nonce: after this long without progress, the next one is sent again. */
const STALL_MS = 5_000;

/**
 * (a) One signer, single issuances signed with ethers in nonce order and sent at once, never more
 * than `window` sent and not yet mined, until the last is mined. A send is answered when the
 * node has pooled it, not mined it, so the window follows the mined count: one loop reads the
 * signer's nonce at "latest" and the sender waits on it. An unbounded pool (thousands pending)
 * makes anvil slower with every block. Signing stays in the loop: a sender without a relay pays it.
 */
export async function baseline(rpcUrl: string, ledger: Address, privateKey: string, domainId: number, count: number, window: number): Promise<{ seconds: number; rebroadcasts: number; mined: number }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true });
  const wallet = new Wallet(privateKey, provider);
  const iface = new Interface(pointsLedgerAbi as InterfaceAbi);
  const { chainId } = await provider.getNetwork();
  const start0 = await provider.getTransactionCount(wallet.address, "latest");
  const fromBlock = BigInt(await provider.getBlockNumber()) + 1n;
  const holders = residents(count);
  const started = performance.now();
  let mined = 0;
  let failure: Error | undefined;
  let announce = () => {};
  let minedChanged = new Promise<void>((r) => (announce = r));
  // Sent bytes by nonce offset: a transaction the node lost (seen here once in a while at thousands
  // sent) stalls every later nonce, so after STALL_MS without progress the next one is sent again.
  const raws: string[] = [];
  let rebroadcasts = 0;
  const poller = (async () => {
    let lastProgress = performance.now();
    while (mined < count && !failure) {
      const now = (await provider.getTransactionCount(wallet.address, "latest")) - start0;
      if (now !== mined) {
        if (Math.floor(now / 5_000) > Math.floor(mined / 5_000)) {
          process.stdout.write(`    ${now} mined after ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        }
        mined = now;
        lastProgress = performance.now();
        announce();
        minedChanged = new Promise<void>((r) => (announce = r));
      } else if (performance.now() - lastProgress > STALL_MS && raws[mined]) {
        rebroadcasts++;
        lastProgress = performance.now();
        await provider.send("eth_sendRawTransaction", [raws[mined]]).catch(() => undefined);
      } else await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const raw = await wallet.signTransaction({
      type: 0,
      to: ledger,
      data: iface.encodeFunctionData("issue", [domainId, holders[i], 5, claimId(i)]),
      nonce: start0 + i,
      gasLimit: 200_000,
      gasPrice: 0,
      chainId,
    });
    while (i - mined >= window) {
      if (failure) throw failure;
      await minedChanged;
    }
    raws[i] = raw;
    sends.push(
      provider.send("eth_sendRawTransaction", [raw]).catch((error: Error) => {
        failure ??= new Error(`baseline send of nonce ${start0 + i} failed: ${error.message}`);
        announce();
      }),
    );
  }
  await Promise.all([poller, ...sends]);
  if (failure) throw failure;
  const seconds = (performance.now() - started) / 1000;
  provider.destroy();
  return { seconds, rebroadcasts, mined: await countIssued(rpcUrl, ledger, domainId, fromBlock) };
}

