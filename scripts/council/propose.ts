/**
 * `council propose <action> <args...>`: checks the arguments, checks the ledger (or the council)
 * would accept the call from the council right now, then proposes it from the member's key, which
 * approves it too.
 */
import { encodeFunctionData, keccak256, parseEventLogs, stringToHex, zeroHash, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { cityCouncilAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import { buildCouncilCall } from "./actions";
import { councilState, refusal, requireMember, sendCouncil, type CouncilChain } from "./chain";
import { CouncilToolError } from "./errors";
import { formatProposal, readProposal } from "./proposals";

export async function propose(c: CouncilChain, account: PrivateKeyAccount, action: string, args: string[], description?: string): Promise<string> {
  const call = await buildCouncilCall(action, args, c);
  requireMember(await councilState(c), account);
  const target = (call.target === "ledger" ? c.deployment.ledger : c.deployment.council) as Hex;
  const abi = call.target === "ledger" ? pointsLedgerAbi : cityCouncilAbi;
  const data = encodeFunctionData({ abi, functionName: call.functionName, args: call.args } as never);
  // As the council would make it: a call that would fail now is not worth the members' time.
  try {
    await c.client.simulateContract({ account: c.deployment.council as Hex, address: target, abi, functionName: call.functionName, args: call.args } as never);
  } catch (error) {
    const e = refusal(error, `${action}`);
    throw new CouncilToolError(e.code, `${e.message} (checked as the council would call it now; nothing was proposed)`);
  }
  const descriptionHash = description ? keccak256(stringToHex(description)) : zeroHash;
  const { hash, receipt } = await sendCouncil(c, account, "propose", [target, data, descriptionHash], "the proposal");
  const [created] = parseEventLogs({ abi: cityCouncilAbi, eventName: "ProposalCreated", logs: receipt.logs });
  const summary = await readProposal(c, await councilState(c), created.args.proposalId);
  return `proposed (tx ${hash})\n${formatProposal(summary)}`;
}
