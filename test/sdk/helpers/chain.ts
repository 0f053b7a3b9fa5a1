/**
 * The in-process Hardhat chain as the SDK sees it: a viem transport over Hardhat's provider, and
 * the deployment record of a `deployLedger()` fixture, as the deploy script would write it.
 */
import { ethers, network } from "hardhat";
import { custom, type Transport } from "viem";
import { DEMO_AGENCIES } from "../../../scripts/lib/demoAgencies";
import { DEPLOYMENT_FORMAT, parseDeployment, type Deployment } from "../../../sdk/src/deployment";
import type { LedgerSetup } from "../../helpers/deploy";

export function hardhatTransport(): Transport {
  return custom(network.provider as never);
}

export async function deploymentOf(setup: LedgerSetup): Promise<Deployment> {
  const { ledger, council, passkeys } = setup;
  const tx = ledger.deploymentTransaction();
  const receipt = tx ? await tx.wait() : null;
  const deployBlock = receipt ? receipt.blockNumber : 0;
  const block = await ethers.provider.getBlock(deployBlock);
  const { chainId } = await ethers.provider.getNetwork();
  const councilTx = council.deploymentTransaction();
  return parseDeployment({
    format: DEPLOYMENT_FORMAT,
    chainId: Number(chainId),
    ledger: await ledger.getAddress(),
    council: await council.getAddress(),
    passkeyAccounts: await passkeys.getAddress(),
    recoveryDelaySeconds: Number(await passkeys.RECOVERY_DELAY()),
    deployBlock,
    genesisTime: Number(await ledger.GENESIS_TIME()),
    periodSeconds: Number(await ledger.PERIOD_SECONDS()),
    pauser: await setup.pauser.getAddress(),
    councilMembers: await Promise.all(setup.members.map((m) => m.getAddress())),
    councilThreshold: 2,
    domains: await Promise.all(
      setup.agencies.map(async (a, i) => ({ id: i + 1, name: DEMO_AGENCIES[i], agency: await a.getAddress(), issuers: [await a.getAddress()] })),
    ),
    transactions: {
      council: councilTx?.hash ?? ethers.ZeroHash,
      passkeyAccounts: passkeys.deploymentTransaction()?.hash ?? ethers.ZeroHash,
      ledger: tx?.hash ?? ethers.ZeroHash,
    },
    deployedAt: new Date(Number(block?.timestamp ?? 0) * 1000).toISOString(),
  });
}

/** Moves the chain's clock into the next period. */
export async function nextPeriod(periodSeconds: number): Promise<void> {
  await ethers.provider.send("evm_increaseTime", [periodSeconds]);
  await ethers.provider.send("evm_mine", []);
}
