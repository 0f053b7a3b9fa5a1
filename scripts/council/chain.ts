/**
 * The council tool's view of the chain: the deployment record, a client of the node, the council's
 * state, and sending a council call from a member's key with its revert decoded for people.
 */
import { readFileSync } from "node:fs";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Abi,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { cityCouncilAbi } from "../../sdk/src/abi";
import { parseDeployment, type Deployment } from "../../sdk/src/deployment";
import { CouncilToolError } from "./errors";

export interface CouncilChain {
  deployment: Deployment;
  client: PublicClient;
  rpc: string;
  /** Gas price for every transaction (0 on free-gas networks); the node's suggestion when undefined. */
  gasPrice: bigint | undefined;
}

export interface CouncilState {
  members: Hex[];
  threshold: bigint;
  proposalCount: bigint;
  /** The latest block's time: what decides whether a proposal has expired. */
  now: bigint;
}

export async function connect(rpc: string, deploymentFile: string, gasPrice?: bigint): Promise<CouncilChain> {
  let deployment: Deployment;
  try {
    deployment = parseDeployment(JSON.parse(readFileSync(deploymentFile, "utf8")));
  } catch (error) {
    throw new CouncilToolError("INVALID_DEPLOYMENT", `cannot read the deployment record ${deploymentFile}: ${(error as Error).message}`);
  }
  const chain = defineChain({ id: deployment.chainId, name: `chain ${deployment.chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpc] } } });
  const client = createPublicClient({ chain, transport: http(rpc, { retryCount: 0 }) }) as PublicClient;
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (error) {
    throw new CouncilToolError("CHAIN", `the node at ${rpc} does not answer: ${(error as Error).message.split("\n")[0]}`);
  }
  if (chainId !== deployment.chainId) {
    throw new CouncilToolError("INVALID_DEPLOYMENT", `${rpc} is chain ${chainId}, but ${deploymentFile} is for chain ${deployment.chainId}`);
  }
  return { deployment, client, rpc, gasPrice };
}

export async function councilState(c: CouncilChain): Promise<CouncilState> {
  const address = c.deployment.council as Hex;
  const [members, threshold, proposalCount, block] = await Promise.all([
    c.client.readContract({ address, abi: cityCouncilAbi, functionName: "members" }),
    c.client.readContract({ address, abi: cityCouncilAbi, functionName: "threshold" }),
    c.client.readContract({ address, abi: cityCouncilAbi, functionName: "proposalCount" }),
    c.client.getBlock(),
  ]);
  return { members: [...members] as Hex[], threshold, proposalCount, now: block.timestamp };
}

/** Refuses, before anything is sent, a key that is not a current member's. */
export function requireMember(state: CouncilState, account: PrivateKeyAccount): void {
  if (!state.members.some((m) => m.toLowerCase() === account.address.toLowerCase())) {
    throw new CouncilToolError("NOT_A_MEMBER", `${account.address} (the key file's address) is not a member of the council; members: ${state.members.join(", ")}`);
  }
}

/** Why the council refused, in words, from its custom error. */
function explain(errorName: string, args: readonly unknown[]): string {
  const [a, b, c] = args.map(String);
  switch (errorName) {
    case "CityCouncilNotMember":
      return `${a} is not a member of the council`;
    case "CityCouncilUnknownProposal":
      return `there is no proposal ${a}`;
    case "CityCouncilAlreadyApproved":
      return `${b} already approved proposal ${a}`;
    case "CityCouncilNotApproved":
      return `${b} has not approved proposal ${a}: there is nothing to revoke`;
    case "CityCouncilAlreadyExecuted":
      return `proposal ${a} was already executed`;
    case "CityCouncilProposalExpired":
      return `proposal ${a} expired at ${new Date(Number(b) * 1000).toISOString()}`;
    case "CityCouncilNotEnoughApprovals":
      return `proposal ${a} has ${b} approvals; ${c} are needed`;
    default:
      return `${errorName}(${args.map(String).join(", ")})`;
  }
}

/** Turns a simulation's failure into a refusal naming the contract's error, or a chain error. */
export function refusal(error: unknown, what: string): CouncilToolError {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName;
      if (name) return new CouncilToolError("REFUSED", `${what} refused: ${explain(name, reverted.data?.args ?? [])}`);
      return new CouncilToolError("REFUSED", `${what} refused: ${reverted.shortMessage}`);
    }
    return new CouncilToolError("CHAIN", `${what} failed: ${error.shortMessage}`);
  }
  return new CouncilToolError("CHAIN", `${what} failed: ${(error as Error).message}`);
}

type CouncilWrite = "propose" | "approve" | "revokeApproval" | "execute";

/**
 * Sends one council call from the member's key: simulated first, so a refusal is reported with the
 * council's reason and nothing is sent; then waits for its receipt.
 */
export async function sendCouncil(
  c: CouncilChain,
  account: PrivateKeyAccount,
  functionName: CouncilWrite,
  args: readonly unknown[],
  what: string,
): Promise<{ hash: Hex; receipt: TransactionReceipt }> {
  return sendContract(c, account, { address: c.deployment.council as Hex, abi: cityCouncilAbi, functionName, args }, what);
}

/** As {@link sendCouncil}, for any contract of the deployment (the stations tool sends the registrar's calls with it). */
export async function sendContract(
  c: CouncilChain,
  account: PrivateKeyAccount,
  call: { address: Hex; abi: Abi; functionName: string; args: readonly unknown[] },
  what: string,
): Promise<{ hash: Hex; receipt: TransactionReceipt }> {
  let request;
  try {
    ({ request } = await c.client.simulateContract({ ...call, args: call.args as never, account } as never));
  } catch (error) {
    throw refusal(error, what);
  }
  const wallet = createWalletClient({ account, chain: c.client.chain, transport: http(c.rpc, { retryCount: 0 }) });
  const fees = c.gasPrice === undefined ? {} : { type: "legacy" as const, gasPrice: c.gasPrice };
  let hash: Hex;
  try {
    hash = await wallet.writeContract({ ...(request as object), ...fees } as never);
  } catch (error) {
    throw refusal(error, what);
  }
  const receipt = await c.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CouncilToolError("REFUSED", `${what}: transaction ${hash} reverted`);
  return { hash, receipt };
}
