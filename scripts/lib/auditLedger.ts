/**
 * The ledger of `npm run bench:audit` and `npm run bench:web`: on an unlocked anvil, the city
 * deployed, a 6,000-block empty stretch, then blocks of four 500-item batch issuances and six
 * residents' intents (exchanges and redemptions) each, until the target number of events, and
 * the first period closed and settled.
 */
import { ethers } from "ethers";
import type { Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { agreementIdOf } from "../../sdk/src/agreementId";
import type { Deployment } from "../../sdk/src/deployment";
import { intentTypes, ledgerDomain } from "../../sdk/src/eip712";
import { splitSignature } from "../../sdk/src/resident/sign";
import type { UnlockedChain } from "./anvil";
import { deployCityLedger } from "./deploy";
import { DEMO_AGENCIES } from "./demoAgencies";

/** The node's settings: room for four 16M-gas batches a block. */
export const AUDIT_LEDGER_ANVIL_ARGS = ["--hardfork", "cancun", "--gas-limit", "100000000"];
const BATCH = 500;
const HOLDERS = 40_000;
const BATCHES_PER_BLOCK = 4;
const INTENTS_PER_BLOCK = 6;
/** An empty stretch after the deployment, longer than Besu's 5,000-block page limit. */
const EMPTY_BLOCKS = 6_000;

/**
 * Deploys, mines a long empty stretch (so the audit pages across Besu's 5,000-block limit), then
 * fills blocks of four 500-item batch issuances and a few residents' intents each. Mining is on
 * demand: anvil recomputes its state root per block, so one block per transaction would make the
 * fill quadratic in the ledger's size.
 */
export async function fillAuditLedger(
  { provider, transact }: UnlockedChain,
  deploymentFile: string,
  options: { targetEvents: number; agencies?: string[] },
): Promise<Deployment> {
  const TARGET_EVENTS = options.targetEvents;
  const s = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.getSigner(i)));
  const addr = await Promise.all(s.map((x) => x.getAddress()));
  if (options.agencies) {
    // Agencies whose keys a relay holds: the node sends for them as for its own accounts.
    for (const [i, agency] of options.agencies.entries()) {
      await provider.send("anvil_impersonateAccount", [agency]);
      await provider.send("anvil_setBalance", [agency, "0x" + (10n ** 24n).toString(16)]);
      addr[i + 1] = ethers.getAddress(agency);
    }
  }
  const deployment = await deployCityLedger(
    s[0],
    {
      councilMembers: addr.slice(5, 8),
      councilThreshold: 2,
      pauser: addr[8],
      periodSeconds: 86_400,
      domains: DEMO_AGENCIES.map((name, i) => ({
        name,
        agency: addr[i + 1],
        pointValue: 10 * (i + 1),
        residentCap: 0n,
        transferable: name === "culture",
        issuers: [{ address: addr[i + 1], quota: 10n ** 15n }],
      })),
    },
    deploymentFile,
  );
  const iface = new ethers.Interface(pointsLedgerAbi as never);
  const call = (method: string, args: unknown[]) => iface.encodeFunctionData(method, args);
  const send = (from: string, method: string, args: unknown[]) => transact(from, deployment.ledger, call(method, args));

  // Residents who sign intents: fresh random keys, used only here.
  const signers = Array.from({ length: 50 }, () => ethers.Wallet.createRandom());
  const nonces = new Map<string, bigint>(signers.map((w) => [w.address, 0n]));
  const domain = ledgerDomain(31337, deployment.ledger);
  const types = (kind: keyof typeof intentTypes) => ({ [kind]: intentTypes[kind].map((f) => ({ ...f })) });
  await send(addr[1], "issueBatch", [1, signers.map((w, i) => ({ resident: w.address, amount: 100_000, claimId: 1_000_000 + i }))]);
  await send(addr[1], "proposeAgreement", [1, 2, 3, 7, 0, 0, 1_000_000]);
  await send(addr[2], "approveAgreement", [agreementIdOf(1, 2), 1]);
  await send(addr[1], "setPartner", [1, addr[9], true]);
  await provider.send("anvil_mine", ["0x" + EMPTY_BLOCKS.toString(16)]);

  await provider.send("evm_setAutomine", [false]);
  const nextClaim = [0, 0, 0, 0, 0];
  let events = 4 * 3 + 3 + 50 + 3 + 1; // deployment and set-up events, about
  let batch = 0;
  let block = 0;
  const started = Date.now();
  while (events < TARGET_EVENTS) {
    const hashes: string[] = [];
    // The block's gas limit must hold the sum of the transactions' gas limits.
    const submit = async (from: string, data: string, gas: number) =>
      hashes.push(await provider.send("eth_sendTransaction", [{ from, to: deployment.ledger, data, gas: "0x" + gas.toString(16) }]));
    for (let k = 0; k < BATCHES_PER_BLOCK && events < TARGET_EVENTS; k++, batch++) {
      const domainId = (batch % 4) + 1;
      const items = Array.from({ length: BATCH }, (_, i) => {
        const j = batch * BATCH + i;
        return { resident: ethers.getAddress(ethers.toBeHex(0x100000 + (j % HOLDERS), 20)), amount: 1 + (j % 97), claimId: nextClaim[domainId]++ };
      });
      await submit(addr[domainId], call("issueBatch", [domainId, items]), 16_000_000);
      events += BATCH;
    }
    // A few residents' intents in each block: exchanges and redemptions, submitted by a relayer.
    for (let k = 0; k < INTENTS_PER_BLOCK; k++) {
      const w = signers[(block * INTENTS_PER_BLOCK + k) % signers.length];
      const nonce = nonces.get(w.address)!;
      nonces.set(w.address, nonce + 1n);
      if (k % 3 !== 2) {
        const intent = { resident: w.address, fromDomain: 1, toDomain: 2, amountIn: 10n, minAmountOut: 0n, nonce, deadline: 1n << 40n };
        const { v, r, s } = splitSignature((await w.signTypedData(domain, types("ExchangeIntent"), intent)) as Hex);
        await submit(addr[9], call("exchange", [intent, v, r, s]), 300_000);
      } else {
        const intent = { resident: w.address, domainId: 1, amount: 5n, partner: addr[9], orderRef: ethers.id(`order-${block}-${k}`), nonce, deadline: 1n << 40n };
        const { v, r, s } = splitSignature((await w.signTypedData(domain, types("RedeemIntent"), intent)) as Hex);
        await submit(addr[9], call("redeem", [intent, v, r, s]), 300_000);
      }
      events++;
    }
    await provider.send("evm_mine", []);
    for (const hash of hashes) {
      const receipt = await provider.send("eth_getTransactionReceipt", [hash]);
      if (receipt?.status !== "0x1") throw new Error(`benchmark transaction ${hash} ${receipt ? "failed" : "was not mined"}`);
    }
    block++;
    if (block % 10 === 0) console.log(`  ${events} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  await provider.send("evm_setAutomine", [true]);
  // Close the first period: settlement events are part of the ledger too.
  await provider.send("evm_increaseTime", [86_400]);
  await provider.send("evm_mine", []);
  await send(addr[0], "closePeriod", [0]);
  await send(addr[1], "confirmSettlement", [0, 1, ethers.id("payment-0")]);
  await send(addr[2], "confirmSettlement", [0, 2, ethers.id("payment-0")]);
  return deployment;
}
