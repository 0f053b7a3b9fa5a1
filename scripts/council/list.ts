/** `council list [--all]`: the open proposals (or every one), newest last. */
import { councilState, type CouncilChain } from "./chain";
import { formatProposal, readProposal } from "./proposals";

export async function listProposals(c: CouncilChain, all: boolean): Promise<string> {
  const state = await councilState(c);
  const lines = [`council ${c.deployment.council}: ${state.members.length} members, ${state.threshold} approvals needed`];
  let shown = 0;
  for (let id = 1n; id <= state.proposalCount; id++) {
    const p = await readProposal(c, state, id);
    if (!all && p.status !== "open") continue;
    lines.push(formatProposal(p));
    shown++;
  }
  if (shown === 0) lines.push(all ? "no proposals yet" : "no open proposals");
  return lines.join("\n");
}
