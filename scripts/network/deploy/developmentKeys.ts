/**
 * The well-known development accounts: the first 20 accounts (m/44'/60'/0'/0/0..19) of the
 * mnemonic Hardhat and anvil fund by default ("test test ... junk"). Their private keys are
 * public, so a deployment on a real network that uses one, as the deployer or as any planned
 * council member, pauser, agency or issuer, hands that role to anyone. Only a local development
 * chain may use them.
 */
import { HDNodeWallet, Mnemonic } from "ethers";
import { NetworkToolError } from "../errors";
import type { DeploymentPlan } from "../../lib/deploy";

const DEVELOPMENT_MNEMONIC = "test test test test test test test test test test test junk";
const DEVELOPMENT_ACCOUNTS = 20;
/** Hardhat's and anvil's chain id (31337), and the one Ganache and some tools use (1337). */
export const DEVELOPMENT_CHAIN_IDS: readonly number[] = [31337, 1337];

let cached: Set<string> | undefined;

/** The development accounts' addresses, lower case (derived once: the seed takes ~0.1 s). */
export function developmentAddresses(): Set<string> {
  if (!cached) {
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEVELOPMENT_MNEMONIC), "m/44'/60'/0'/0");
    cached = new Set(Array.from({ length: DEVELOPMENT_ACCOUNTS }, (_, i) => root.deriveChild(i).address.toLowerCase()));
  }
  return cached;
}

/** Every address the deployment would give a role or send from, with what it is for. */
function plannedAddresses(plan: DeploymentPlan, deployer: string): { role: string; address: string }[] {
  return [
    { role: "deployer", address: deployer },
    ...plan.councilMembers.map((address, i) => ({ role: `council member ${i + 1}`, address })),
    { role: "pauser", address: plan.pauser },
    ...plan.domains.flatMap((d) => [
      { role: `${d.name} agency`, address: d.agency },
      ...d.issuers.map((x) => ({ role: `${d.name} issuer`, address: x.address })),
    ]),
  ];
}

/** Refuses a development account anywhere in the deployment unless the chain is a local development one. */
export function refuseDevelopmentKeys(chainId: number, plan: DeploymentPlan, deployer: string): void {
  if (DEVELOPMENT_CHAIN_IDS.includes(chainId)) return;
  const known = developmentAddresses();
  const found = plannedAddresses(plan, deployer).filter((x) => known.has(x.address.toLowerCase()));
  if (found.length === 0) return;
  throw new NetworkToolError(
    "DEVELOPMENT_KEY",
    `refusing to deploy on chain ${chainId}: ${found.map((x) => `the ${x.role} ${x.address}`).join(", ")} ${found.length === 1 ? "is a" : "are"} well-known development account${found.length === 1 ? "" : "s"} (Hardhat's and anvil's default mnemonic), whose private key anyone has. Use keys of your own; development accounts are allowed only on chains ${DEVELOPMENT_CHAIN_IDS.join(" and ")}.`,
    { chainId, accounts: found },
  );
}
