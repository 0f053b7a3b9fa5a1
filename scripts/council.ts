/**
 * `npm run council -- <command>`: the council's work without hand-made contract calls.
 *   list [--all]                          open proposals: the decoded call, approvals, what is missing, expiry
 *   propose <action> <args...>            propose a council action by name (see --help for the actions)
 *   approve | revoke | execute <id>       a member's step on an open proposal
 * Common options: --rpc URL --deployment FILE; writing commands also --key-file FILE (the member's
 * own key, mode 0600) and, on free-gas networks, --gas-price 0.
 * Exit status: 0 done, 1 refused by the council or the ledger (not a member, expired, already
 * approved, too few approvals, a call that would fail), 2 bad input, 3 the chain could not be reached.
 */
import { Command } from "commander";
import { actionsHelp } from "./council/actions";
import { connect } from "./council/chain";
import { runAsMain, runTool, processIo, type ToolIo } from "./council/cliRun";
import { CouncilToolError } from "./council/errors";
import { listProposals } from "./council/list";
import { readMemberKey } from "./council/memberKey";
import { propose } from "./council/propose";
import { vote, type VoteStep } from "./council/vote";

export type CouncilIo = ToolIo;

interface Common {
  rpc: string;
  deployment: string;
  keyFile?: string;
  gasPrice?: string;
}

function gasPrice(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CouncilToolError("INVALID_ARGUMENT", `--gas-price must be a whole number of wei, not "${value}"`);
  return BigInt(value);
}

function withCommon(command: Command, writes: boolean): Command {
  command.requiredOption("--rpc <url>", "JSON-RPC endpoint of a node of the chain").requiredOption("--deployment <file>", "deployment record (deployments/<chainId>.json)");
  if (writes) {
    command
      .requiredOption("--key-file <file>", "the member's own private key (hex), a file only its owner can read (0600)")
      .option("--gas-price <wei>", "legacy transactions at this price (0 on free-gas networks; default: the node's fees)");
  }
  return command;
}

/** Runs the command line; returns the exit status instead of exiting, so tests can call it. */
export async function runCouncilCli(argv: string[], io: CouncilIo = processIo): Promise<number> {
  let task: (() => Promise<string>) | undefined;
  const program = new Command("council")
    .description("Propose, approve, revoke and execute city council decisions")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const writer = (opts: Common) => async () => {
    const account = readMemberKey(opts.keyFile!);
    return { account, chain: await connect(opts.rpc, opts.deployment, gasPrice(opts.gasPrice)) };
  };

  withCommon(program.command("list").description("list open proposals").option("--all", "also executed and expired ones"), false).action((opts: Common & { all?: boolean }) => {
    task = async () => listProposals(await connect(opts.rpc, opts.deployment), opts.all === true);
  });
  withCommon(program.command("propose <action> [args...]").description("propose an action by name").option("--description <text>", "why (only its hash goes on chain)"), true)
    .addHelpText("after", `\nActions:\n${actionsHelp()}`)
    .action((action: string, args: string[], opts: Common & { description?: string }) => {
      task = async () => {
        const { account, chain } = await writer(opts)();
        return propose(chain, account, action, args, opts.description);
      };
    });
  for (const step of ["approve", "revoke", "execute"] as VoteStep[]) {
    withCommon(program.command(`${step} <proposalId>`).description(`${step === "revoke" ? "withdraw your approval of" : step} a proposal`), true).action((id: string, opts: Common) => {
      task = async () => {
        const { account, chain } = await writer(opts)();
        return vote(chain, account, step, id);
      };
    });
  }

  return runTool(program, argv, io, () => task);
}

if (require.main === module) runAsMain((argv) => runCouncilCli(argv));
