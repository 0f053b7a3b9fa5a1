/**
 * The auditor's command line: rebuilds a deployment's ledger from a chain node and checks
 * invariants I1-I8 (I8 includes that the contracts run this repository's code), with a progress
 * bar, a human summary and a JSON report.
 *   npm run audit -- --rpc http://127.0.0.1:8545 --deployment deployments/31337.json [--json report.json]
 * Exit status: 0 no violation, 1 violations found, 2 usage error (arguments, deployment file),
 * 3 the chain could not be read (unreachable node, wrong chain, RPC error, or the record's ledger
 * address holds code that is not this ledger and cannot be read as one: CODE_MISMATCH).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError as CommanderInvalidArgument, Option } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { audit, type AuditProgress } from "../sdk/src/auditor/audit";
import { formatAuditSummary } from "../sdk/src/auditor/report";
import { CityPointsError } from "../sdk/src/errors/base";

export const EXIT = { ok: 0, violations: 1, usage: 2, chain: 3 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Show the progress bar (default: when stderr is a terminal). */
  progress?: boolean;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new CommanderInvalidArgument("must be a non-negative integer");
  return Number(value);
}

function buildProgram(io: CliIo): Command {
  return new Command("audit")
    .description("Rebuild the city points ledger from the chain alone and check invariants I1-I8.")
    .requiredOption("--rpc <url>", "JSON-RPC endpoint of any node of the chain (http or https)")
    .requiredOption("--deployment <file>", "deployment record (deployments/<chainId>.json)")
    .option("--json <file>", 'write the JSON report to this file ("-" for standard output)')
    .option("--from-block <n>", "first block to read (default: the deployment block)", integer)
    .option("--to-block <n>", "block to audit (default: the latest)", integer)
    .option("--max-block-range <n>", "most blocks per eth_getLogs (default 5000, Besu's limit)", integer)
    .option("--max-violations <n>", "violations kept in the report (all are counted; default 1000)", integer)
    .addOption(new Option("--read-method <method>", "how balances are read").choices(["auto", "state-override", "batched-calls"]).default("auto"))
    .option("--no-progress", "no progress bar")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
}

/** Runs the command line; returns the exit status instead of exiting, so tests can call it. */
export async function runAuditCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
  const options = program.opts<{
    rpc: string;
    deployment: string;
    json?: string;
    fromBlock?: number;
    toBlock?: number;
    maxBlockRange?: number;
    maxViolations?: number;
    readMethod: "auto" | "state-override" | "batched-calls";
    progress: boolean;
  }>();

  let deployment: unknown;
  try {
    deployment = JSON.parse(readFileSync(options.deployment, "utf8"));
  } catch (error) {
    io.err(`error: cannot read the deployment record ${options.deployment}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const showProgress = options.progress && (io.progress ?? process.stderr.isTTY === true);
  const bar = showProgress ? new SingleBar({ format: "{phase} [{bar}] {percentage}% | {detail}", hideCursor: true, clearOnComplete: true }, Presets.shades_classic) : undefined;
  let phase: AuditProgress["phase"] | undefined;
  const onProgress = (p: AuditProgress) => {
    if (!bar) return;
    if (p.phase !== phase) {
      if (phase) bar.stop();
      phase = p.phase;
      bar.start(p.phase === "events" ? Math.max(1, p.toBlock - p.fromBlock + 1) : Math.max(1, p.total), 0, { phase: p.phase.padEnd(8), detail: "" });
    }
    if (p.phase === "events") bar.update(p.block - p.fromBlock + 1, { phase: "events  ", detail: `block ${p.block}, ${p.events} events` });
    else bar.update(p.done, { phase: "balances", detail: `${p.done}/${p.total} reads` });
  };

  try {
    const report = await audit({
      rpcUrl: options.rpc,
      deployment,
      fromBlock: options.fromBlock,
      toBlock: options.toBlock,
      maxBlockRange: options.maxBlockRange,
      maxViolations: options.maxViolations,
      readMethod: options.readMethod,
      onProgress,
    });
    bar?.stop();
    const json = JSON.stringify(report, null, 2) + "\n";
    if (options.json === "-") {
      io.out(json);
      io.err(formatAuditSummary(report) + "\n");
    } else {
      if (options.json) writeFileSync(options.json, json);
      io.out(formatAuditSummary(report) + "\n");
    }
    return report.ok ? EXIT.ok : EXIT.violations;
  } catch (error) {
    bar?.stop();
    if (error instanceof CityPointsError) {
      io.err(`error: ${error.shortMessage}\n`);
      const usage = error.code === "INVALID_DEPLOYMENT" || error.code === "INVALID_ARGUMENT";
      return usage ? EXIT.usage : EXIT.chain;
    }
    throw error;
  }
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = EXIT.chain;
    },
  );
}
