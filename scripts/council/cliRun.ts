/**
 * How the council's and the stations registrar's command-line tools run a parsed command: usage
 * errors and no command give the usage exit code, a tool error its own code and message, and the
 * command's answer goes to standard output. One place, so both tools answer the same way.
 */
import type { Command } from "commander";
import { CommanderError } from "commander";
import { COUNCIL_EXIT, CouncilToolError } from "./errors";

export interface ToolIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: ToolIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Parses `argv` with `program`, whose actions set the task `taskOf` returns, and runs that task. */
export async function runTool(program: Command, argv: string[], io: ToolIo, taskOf: () => (() => Promise<string>) | undefined): Promise<number> {
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? COUNCIL_EXIT.ok : COUNCIL_EXIT.usage;
    throw error;
  }
  const task = taskOf();
  if (!task) {
    io.err(program.helpInformation());
    return COUNCIL_EXIT.usage;
  }
  try {
    io.out((await task()) + "\n");
    return COUNCIL_EXIT.ok;
  } catch (error) {
    if (error instanceof CouncilToolError) {
      io.err(`error (${error.code}): ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

/** Runs a tool as the process's main module: its exit code, or the chain's on an unexpected error. */
export function runAsMain(run: (argv: string[]) => Promise<number>): void {
  run(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = COUNCIL_EXIT.chain;
    },
  );
}
