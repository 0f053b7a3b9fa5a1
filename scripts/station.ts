/**
 * The stations registrar's tool: `npm run station -- <command>`.
 *   list                                   the stations: name, daily limit, open or closed, today's count
 *   add <name> --limit N                   add an open station
 *   limit <stationId> <N>                  change a station's daily limit of assisted operations
 *   close <stationId> | open <stationId>   stop or resume a station's operations
 *   staff <stationId> <account> [--remove] appoint (or remove) a staff member's passkey account
 * Common options: --rpc URL --deployment FILE; writing commands also --key-file FILE (the
 * registrar's key, mode 0600) and, on free-gas networks, --gas-price 0. Each write is simulated
 * first: a refusal (not the registrar, an unknown station, an account without a passkey) is
 * reported with the contract's reason and nothing is sent. Exit status as `npm run council`:
 * 0 done, 1 refused, 2 bad input, 3 the chain could not be reached.
 */
import { Command } from "commander";
import { getAddress, isAddress, type Hex } from "viem";
import { communityStationsAbi } from "../sdk/src/abi";
import { getStation } from "../sdk/src/stations/reads";
import { connect, sendContract, type CouncilChain } from "./council/chain";
import { runAsMain, runTool, processIo, type ToolIo } from "./council/cliRun";
import { CouncilToolError } from "./council/errors";
import { readMemberKey } from "./council/memberKey";

export type StationIo = ToolIo;

interface Common {
  rpc: string;
  deployment: string;
  keyFile?: string;
  gasPrice?: string;
}

function stationsOf(chain: CouncilChain): Hex {
  const address = chain.deployment.communityStations;
  if (!address) throw new CouncilToolError("INVALID_DEPLOYMENT", "the deployment record names no community stations contract (it predates them)");
  return address as Hex;
}

function wholeNumber(value: string, what: string, max = 2 ** 32 - 1): number {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new CouncilToolError("INVALID_ARGUMENT", `${what} must be a whole number up to ${max}, not "${value}"`);
  return Number(value);
}

async function list(chain: CouncilChain): Promise<string> {
  const stations = stationsOf(chain);
  const [count, registrar] = await Promise.all([
    chain.client.readContract({ address: stations, abi: communityStationsAbi, functionName: "stationCount" }),
    chain.client.readContract({ address: stations, abi: communityStationsAbi, functionName: "registrar" }),
  ]);
  const lines = [`registrar ${registrar}; ${count} station${count === 1 ? "" : "s"}`];
  for (let id = 1; id <= count; id++) {
    const s = (await getStation(chain.client, { stations, stationId: id }))!;
    lines.push(`  ${id} ${s.name}: limit ${s.dailyLimit} a day, ${s.countToday} today, ${s.active ? "open" : "closed"}`);
  }
  return lines.join("\n");
}

/** Runs the command line; returns the exit status instead of exiting, so tests can call it. */
export async function runStationCli(argv: string[], io: StationIo = processIo): Promise<number> {
  let task: (() => Promise<string>) | undefined;
  const program = new Command("station").description("Manage community stations and their staff (the registrar's key)").exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  const common = (command: Command, writes: boolean) => {
    command.requiredOption("--rpc <url>", "JSON-RPC endpoint of a node of the chain").requiredOption("--deployment <file>", "deployment record (deployments/<chainId>.json)");
    if (writes) {
      command
        .requiredOption("--key-file <file>", "the registrar's private key (hex), a file only its owner can read (0600)")
        .option("--gas-price <wei>", "legacy transactions at this price (0 on free-gas networks; default: the node's fees)");
    }
    return command;
  };
  const write = (opts: Common, functionName: string, args: (chain: CouncilChain) => readonly unknown[], done: string) => async () => {
    const account = readMemberKey(opts.keyFile!);
    const gasPrice = opts.gasPrice === undefined ? undefined : BigInt(wholeNumber(opts.gasPrice, "--gas-price", Number.MAX_SAFE_INTEGER));
    const chain = await connect(opts.rpc, opts.deployment, gasPrice);
    const { hash } = await sendContract(chain, account, { address: stationsOf(chain), abi: communityStationsAbi, functionName, args: args(chain) }, functionName);
    return `${done} (transaction ${hash})`;
  };
  const account = (value: string): Hex => {
    if (!isAddress(value)) throw new CouncilToolError("INVALID_ARGUMENT", `"${value}" is not an address`);
    return getAddress(value);
  };

  common(program.command("list").description("list the stations"), false).action((opts: Common) => {
    task = async () => list(await connect(opts.rpc, opts.deployment));
  });
  common(program.command("add <name>").description("add an open station").requiredOption("--limit <n>", "most assisted operations per day"), true).action((name: string, opts: Common & { limit: string }) => {
    task = async () => {
      const limit = wholeNumber(opts.limit, "--limit");
      return write(opts, "addStation", () => [name, limit], `added station "${name}" with a limit of ${limit} a day`)();
    };
  });
  common(program.command("limit <stationId> <n>").description("change a station's daily limit"), true).action((id: string, n: string, opts: Common) => {
    task = async () => write(opts, "setStationLimit", () => [wholeNumber(id, "stationId"), wholeNumber(n, "the limit")], `station ${id}'s limit is ${n} a day`)();
  });
  for (const [name, active] of [["close", false], ["open", true]] as const) {
    common(program.command(`${name} <stationId>`).description(`${name} a station`), true).action((id: string, opts: Common) => {
      task = async () => write(opts, "setStationActive", () => [wholeNumber(id, "stationId"), active], `station ${id} is ${active ? "open" : "closed"}`)();
    });
  }
  common(program.command("staff <stationId> <account>").description("appoint a staff member's passkey account").option("--remove", "remove instead"), true).action((id: string, who: string, opts: Common & { remove?: boolean }) => {
    task = async () => {
      const address = account(who);
      const allowed = opts.remove !== true;
      return write(opts, "setStaff", () => [wholeNumber(id, "stationId"), address, allowed], `${address} ${allowed ? "is now staff of" : "is no longer staff of"} station ${id}`)();
    };
  });

  return runTool(program, argv, io, () => task);
}

if (require.main === module) runAsMain((argv) => runStationCli(argv));
