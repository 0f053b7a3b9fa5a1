/** Sizes of our compiled contracts, read from the Hardhat build artifacts. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ARTIFACTS = join(__dirname, "..", "..", "artifacts", "contracts");
/** The contracts the deploy command creates. */
export const DEPLOYED_CONTRACTS = ["PointsLedger", "PasskeyAccounts", "CityCouncil"] as const;

export interface ContractSize {
  name: string;
  /** Runtime code size in bytes: what the chain's contract size limit applies to. */
  runtimeBytes: number;
}

function artifactOf(name: string): { deployedBytecode: string; bytecode: string } {
  const path = join(ARTIFACTS, `${name}.sol`, `${name}.json`);
  if (!existsSync(path)) throw new Error(`missing build artifact ${path}: run "npx hardhat compile" first`);
  return JSON.parse(readFileSync(path, "utf8"));
}

/** EIP-170's limit on runtime code, which Besu and the other clients enforce unless configured otherwise. */
export const CONTRACT_SIZE_LIMIT = 24_576;

export function contractSizes(): ContractSize[] {
  return DEPLOYED_CONTRACTS.map((name) => ({ name, runtimeBytes: (artifactOf(name).deployedBytecode.length - 2) / 2 }));
}

export function largestContract(): ContractSize {
  return contractSizes().reduce((a, b) => (b.runtimeBytes > a.runtimeBytes ? b : a));
}
