/**
 * Deploys the council and the ledger with plain ethers (no Hardhat runtime), so `npm start`, the
 * deploy command and tests share one path. The record is written only after both contracts are
 * confirmed; a run that finds a record whose contracts have code reuses it and sends nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ContractFactory, type Provider, type Signer } from "ethers";
import { DEPLOYMENT_FORMAT, parseDeployment, type Deployment } from "../../sdk/src/deployment";

const ARTIFACTS = join(__dirname, "..", "..", "artifacts", "contracts");

export interface DomainPlan {
  name: string;
  agency: string;
  pointValue: number;
  residentCap: bigint;
  transferable: boolean;
  issuers: { address: string; quota: bigint }[];
}

export interface DeploymentPlan {
  councilMembers: string[];
  councilThreshold: number;
  pauser: string;
  periodSeconds: number;
  domains: DomainPlan[];
}

function artifact(name: string): { abi: unknown[]; bytecode: string } {
  const path = join(ARTIFACTS, `${name}.sol`, `${name}.json`);
  if (!existsSync(path)) throw new Error(`missing build artifact ${path}: run "npx hardhat compile" first`);
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Reads a deployment record if its contracts exist on the chain the provider talks to. */
export async function loadDeployment(path: string, provider: Provider): Promise<Deployment | undefined> {
  if (!existsSync(path)) return undefined;
  const record = parseDeployment(JSON.parse(readFileSync(path, "utf8")));
  const { chainId } = await provider.getNetwork();
  if (BigInt(record.chainId) !== chainId) {
    throw new Error(`${path} is for chain ${record.chainId}, but the node is chain ${chainId}`);
  }
  const [ledgerCode, councilCode] = await Promise.all([provider.getCode(record.ledger), provider.getCode(record.council)]);
  if (ledgerCode === "0x" || councilCode === "0x") {
    throw new Error(`${path} names contracts that have no code on chain ${chainId}: was the chain reset? Move the record away to deploy anew.`);
  }
  return record;
}

/** Deploys unless `path` already records a live deployment; returns the record either way. */
export async function deployCityLedger(deployer: Signer, plan: DeploymentPlan, path: string): Promise<Deployment> {
  const provider = deployer.provider;
  if (!provider) throw new Error("the deployer signer needs a provider");
  const existing = await loadDeployment(path, provider);
  if (existing) return existing;

  const council = artifact("CityCouncil");
  const ledgerArtifact = artifact("PointsLedger");
  const councilContract = await new ContractFactory(council.abi as never, council.bytecode, deployer).deploy(
    plan.councilMembers,
    plan.councilThreshold,
  );
  const councilTx = councilContract.deploymentTransaction()!;
  await councilContract.waitForDeployment();

  const domains = plan.domains.map((d) => ({
    name: d.name,
    agency: d.agency,
    pointValue: d.pointValue,
    residentCap: d.residentCap,
    transferable: d.transferable,
  }));
  const issuers = plan.domains.flatMap((d, i) => d.issuers.map((iss) => ({ domainId: i + 1, issuer: iss.address, quota: iss.quota })));
  const ledger = await new ContractFactory(ledgerArtifact.abi as never, ledgerArtifact.bytecode, deployer).deploy(
    await councilContract.getAddress(),
    plan.pauser,
    plan.periodSeconds,
    domains,
    issuers,
  );
  const ledgerTx = ledger.deploymentTransaction()!;
  await ledger.waitForDeployment();
  const receipt = await provider.getTransactionReceipt(ledgerTx.hash);
  const block = await provider.getBlock(receipt!.blockNumber);
  const { chainId } = await provider.getNetwork();

  const record = parseDeployment({
    format: DEPLOYMENT_FORMAT,
    chainId: Number(chainId),
    ledger: await ledger.getAddress(),
    council: await councilContract.getAddress(),
    deployBlock: receipt!.blockNumber,
    genesisTime: block!.timestamp,
    periodSeconds: plan.periodSeconds,
    pauser: plan.pauser,
    councilMembers: plan.councilMembers,
    councilThreshold: plan.councilThreshold,
    domains: plan.domains.map((d, i) => ({ id: i + 1, name: d.name, agency: d.agency, issuers: d.issuers.map((x) => x.address) })),
    transactions: { council: councilTx.hash, ledger: ledgerTx.hash },
    deployedAt: new Date().toISOString(),
  });
  writeRecord(path, record);
  return record;
}

/** Writes atomically (temp file, then rename), so a crash never leaves half a record. */
function writeRecord(path: string, record: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n");
  renameSync(tmp, path);
}
