/**
 * `npm run deploy -- --network NAME`: deploys the council and the ledger to a configured network
 * (config/networks.ts) from its plan (config/deploy/<network>.json), resumably and idempotently, writes
 * deployments/<chainId>.json, then checks the roles and settings on chain. A second run sends nothing.
 */
import { join, resolve } from "node:path";
import { Command } from "commander";
import { networks } from "../config/networks";
import { runCityDeployment, type DeploymentPlan } from "./lib/deploy";
import type { Deployment } from "../sdk/src/deployment";
import { NetworkToolError } from "./network/errors";
import { readPlan } from "./network/deploy/plan";
import { verifyDeployment } from "./network/deploy/verify";
import { requireDeployerKey } from "./network/keys";
import { providerFor, rpcCall } from "./network/rpc";

const ROOT = join(__dirname, "..");

interface Options {
  network: string;
  rpc?: string;
  plan?: string;
  deployerKeyFile?: string;
  deployments: string;
}

async function main(argv: string[]): Promise<number> {
  const options = new Command("deploy")
    .description("Deploy the city points ledger to a configured network")
    .requiredOption("--network <name>", `network profile: ${Object.keys(networks).join(", ")}`)
    .option("--rpc <url>", "JSON-RPC endpoint (default: the profile's)")
    .option("--plan <file>", "deployment plan (default: the profile's)")
    .option("--deployer-key-file <file>", "file holding the deployer's private key (hex)")
    .option("--deployments <dir>", "where deployment records live", join(ROOT, "deployments"))
    .parse(argv)
    .opts<Options>();

  const profile = networks[options.network];
  if (!profile) throw new NetworkToolError("INVALID_ARGUMENT", `unknown network "${options.network}": configured are ${Object.keys(networks).join(", ")}`);
  const url = options.rpc ?? profile.rpcUrl;
  const chainId = Number(BigInt(await rpcCall<string>(url, "eth_chainId")));
  if (chainId !== profile.chainId) {
    throw new NetworkToolError("WRONG_CHAIN", `${url} is chain ${chainId}, but network "${options.network}" is chain ${profile.chainId}: wrong endpoint?`, { chainId });
  }
  const planPath = resolve(options.plan ?? join(ROOT, profile.plan));
  const plan = readPlan(planPath);
  const provider = providerFor(url, chainId);
  const deployer = requireDeployerKey({
    file: options.deployerKeyFile,
    fileEnv: profile.deployerKeyFileEnv,
    keyEnv: profile.deployerKeyEnv,
    warn: (line) => console.error(line),
  }).connect(provider);
  const recordPath = join(resolve(options.deployments), `${chainId}.json`);

  console.log(`deploying to "${options.network}" (chain ${chainId}) at ${url} from ${deployer.address}, plan ${planPath}`);
  const report = await runCityDeployment(deployer, plan, recordPath, { fees: profile.fees, confirmTimeoutMs: profile.confirmTimeoutMs, log: (l) => console.log(`  ${l}`) });
  const { record } = report;
  if (report.alreadyDeployed) {
    console.log(`already deployed (${recordPath}): nothing sent`);
    const differences = compareWithPlan(record, plan);
    if (differences.length > 0) {
      throw new NetworkToolError(
        "RECORD_MISMATCH",
        `${recordPath} was deployed from a different plan (${differences.join("; ")}): change a live deployment through the council, or move the record away to deploy anew`,
        { differences },
      );
    }
  } else {
    console.log(`${report.resumed ? "resumed and finished" : "deployed"}: ${report.sent.length} transaction(s) sent; record written to ${recordPath}`);
  }
  console.log(`  council ${record.council}\n  ledger  ${record.ledger} (block ${record.deployBlock})`);
  if (record.communityStations) console.log(`  community stations ${record.communityStations}`);

  const findings = await verifyDeployment(provider, record, plan, deployer.address);
  for (const f of findings) console.log(`  ${f.ok ? "ok  " : "FAIL"}  ${f.check}: ${f.detail}`);
  for (const d of record.domains) console.log(`  domain ${d.id} ${d.name}: agency ${d.agency}; its relay signs as ${d.issuers.join(" or ") || "(no issuer yet)"}`);
  const failed = findings.filter((f) => !f.ok);
  if (failed.length > 0) {
    console.error(`on-chain check failed: ${failed.map((f) => f.check).join(", ")}`);
    return 1;
  }
  return 0;
}

/** What the plan asks for that the record (deployed earlier) does not have. */
function compareWithPlan(record: Deployment, plan: DeploymentPlan): string[] {
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase()).join(",");
  const out: string[] = [];
  if (lower(record.councilMembers) !== lower(plan.councilMembers)) out.push("council members differ");
  if (record.councilThreshold !== plan.councilThreshold) out.push(`council threshold ${record.councilThreshold} ≠ ${plan.councilThreshold}`);
  if (record.pauser.toLowerCase() !== plan.pauser.toLowerCase()) out.push("pauser differs");
  if (record.periodSeconds !== plan.periodSeconds) out.push(`period ${record.periodSeconds} s ≠ ${plan.periodSeconds} s`);
  const recordDomains = record.domains.map((d) => `${d.name}:${d.agency}:${lower(d.issuers)}`.toLowerCase()).join("|");
  const planDomains = plan.domains.map((d) => `${d.name}:${d.agency}:${lower(d.issuers.map((i) => i.address))}`.toLowerCase()).join("|");
  if (recordDomains !== planDomains) out.push("domains, agencies or issuers differ");
  return out;
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const e = error as Error & { code?: string };
    console.error(`deploy failed${e.name === "NetworkToolError" ? ` (${e.code})` : ""}: ${e.message}`);
    process.exit(1);
  },
);
