/**
 * `audit()`: rebuilds a deployment's ledger from the chain alone and checks invariants I1-I8.
 * It first checks that the contracts at the record's addresses run the code this repository builds
 * and that the record's creation transactions created them, reads the events from the deployment
 * block to a fixed block in pages, folds each page as it arrives, then reads the contract's own
 * balances, nonces and supplies at that same block and compares. Nothing but JSON-RPC is
 * consulted: not the relay, not its journal.
 */
import { decodeFunctionResult, encodeFunctionData, toFunctionSelector, type Hex, type Transport } from "viem";
import { cityCouncilRuntimeCode, pointsLedgerAbi, pointsLedgerRuntimeCode, type RuntimeCode } from "../abi";
import { parseDeployment, type Deployment } from "../deployment";
import { InvalidArgumentError } from "../errors/base";
import { InvalidDeploymentError } from "../errors/deployment";
import { ChainMismatchError, CodeMismatchError } from "../errors/rpc";
import { LedgerChecker } from "./checker";
import { compareRuntimeCode } from "./codeCheck";
import { createEventDecoder } from "./decode";
import type { AuditEvent } from "./events";
import { fetchLogPages } from "./logs";
import { PairReader, type ReadMethod } from "./reader";
import { AUDIT_REPORT_FORMAT, type AuditReport } from "./report";
import { createHttpRpc, createTransportRpc, type RpcClient } from "./rpc";

export type AuditProgress =
  | { phase: "events"; fromBlock: number; toBlock: number; block: number; events: number }
  | { phase: "balances"; done: number; total: number };

export interface AuditParameters {
  /** JSON-RPC endpoint (HTTP). One of `rpcUrl` and `transport` is required. */
  rpcUrl?: string;
  /** A viem transport, e.g. `custom(provider)` for an in-process chain. */
  transport?: Transport;
  /** The deployment record (parsed here if given raw). */
  deployment: Deployment | unknown;
  /** First block to read; the deployment block by default. */
  fromBlock?: number;
  /** Block audited (events up to it, state read at it); the latest by default. */
  toBlock?: number;
  /**
   * Events to check instead of the chain's logs (tests feed a stream with a missing or forged
   * entry). Balances, nonces and supplies are still read from the chain.
   */
  events?: AsyncIterable<AuditEvent> | Iterable<AuditEvent>;
  /** Most blocks per `eth_getLogs`; 5,000 by default (Besu's limit). */
  maxBlockRange?: number;
  /** Logs a page aims at; 10,000 by default. */
  targetLogsPerPage?: number;
  /** A page reply larger than this is abandoned and asked again in halves (HTTP only); 16 MiB by default. */
  maxResponseBytes?: number;
  /** How to read balances: "auto" (state override, else batched calls). */
  readMethod?: ReadMethod | "auto";
  /** Violations kept in full; all are counted. 1,000 by default. */
  maxViolations?: number;
  onProgress?: (progress: AuditProgress) => void;
}

const BALANCE_OF = toFunctionSelector("balanceOf(address,uint256)");
const NONCES = toFunctionSelector("nonces(address,uint32)");

/**
 * Audits a deployment.
 * @example
 * const report = await audit({ rpcUrl: "http://127.0.0.1:8545", deployment: JSON.parse(readFileSync(file, "utf8")) });
 * if (!report.ok) for (const v of report.violations) console.log(v.invariant, v.message, v.transactionHash);
 */
export async function audit(params: AuditParameters): Promise<AuditReport> {
  const started = Date.now();
  const deployment = toDeployment(params.deployment);
  const rpc = connect(params);

  const chainId = Number(await rpc.request<string>("eth_chainId", []));
  if (chainId !== deployment.chainId) {
    throw new ChainMismatchError(`The node is chain ${chainId}, but the deployment record is for chain ${deployment.chainId}.`, {
      details: { node: rpc.label, chainId, expected: deployment.chainId },
    });
  }
  const head = Number(await rpc.request<string>("eth_blockNumber", []));
  const toBlock = params.toBlock ?? head;
  const fromBlock = params.fromBlock ?? (await historyStart(rpc, deployment));
  if (toBlock > head || toBlock < deployment.deployBlock || fromBlock > toBlock) {
    throw new InvalidArgumentError(`Cannot audit blocks ${fromBlock}..${toBlock}: the deployment starts at block ${deployment.deployBlock}, the chain is at ${head}.`, {
      details: { fromBlock, toBlock, deployBlock: deployment.deployBlock, head },
    });
  }
  const tag = "0x" + toBlock.toString(16);
  const code = await rpc.request<string>("eth_getCode", [deployment.ledger, tag]);
  if (!code || code === "0x") {
    throw new ChainMismatchError(`There is no ledger contract at ${deployment.ledger} on chain ${chainId} at block ${toBlock}.`, {
      details: { ledger: deployment.ledger, block: toBlock },
    });
  }

  const creations = await verifiedCreations(rpc, deployment);
  const checker = new LedgerChecker({
    maxViolations: params.maxViolations,
    council: deployment.council,
    ledger: deployment.ledger,
    creations: creations.verified,
    communityStations: deployment.communityStations,
  });
  for (const problem of creations.problems) checker.violations.add("I8", "NOT_THE_CREATION", problem.message, undefined, problem.details);
  const ledgerIsOurs = await checkCode(rpc, checker, tag, { name: "ledger", address: deployment.ledger, code, expected: pointsLedgerRuntimeCode });
  await checkCode(rpc, checker, tag, { name: "council", address: deployment.council, expected: cityCouncilRuntimeCode });
  const counters = { unknown: 0, pages: 0 };
  if (params.events) {
    for await (const event of params.events) checker.apply(event);
  } else {
    await foldChainEvents(rpc, deployment, checker, counters, { ...params, fromBlock, toBlock });
  }
  checker.finish();
  await checkExpiries(rpc, checker);
  await placeAssistedInPeriods(rpc, checker);
  await checker.passkeys.settle();
  checkConfiguration(checker, deployment);
  try {
    return await readAndCompare(rpc, deployment, checker, params, { started, chainId, fromBlock, toBlock, tag, counters });
  } catch (error) {
    if (ledgerIsOurs) throw error;
    throw new CodeMismatchError(
      `The contract at ${deployment.ledger} does not run the ledger this auditor was built for, and cannot be read as one: ${(error as Error).message}`,
      { cause: error, details: { ledger: deployment.ledger } },
    );
  }
}

/** Reads the contract's state at the audited block, compares it with the rebuilt ledger, and reports. */
async function readAndCompare(
  rpc: RpcClient,
  deployment: Deployment,
  checker: LedgerChecker,
  params: AuditParameters,
  run: { started: number; chainId: number; fromBlock: number; toBlock: number; tag: string; counters: { unknown: number; pages: number } },
): Promise<AuditReport> {
  const { started, chainId, fromBlock, toBlock, tag, counters } = run;

  const reader = new PairReader(rpc, deployment.ledger, params.readMethod ?? "auto");
  const accounts = checker.accountList();
  const nonceAccounts = checker.nonceAccountList();
  const total = accounts.length + nonceAccounts.length;
  const progress = (offset: number) => (done: number) => params.onProgress?.({ phase: "balances", done: offset + done, total });
  const balances = await reader.read(
    BALANCE_OF,
    accounts.map((a) => ({ address: a.resident, id: a.domainId })),
    { blockNumber: toBlock, onProgress: progress(0) },
  );
  const nonces = await reader.read(
    NONCES,
    nonceAccounts.map((a) => ({ address: a.resident, id: a.domainId })),
    { blockNumber: toBlock, onProgress: progress(accounts.length) },
  );
  const domains = await readDomains(rpc, deployment.ledger, tag);
  const ledgerPaused = decodeFunctionResult({
    abi: pointsLedgerAbi,
    functionName: "paused",
    data: (await rpc.request<string>("eth_call", [{ to: deployment.ledger, data: encodeFunctionData({ abi: pointsLedgerAbi, functionName: "paused" }) }, tag])) as `0x${string}`,
  });
  checker.compareWithChain({ blockNumber: toBlock, accounts, balances, nonceAccounts, nonces, domains, ledgerPaused });

  const v = checker.violations;
  const roles = checker.gov.roleHolders();
  const council = checker.provenance?.council;
  return {
    format: AUDIT_REPORT_FORMAT,
    ok: v.total === 0,
    chainId,
    ledger: deployment.ledger,
    council: deployment.council,
    fromBlock,
    toBlock,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    events: {
      total: checker.eventCount,
      byName: Object.fromEntries(checker.counts),
      unknown: counters.unknown,
      pages: counters.pages,
      periodsChecked: checker.periodsChecked,
    },
    balanceReads: { accounts: accounts.length, nonces: nonceAccounts.length, method: reader.method === "auto" ? "none" : reader.method },
    domains: checker.domainReports(),
    agencies: checker.agencyReports(),
    periods: checker.periodReports(),
    agreements: checker.agreementReports(),
    claimsUsed: checker.points.claimsUsed,
    intents: { ...checker.points.intents },
    passkeys: {
      accounts: checker.passkeys.accounts.size,
      credentials: checker.passkeys.credentials.size,
      assertionsVerified: checker.passkeys.assertionsVerified,
      intentsAuthorised: checker.passkeys.intentsAuthorised,
    },
    ...(deployment.communityStations
      ? { stations: { contract: deployment.communityStations, registrar: checker.stations.registrar ?? null, assisted: checker.stations.assisted, list: checker.stations.reports() } }
      : {}),
    governance: {
      ledgerPaused: checker.gov.ledgerPaused,
      pauses: checker.gov.pauses,
      councilMembers: [...(council?.members ?? [])],
      councilThreshold: (council?.threshold ?? 0n).toString(),
      proposalLifetime: (council?.lifetime ?? 0n).toString(),
      proposals: council?.proposals ?? 0,
      proposalsExecuted: council?.executed ?? 0,
      councilRole: roles.council,
      pauserRole: roles.pauser,
    },
    violationCounts: { ...v.counts },
    violationTotal: v.total,
    violations: v.kept,
    violationsTruncated: v.total > v.kept.length,
  };
}

/**
 * Where the deployment's history starts: the council's creation (its members and threshold are in
 * its constructor's events), which comes before the ledger's. The deployment block if the council's
 * transaction cannot be found.
 */
export async function historyStart(rpc: RpcClient, deployment: Deployment): Promise<number> {
  const receipt = await rpc.request<{ blockNumber?: string } | null>("eth_getTransactionReceipt", [deployment.transactions.council]).catch(() => null);
  const councilBlock = receipt?.blockNumber ? Number(receipt.blockNumber) : deployment.deployBlock;
  return Math.min(councilBlock, deployment.deployBlock);
}

/**
 * The record's creation transactions, each kept only if its receipt shows it created the contract
 * the record names there; one that did not is an I8 violation (a record that names another
 * transaction could pass a forged change off as the constructor's).
 */
async function verifiedCreations(
  rpc: RpcClient,
  deployment: Deployment,
): Promise<{ verified: { ledger?: Hex; council?: Hex }; problems: { message: string; details: Record<string, unknown> }[] }> {
  const verified: { ledger?: Hex; council?: Hex } = {};
  const problems: { message: string; details: Record<string, unknown> }[] = [];
  for (const name of ["ledger", "council"] as const) {
    const hash = deployment.transactions[name];
    const receipt = await rpc.request<{ contractAddress?: string | null } | null>("eth_getTransactionReceipt", [hash]).catch(() => null);
    if (receipt?.contractAddress?.toLowerCase() === deployment[name].toLowerCase()) {
      verified[name] = hash;
    } else {
      problems.push({
        message: `The deployment record names transaction ${hash} as the ${name}'s creation, but it did not create ${deployment[name]}.`,
        details: { contract: name, transactionHash: hash, created: receipt?.contractAddress ?? null },
      });
    }
  }
  return { verified, problems };
}

/** I8: the contract at `address` runs the build's runtime code (immutables aside). Returns whether it does. */
async function checkCode(
  rpc: RpcClient,
  checker: LedgerChecker,
  tag: string,
  contract: { name: string; address: string; code?: string; expected: RuntimeCode },
): Promise<boolean> {
  const onChain = (contract.code ?? (await rpc.request<string>("eth_getCode", [contract.address, tag]))) as Hex;
  const comparison = compareRuntimeCode(onChain ?? "0x", contract.expected);
  if (!comparison.matches) {
    checker.violations.add(
      "I8",
      "CODE_MISMATCH",
      `The ${contract.name} at ${contract.address} does not run the code this repository builds (${comparison.onChainBytes} bytes on chain, ${comparison.expectedBytes} built; first difference at byte ${comparison.firstDifference}).`,
      undefined,
      { contract: contract.name, address: contract.address, ...comparison },
    );
  }
  return comparison.matches;
}

/** I8 for executions whose logs came without their block's time: reads those blocks' timestamps. */
async function checkExpiries(rpc: RpcClient, checker: LedgerChecker): Promise<void> {
  const untimed = checker.provenance?.untimed ?? [];
  if (untimed.length === 0) return;
  const blocks = [...new Set(untimed.map((x) => x.at.blockNumber))];
  const answers = await rpc.batch<{ timestamp: string } | null>(blocks.map((b) => ({ method: "eth_getBlockByNumber", params: ["0x" + b.toString(16), false] })));
  const times = new Map(blocks.map((b, i) => [b, answers[i]?.timestamp]));
  for (const execution of untimed) {
    const timestamp = times.get(execution.at.blockNumber);
    if (timestamp !== undefined) checker.provenance!.checkExpiry(execution, BigInt(timestamp));
  }
}

/** Assisted operations whose logs came without their block's time: reads those blocks' timestamps to count them per period. */
async function placeAssistedInPeriods(rpc: RpcClient, checker: LedgerChecker): Promise<void> {
  const untimed = checker.stations.untimed;
  if (untimed.length === 0) return;
  const blocks = [...new Set(untimed.map((x) => x.blockNumber))];
  const answers = await rpc.batch<{ timestamp: string } | null>(blocks.map((b) => ({ method: "eth_getBlockByNumber", params: ["0x" + b.toString(16), false] })));
  const times = new Map(blocks.map((b, i) => [b, answers[i]?.timestamp]));
  for (const op of untimed) {
    const timestamp = times.get(op.blockNumber);
    if (timestamp !== undefined) checker.stations.placeInPeriod(op, BigInt(timestamp));
  }
}

function toDeployment(value: unknown): Deployment {
  try {
    return parseDeployment(value);
  } catch (cause) {
    throw new InvalidDeploymentError((cause as Error).message, { cause });
  }
}

function connect(params: AuditParameters): RpcClient {
  if (params.rpcUrl && params.transport) throw new InvalidArgumentError("Give either rpcUrl or transport, not both.");
  if (params.rpcUrl) {
    if (!/^https?:\/\//.test(params.rpcUrl)) {
      throw new InvalidArgumentError(`rpcUrl must be an http(s) URL, not ${JSON.stringify(params.rpcUrl)}.`);
    }
    return createHttpRpc(params.rpcUrl);
  }
  if (params.transport) return createTransportRpc(params.transport);
  throw new InvalidArgumentError("Give rpcUrl or transport: the auditor reads the chain through one of them.");
}

/** Reads the ledger's and council's logs page by page and folds each page before the next is kept. */
async function foldChainEvents(
  rpc: RpcClient,
  deployment: Deployment,
  checker: LedgerChecker,
  counters: { unknown: number; pages: number },
  params: AuditParameters & { fromBlock: number; toBlock: number },
): Promise<void> {
  const decoder = createEventDecoder(deployment);
  const pages = fetchLogPages(rpc, {
    addresses: decoder.addresses,
    fromBlock: params.fromBlock,
    toBlock: params.toBlock,
    maxBlockRange: params.maxBlockRange,
    targetLogsPerPage: params.targetLogsPerPage,
    maxResponseBytes: params.maxResponseBytes,
  });
  for await (const page of pages) {
    counters.pages++;
    for (const log of page.logs) {
      const event = decoder.decode(log);
      if (event) checker.apply(event);
      else counters.unknown++;
    }
    await checker.passkeys.settle(); // the page's P-256 verifications, before the next page is kept
    params.onProgress?.({ phase: "events", fromBlock: params.fromBlock, toBlock: params.toBlock, block: page.toBlock, events: checker.eventCount });
  }
}

async function readDomains(rpc: RpcClient, ledger: string, tag: string): Promise<{ id: number; supply: bigint; paused: boolean }[]> {
  const countData = await rpc.request<`0x${string}`>("eth_call", [
    { to: ledger, data: encodeFunctionData({ abi: pointsLedgerAbi, functionName: "domainCount" }) },
    tag,
  ]);
  const count = decodeFunctionResult({ abi: pointsLedgerAbi, functionName: "domainCount", data: countData });
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const answers = await rpc.batch<`0x${string}`>(
    ids.map((id) => ({
      method: "eth_call",
      params: [{ to: ledger, data: encodeFunctionData({ abi: pointsLedgerAbi, functionName: "domain", args: [id] }) }, tag],
    })),
  );
  return answers.map((data, i) => {
    const d = decodeFunctionResult({ abi: pointsLedgerAbi, functionName: "domain", data });
    return { id: ids[i], supply: d.supply, paused: d.paused };
  });
}

/** The period clock in the events must be the one the deployment record states. */
function checkConfiguration(checker: LedgerChecker, deployment: Deployment): void {
  const { genesisTime, periodSeconds } = checker.gov;
  if (genesisTime === undefined) return;
  if (genesisTime !== BigInt(deployment.genesisTime) || periodSeconds !== BigInt(deployment.periodSeconds)) {
    checker.violations.add(
      "RULE",
      "CONFIGURATION_MISMATCH",
      `The ledger's period clock (genesis ${genesisTime}, ${periodSeconds} s) is not the deployment record's (genesis ${deployment.genesisTime}, ${deployment.periodSeconds} s).`,
      undefined,
      { genesisTime, periodSeconds, recordGenesisTime: deployment.genesisTime, recordPeriodSeconds: deployment.periodSeconds },
    );
  }
}
