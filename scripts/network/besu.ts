/**
 * `npm run network:besu -- --validators N --out DIR`: writes a Besu QBFT network definition for the city
 * (genesis, node keys and configs, allowlists, operator's guide). Prints public facts only.
 */
import { Command } from "commander";
import { CITY_CHAIN_ID } from "../../config/networks";
import { readPlan } from "./deploy/plan";
import { generateProfile } from "./besu/profile";
import { MIN_QBFT_VALIDATORS } from "./qbft";

interface Options {
  validators: string;
  out: string;
  auditorNodes: string;
  chainId: string;
  blockPeriod: string;
  names?: string;
  hosts?: string;
  rpcHost: string;
  rpcPort: string;
  p2pPort: string;
  deployer?: string;
  accounts?: string;
  plan?: string;
}

const list = (value?: string) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined);

function main(argv: string[]): void {
  const o = new Command("network:besu")
    .description("Generate a Hyperledger Besu QBFT network definition for the city points ledger")
    .requiredOption("--validators <n>", `number of validators, one per agency (at least ${MIN_QBFT_VALIDATORS})`)
    .requiredOption("--out <dir>", "output folder (must not exist or be empty)")
    .option("--auditor-nodes <n>", "non-validating nodes for auditors", "0")
    .option("--chain-id <id>", "chain id", String(CITY_CHAIN_ID))
    .option("--block-period <seconds>", "QBFT block period", "2")
    .option("--names <list>", "validator names, comma-separated (e.g. volunteer,transport,culture,environment)")
    .option("--hosts <list>", "P2P host of each node (validators, then auditor nodes), or one host for all", "127.0.0.1")
    .option("--rpc-host <host>", "interface JSON-RPC binds to on each node's host", "127.0.0.1")
    .option("--rpc-port <port>", "JSON-RPC port (consecutive ports for nodes sharing a host)", "8545")
    .option("--p2p-port <port>", "P2P port (consecutive ports for nodes sharing a host)", "30303")
    .option("--deployer <address>", "the deployer's account, for the account allowlist")
    .option("--accounts <list>", "more accounts that may send transactions (relays' signers, council members, pauser)")
    .option("--plan <file>", "a deployment plan whose council, pauser, agencies and issuers join the account allowlist")
    .parse(argv)
    .opts<Options>();

  const plan = o.plan ? readPlan(o.plan) : undefined;
  const planAccounts = plan ? [...plan.councilMembers, plan.pauser, ...plan.domains.flatMap((d) => [d.agency, ...d.issuers.map((i) => i.address)])] : [];
  const summary = generateProfile({
    out: o.out,
    validators: Number(o.validators),
    auditorNodes: Number(o.auditorNodes),
    chainId: Number(o.chainId),
    blockPeriodSeconds: Number(o.blockPeriod),
    names: list(o.names),
    hosts: list(o.hosts),
    rpcHost: o.rpcHost,
    rpcPort: Number(o.rpcPort),
    p2pPort: Number(o.p2pPort),
    accounts: [...(o.deployer ? [o.deployer] : []), ...(list(o.accounts) ?? []), ...planAccounts],
  });

  console.log(`wrote a QBFT network of ${summary.nodes.filter((n) => n.role === "validator").length} validators (chain ${summary.chainId}) to ${summary.out}`);
  for (const n of summary.nodes) console.log(`  ${n.role.padEnd(9)} ${n.name.padEnd(14)} ${n.address}  ${n.folder}/`);
  console.log(`  account allowlist: ${summary.accountsAllowlist.length} accounts${o.deployer || plan || o.accounts ? "" : " (validators only: add the deployer and relays' signers with --deployer, --accounts or --plan)"}`);
  console.log(`node keys are in each node's folder (mode 0600); read ${summary.out}/README.md next`);
}

try {
  main(process.argv);
} catch (error) {
  const e = error as Error & { code?: string };
  console.error(`network:besu failed${e.name === "NetworkToolError" ? ` (${e.code})` : ""}: ${e.message}`);
  process.exit(1);
}
