/**
 * Deploys the council, the registry of passkey accounts, the ledger and the community stations (in
 * that order: the ledger holds the first two's addresses, the stations all three's) with plain ethers (no Hardhat runtime), so `npm start`, the
 * deploy command and tests share one path. The record is written only after both contracts are
 * confirmed; a run that finds a record whose contracts have code reuses it and sends nothing.
 *
 * Resumable: each creation is written to a progress file (`<record>.pending.json`) before it is
 * broadcast, with the nonce that fixes its address. A run interrupted anywhere (between the council and
 * the ledger, or with a transaction still pending) finishes those same transactions on the next run
 * and never creates a second council or ledger.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Contract, ContractFactory, type Provider, type Signer } from "ethers";
import { DEPLOYMENT_FORMAT, parseDeployment, type Deployment } from "../../sdk/src/deployment";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import type { FeePolicy } from "../../config/networks";
import { NetworkToolError } from "../network/errors";
import { planHash } from "../network/deploy/plan";
import { refuseDevelopmentKeys } from "../network/deploy/developmentKeys";
import { PROGRESS_FORMAT, progressPath, readProgress, removeProgress, writeProgress, type Progress, type ProgressStep, type StepName } from "../network/deploy/journal";
import { findTransactionByNonce, prepareCreation, sendCreation, waitForReceipt } from "../network/deploy/transactions";

const ARTIFACTS = join(__dirname, "..", "..", "artifacts", "contracts");

export interface DomainPlan {
  name: string;
  agency: string;
  pointValue: number;
  residentCap: bigint;
  transferable: boolean;
  issuers: { address: string; quota: bigint }[];
}

/** A week: long enough for a resident to notice a recovery proposed for their account and cancel it. */
export const DEFAULT_RECOVERY_DELAY_SECONDS = 7 * 86_400;

export interface DeploymentPlan {
  councilMembers: string[];
  councilThreshold: number;
  pauser: string;
  periodSeconds: number;
  /** Who adds community stations and appoints their staff until the council names another; the deployer when absent. */
  stationRegistrar?: string;
  /** Seconds a passkey recovery waits (1 to 90 days); {@link DEFAULT_RECOVERY_DELAY_SECONDS} when absent. */
  recoveryDelaySeconds?: number;
  domains: DomainPlan[];
}

export interface DeployOptions {
  /** "market" (default): the node's gas price; "free": zero-price transactions for free-gas networks. */
  fees?: FeePolicy;
  /** How long to wait for each transaction to be mined; the run can be resumed after a timeout. */
  confirmTimeoutMs?: number;
  /** Progress lines for people. */
  log?: (line: string) => void;
}

export interface DeployReport {
  record: Deployment;
  /** Hashes of the transactions this run broadcast (empty when everything was already deployed). */
  sent: string[];
  /** True when a complete record was found and nothing was done. */
  alreadyDeployed: boolean;
  /** True when this run finished an interrupted one. */
  resumed: boolean;
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
  const addresses = [record.ledger, record.council, record.passkeyAccounts, ...(record.communityStations ? [record.communityStations] : [])];
  const codes = await Promise.all(addresses.map((a) => provider.getCode(a)));
  if (codes.includes("0x")) {
    throw new Error(`${path} names contracts that have no code on chain ${chainId}: was the chain reset? Move the record away to deploy anew.`);
  }
  return record;
}

/** Deploys unless `path` already records a live deployment; returns the record either way. */
export async function deployCityLedger(deployer: Signer, plan: DeploymentPlan, path: string, options: DeployOptions = {}): Promise<Deployment> {
  return (await runCityDeployment(deployer, plan, path, options)).record;
}

/** As {@link deployCityLedger}, and says what it did: what it sent, whether it resumed or found everything done. */
export async function runCityDeployment(deployer: Signer, plan: DeploymentPlan, path: string, options: DeployOptions = {}): Promise<DeployReport> {
  const provider = deployer.provider;
  if (!provider) throw new Error("the deployer signer needs a provider");
  const log = options.log ?? (() => {});
  const existing = await loadDeployment(path, provider);
  if (existing) return { record: existing, sent: [], alreadyDeployed: true, resumed: false };

  const { chainId } = await provider.getNetwork();
  const from = await deployer.getAddress();
  refuseDevelopmentKeys(Number(chainId), plan, from);
  const pendingPath = progressPath(path);
  const progress = startOrResume(pendingPath, Number(chainId), from, planHash(plan));
  const resumed = progress.council !== undefined;
  if (resumed) log(`resuming the interrupted deployment recorded in ${pendingPath}`);

  const sent: string[] = [];
  const run = { deployer, provider, progress, pendingPath, sent, log, fees: options.fees ?? "market", timeoutMs: options.confirmTimeoutMs ?? 120_000 };

  const council = artifact("CityCouncil");
  const councilData = new ContractFactory(council.abi as never, council.bytecode).interface.encodeDeploy([plan.councilMembers, plan.councilThreshold]);
  const councilStep = await ensureCreated(run, "council", council.bytecode + councilData.slice(2));

  const recoveryDelaySeconds = plan.recoveryDelaySeconds ?? DEFAULT_RECOVERY_DELAY_SECONDS;
  const passkeys = artifact("PasskeyAccounts");
  const passkeysData = new ContractFactory(passkeys.abi as never, passkeys.bytecode).interface.encodeDeploy([councilStep.address, recoveryDelaySeconds]);
  const passkeysStep = await ensureCreated(run, "passkeyAccounts", passkeys.bytecode + passkeysData.slice(2));

  const ledger = artifact("PointsLedger");
  const ledgerArgs = new ContractFactory(ledger.abi as never, ledger.bytecode).interface.encodeDeploy([
    councilStep.address,
    plan.pauser,
    passkeysStep.address,
    plan.periodSeconds,
    plan.domains.map((d) => ({ name: d.name, agency: d.agency, pointValue: d.pointValue, residentCap: d.residentCap, transferable: d.transferable })),
    plan.domains.flatMap((d, i) => d.issuers.map((iss) => ({ domainId: i + 1, issuer: iss.address, quota: iss.quota }))),
  ]);
  const ledgerStep = await ensureCreated(run, "ledger", ledger.bytecode + ledgerArgs.slice(2));

  const stations = artifact("CommunityStations");
  const stationsData = new ContractFactory(stations.abi as never, stations.bytecode).interface.encodeDeploy([
    councilStep.address,
    ledgerStep.address,
    passkeysStep.address,
    plan.stationRegistrar ?? from,
  ]);
  const stationsStep = await ensureCreated(run, "communityStations", stations.bytecode + stationsData.slice(2));

  const genesisTime = await new Contract(ledgerStep.address, pointsLedgerAbi, provider).GENESIS_TIME();
  const record = parseDeployment({
    format: DEPLOYMENT_FORMAT,
    chainId: Number(chainId),
    ledger: ledgerStep.address,
    council: councilStep.address,
    passkeyAccounts: passkeysStep.address,
    communityStations: stationsStep.address,
    recoveryDelaySeconds,
    deployBlock: ledgerStep.blockNumber,
    genesisTime: Number(genesisTime),
    periodSeconds: plan.periodSeconds,
    pauser: plan.pauser,
    councilMembers: plan.councilMembers,
    councilThreshold: plan.councilThreshold,
    domains: plan.domains.map((d, i) => ({ id: i + 1, name: d.name, agency: d.agency, issuers: d.issuers.map((x) => x.address) })),
    transactions: { council: councilStep.hash, passkeyAccounts: passkeysStep.hash, ledger: ledgerStep.hash, communityStations: stationsStep.hash },
    deployedAt: new Date().toISOString(),
  });
  writeRecord(path, record);
  removeProgress(pendingPath);
  return { record, sent, alreadyDeployed: false, resumed };
}

function startOrResume(path: string, chainId: number, deployer: string, hash: string): Progress {
  const saved = readProgress(path);
  if (!saved) return { format: PROGRESS_FORMAT, chainId, deployer, planHash: hash };
  const mismatch =
    saved.chainId !== chainId ? `chain ${saved.chainId}, not ${chainId}` : saved.deployer.toLowerCase() !== deployer.toLowerCase() ? `deployer ${saved.deployer}, not ${deployer}` : saved.planHash !== hash ? "a different plan" : undefined;
  if (mismatch) {
    throw new NetworkToolError(
      "PLAN_CHANGED",
      `${path} records an interrupted deployment with ${mismatch}: finish it with the same plan and key, or move the file away to start over (contracts it already created stay on chain, unused)`,
      { path },
    );
  }
  return saved;
}

interface Run {
  deployer: Signer;
  provider: Provider;
  progress: Progress;
  pendingPath: string;
  sent: string[];
  log: (line: string) => void;
  fees: FeePolicy;
  timeoutMs: number;
}

type CreatedStep = ProgressStep & { hash: string; blockNumber: number };

/** Creates the step's contract unless the progress file shows it created (or on its way). */
async function ensureCreated(run: Run, name: StepName, data: string): Promise<CreatedStep> {
  const { provider, progress } = run;
  let step = progress[name];
  let hash: string | undefined;

  if (step && (await provider.getCode(step.address)) !== "0x") {
    run.log(`${name}: already at ${step.address}`);
    hash = step.hash ?? (await findTransactionByNonce(provider, await run.deployer.getAddress(), step.nonce));
    if (!hash) throw new NetworkToolError("DEPLOY_REVERTED", `${name} has code at ${step.address} but its creation transaction cannot be found`, { step });
  } else if (step) {
    const mined = await provider.getTransactionCount(await run.deployer.getAddress(), "latest");
    if (mined > step.nonce) {
      const receipt = step.hash ? await provider.getTransactionReceipt(step.hash) : null;
      throw new NetworkToolError(
        receipt?.status === 0 ? "DEPLOY_REVERTED" : "NONCE_TAKEN",
        receipt?.status === 0
          ? `the ${name} creation (${step.hash}) reverted: check the plan, then move ${run.pendingPath} away and deploy again`
          : `the deployer's nonce ${step.nonce}, reserved for the ${name}, was used by another transaction: stop other senders using the deployer key, move ${run.pendingPath} away and deploy again`,
        { step },
      );
    }
    run.log(`${name}: transaction with nonce ${step.nonce} not mined yet; sending the same transaction again`);
    hash = await sendCreation(run.deployer, step, data);
    run.sent.push(hash);
  } else {
    step = await prepareCreation(run.deployer, data, run.fees);
    progress[name] = step;
    writeProgress(run.pendingPath, progress); // before broadcasting: a crash from here on resumes this transaction
    run.log(`${name}: creating at ${step.address} (nonce ${step.nonce})`);
    hash = await sendCreation(run.deployer, step, data);
    run.sent.push(hash);
  }

  const receipt = await waitForReceipt(provider, hash, run.timeoutMs, name);
  if (receipt.status !== 1) {
    throw new NetworkToolError("DEPLOY_REVERTED", `the ${name} creation (${hash}) reverted: check the plan, then move ${run.pendingPath} away and deploy again`, { hash });
  }
  const created: CreatedStep = { ...step, hash, blockNumber: receipt.blockNumber };
  progress[name] = created;
  writeProgress(run.pendingPath, progress);
  return created;
}

/** Writes atomically (temp file, then rename), so a crash never leaves half a record. */
function writeRecord(path: string, record: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n");
  renameSync(tmp, path);
}
