/** A ledger and its council deployed on the in-process Hardhat network with the demo domains: shared by the contract tests and `bench:gas`. */
import { ethers } from "hardhat";
import type { ContractTransactionResponse, Interface, Signer } from "ethers";
import { DEMO_AGENCIES, DEMO_DOMAIN } from "./demoAgencies";
import type { CityCouncil, PointsLedger } from "../../typechain-types";

export const DAY = 86_400;
export const DOMAIN = DEMO_DOMAIN;
export const DOMAIN_NAMES = DEMO_AGENCIES;
export const DEFAULT_QUOTA = 10n ** 12n;

export interface LedgerSetup {
  ledger: PointsLedger;
  council: CityCouncil;
  agencies: Signer[];
  members: Signer[];
  pauser: Signer;
  residents: Signer[];
  partner: Signer;
  stranger: Signer;
  periodSeconds: number;
  /** Carries out a ledger call through the council: proposed by one member, approved by another.
   * Resolves to the executing transaction (a promise that rejects if the call reverts). */
  asCouncil(method: string, args: unknown[]): Promise<ContractTransactionResponse>;
}

export interface SetupOptions {
  periodSeconds?: number;
  residentCap?: bigint;
  quota?: bigint;
  transferable?: boolean;
}

/** Council of four agencies (threshold 2), a pauser, the four city domains, one issuer per domain. */
export async function deployLedger(options: SetupOptions = {}): Promise<LedgerSetup> {
  const signers = await ethers.getSigners();
  const agencies = signers.slice(1, 5);
  const members = signers.slice(5, 9);
  const pauser = signers[9];
  const partner = signers[10];
  const stranger = signers[11];
  const residents = signers.slice(12, 20);
  const periodSeconds = options.periodSeconds ?? DAY;

  const council = await ethers.deployContract("CityCouncil", [await Promise.all(members.map((m) => m.getAddress())), 2]);
  const domains = await Promise.all(
    DOMAIN_NAMES.map(async (name, i) => ({
      name,
      agency: await agencies[i].getAddress(),
      pointValue: 10 * (i + 1),
      residentCap: options.residentCap ?? 0n,
      transferable: options.transferable ?? name === "culture",
    })),
  );
  const issuers = await Promise.all(
    agencies.map(async (agency, i) => ({ domainId: i + 1, issuer: await agency.getAddress(), quota: options.quota ?? DEFAULT_QUOTA })),
  );
  const ledger = await ethers.deployContract("PointsLedger", [
    await council.getAddress(),
    await pauser.getAddress(),
    periodSeconds,
    domains,
    issuers,
  ]);

  async function asCouncil(method: string, args: unknown[]): Promise<ContractTransactionResponse> {
    const data = (ledger.interface as Interface).encodeFunctionData(method, args);
    await council.connect(members[0]).propose(await ledger.getAddress(), data, ethers.ZeroHash);
    const id = await council.proposalCount();
    await council.connect(members[1]).approve(id);
    return council.connect(members[0]).execute(id);
  }

  return { ledger, council, agencies, members, pauser, residents, partner, stranger, periodSeconds, asCouncil };
}
