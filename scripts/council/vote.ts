/** `council approve|revoke|execute <proposalId>`: one member's step on an open proposal. */
import type { PrivateKeyAccount } from "viem/accounts";
import { councilState, requireMember, sendCouncil, type CouncilChain } from "./chain";
import { CouncilToolError } from "./errors";
import { formatProposal, readProposal } from "./proposals";

const STEP = {
  approve: { functionName: "approve", done: "approved" },
  revoke: { functionName: "revokeApproval", done: "revoked the approval of" },
  execute: { functionName: "execute", done: "executed" },
} as const;

export type VoteStep = keyof typeof STEP;

function proposalId(value: string): bigint {
  if (!/^[1-9]\d*$/.test(value)) throw new CouncilToolError("INVALID_ARGUMENT", `a proposal id is a whole number from 1, not "${value}"`);
  return BigInt(value);
}

export async function vote(c: CouncilChain, account: PrivateKeyAccount, step: VoteStep, id: string): Promise<string> {
  const proposal = proposalId(id);
  requireMember(await councilState(c), account);
  const { hash } = await sendCouncil(c, account, STEP[step].functionName, [proposal], `${step} of proposal ${proposal}`);
  const summary = await readProposal(c, await councilState(c), proposal);
  return `${STEP[step].done} proposal ${proposal} (tx ${hash})\n${formatProposal(summary)}`;
}
