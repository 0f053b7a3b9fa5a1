/**
 * Reading the council's proposals for people: the decoded call, who approved, how many more
 * approvals are needed, when it expires, and whether it is still open.
 */
import type { Hex } from "viem";
import { cityCouncilAbi } from "../../sdk/src/abi";
import { decodeCouncilCall, formatCouncilCall } from "../../sdk/src/council/calls";
import type { CouncilChain, CouncilState } from "./chain";

export interface ProposalSummary {
  id: bigint;
  call: string;
  proposer: Hex;
  approvedBy: Hex[];
  approvals: number;
  needed: number;
  expiresAt: bigint;
  status: "open" | "executed" | "expired";
}

export async function readProposal(c: CouncilChain, state: CouncilState, id: bigint): Promise<ProposalSummary> {
  const address = c.deployment.council as Hex;
  const p = await c.client.readContract({ address, abi: cityCouncilAbi, functionName: "proposal", args: [id] });
  const approved = await Promise.all(state.members.map((m) => c.client.readContract({ address, abi: cityCouncilAbi, functionName: "hasApproved", args: [id, m] })));
  const approvedBy = state.members.filter((_, i) => approved[i]);
  const expiresAt = BigInt(p.expiresAt);
  return {
    id,
    call: formatCouncilCall(decodeCouncilCall(c.deployment, p.target, p.data)),
    proposer: p.proposer,
    approvedBy,
    approvals: Number(p.approvals),
    needed: Math.max(0, Number(state.threshold) - Number(p.approvals)),
    expiresAt,
    status: p.executed ? "executed" : state.now > expiresAt ? "expired" : "open",
  };
}

export function formatProposal(p: ProposalSummary): string {
  const when = new Date(Number(p.expiresAt) * 1000).toISOString();
  const state =
    p.status === "executed" ? "executed" : p.status === "expired" ? `expired ${when}` : `${p.needed === 0 ? "ready to execute" : `needs ${p.needed} more approval(s)`}, expires ${when}`;
  return [
    `proposal ${p.id}: ${p.call}`,
    `  proposed by ${p.proposer}; approvals ${p.approvals}${p.approvedBy.length ? ` (${p.approvedBy.join(", ")})` : ""}; ${state}`,
  ].join("\n");
}
