/** A ledger, its council and the passkey registry deployed on the in-process Hardhat network with the demo domains: shared by the contract tests and `bench:gas`. */
import { ethers } from "hardhat";
import type { ContractTransactionResponse, Interface, Signer } from "ethers";
import { DEMO_AGENCIES, DEMO_DOMAIN } from "./demoAgencies";
import type { CityCouncil, PasskeyAccounts, PointsLedger } from "../../typechain-types";

export const DAY = 86_400;
export const DOMAIN = DEMO_DOMAIN;
export const DOMAIN_NAMES = DEMO_AGENCIES;
export const DEFAULT_QUOTA = 10n ** 12n;
/** The recovery delay of the test deployments: a week, as a city would choose. */
export const RECOVERY_DELAY = 7 * DAY;

export interface LedgerSetup {
  ledger: PointsLedger;
  council: CityCouncil;
  /** The registry of passkey accounts the ledger asks to verify passkey assertions. */
  passkeys: PasskeyAccounts;
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
  /** As `asCouncil`, for a call on the registry of passkey accounts. */
  asCouncilOnPasskeys(method: string, args: unknown[]): Promise<ContractTransactionResponse>;
}

export interface SetupOptions {
  periodSeconds?: number;
  residentCap?: bigint;
  quota?: bigint;
  transferable?: boolean;
  /** Each domain's point value, in order (10, 20, 30, 40 unless given). */
  pointValues?: readonly number[];
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
  const passkeys = await ethers.deployContract("PasskeyAccounts", [await council.getAddress(), RECOVERY_DELAY]);
  const domains = await Promise.all(
    DOMAIN_NAMES.map(async (name, i) => ({
      name,
      agency: await agencies[i].getAddress(),
      pointValue: options.pointValues?.[i] ?? 10 * (i + 1),
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
    await passkeys.getAddress(),
    periodSeconds,
    domains,
    issuers,
  ]);

  async function councilCall(target: { getAddress(): Promise<string>; interface: Interface }, method: string, args: unknown[]) {
    const data = target.interface.encodeFunctionData(method, args);
    await council.connect(members[0]).propose(await target.getAddress(), data, ethers.ZeroHash);
    const id = await council.proposalCount();
    await council.connect(members[1]).approve(id);
    return council.connect(members[0]).execute(id);
  }
  const asCouncil = (method: string, args: unknown[]) => councilCall(ledger as never, method, args);
  const asCouncilOnPasskeys = (method: string, args: unknown[]) => councilCall(passkeys as never, method, args);

  return { ledger, council, passkeys, agencies, members, pauser, residents, partner, stranger, periodSeconds, asCouncil, asCouncilOnPasskeys };
}
