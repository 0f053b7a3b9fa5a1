/**
 * `npm start`: the whole exchange on this machine. A local anvil chain whose state survives restarts
 * (<DATA_DIR>/chain), the contracts deployed once (the record in <DATA_DIR>/deployments is reused),
 * four demo agencies whose keys and API credentials are generated on first start (0600 files under
 * <DATA_DIR>), and the relay on 127.0.0.1:PORT.
 *
 * With RPC_URL set it runs the relay alone against that chain instead (DEPLOYMENT_FILE,
 * KEYSTORE_FILE, JOURNAL_PATH, RELAY_MASTER_KEY or MASTER_KEY_FILE; see docs/relay.md).
 *
 * Environment: PORT (8080), DATA_DIR (./.data), ANVIL_PORT (8545), PERIOD_SECONDS (300, the demo's
 * short settlement period), plus any relay setting (server/config.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { JsonRpcProvider, Wallet, type TransactionRequest } from "ethers";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { deployCityLedger, type DeploymentPlan } from "./lib/deploy";
import type { Deployment } from "../sdk/src/deployment";
import { open, seal } from "../server/auth/secretBox";
import { KEYSTORE_FORMAT, type KeystoreFile } from "../server/keystore";
import { ConfigError } from "../server/errors";
import { runRelay } from "../server/index";

export const DEMO_AGENCIES = ["volunteer", "transport", "culture", "environment"] as const;
const DEMO_QUOTA = 10n ** 15n;

/** Writes a file only its owner may read. */
function writeSecretFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** A wallet for free-gas chains: legacy transactions at gas price 0, so unfunded keys can deploy. */
class FreeGasWallet extends Wallet {
  override async populateTransaction(tx: TransactionRequest) {
    return super.populateTransaction({ ...tx, type: 0, gasPrice: 0n });
  }
}

// ─────────────────────────────────────────────────────────── The local chain

export interface LocalChain {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An anvil left running by a killed `npm start` would hold the port and the state file: stop it. */
async function stopStaleAnvil(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  if (!pid || !alive(pid)) return;
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return;
  }
  if (!cmdline.includes("anvil")) return;
  try {
    process.kill(-pid, "SIGTERM"); // its own process group: the launcher and the anvil binary
  } catch {
    process.kill(pid, "SIGTERM");
  }
  for (let i = 0; i < 50 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

export async function startAnvil(options: { port: number; stateDir?: string; extraArgs?: string[] }): Promise<LocalChain> {
  const bin = join(__dirname, "..", "node_modules", ".bin", "anvil");
  const args = ["--host", "127.0.0.1", "--port", String(options.port), "--hardfork", "cancun", "--block-base-fee-per-gas", "0", "--gas-price", "0", "--quiet"];
  let log: number | "ignore" = "ignore";
  if (options.stateDir) {
    mkdirSync(options.stateDir, { recursive: true });
    await stopStaleAnvil(join(options.stateDir, "anvil.pid"));
    args.push("--state", join(options.stateDir, "state.json"), "--state-interval", "1");
    log = openSync(join(options.stateDir, "anvil.log"), "a");
  }
  args.push(...(options.extraArgs ?? []));
  // Its own process group, so stopping it reaches the anvil binary behind the npm launcher.
  const child = spawn(bin, args, { stdio: ["ignore", log, log], detached: true });
  if (options.stateDir && child.pid) writeFileSync(join(options.stateDir, "anvil.pid"), String(child.pid));
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited at start (code ${child.exitCode}); is port ${options.port} taken?`);
    try {
      const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      signalGroup(child, "SIGKILL");
      throw new Error(`anvil did not answer on ${url} within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, "SIGTERM"); // anvil writes its state on the way out
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ─────────────────────────────────────────────────────────── Demo keys, credentials, deployment

export interface DemoFiles {
  masterKeyFile: string;
  keystoreFile: string;
  operatorsFile: string;
  credentialsDir: string;
  deploymentsDir: string;
  journalPath: string;
}

export function demoFiles(dataDir: string): DemoFiles {
  return {
    masterKeyFile: join(dataDir, "relay", "master.key"),
    keystoreFile: join(dataDir, "relay", "keystore.json"),
    operatorsFile: join(dataDir, "relay", "operators.json"),
    credentialsDir: join(dataDir, "credentials"),
    deploymentsDir: join(dataDir, "deployments"),
    journalPath: join(dataDir, "relay", "journal.db"),
  };
}

/**
 * Generates, once, the demo's keys: four agencies (each its domain's agency, issuer and council
 * member), a pauser, a deployer and the relayer; sealed under a fresh master key. Each agency's API
 * credentials are written for it to <credentials>/<agency>.json. Later starts reuse everything.
 */
export function prepareDemoKeys(dataDir: string, relayUrl: string): DemoFiles {
  const files = demoFiles(dataDir);
  for (const dir of [join(dataDir, "relay"), files.credentialsDir, files.deploymentsDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.masterKeyFile)) writeSecretFile(files.masterKeyFile, randomBytes(32).toString("hex") + "\n");
  const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
  if (existsSync(files.keystoreFile)) return files;

  const agencies = DEMO_AGENCIES.map((name, i) => ({
    name,
    domainId: i + 1,
    keyId: `${name}-${randomBytes(6).toString("hex")}`,
    secret: randomBytes(32).toString("hex"),
    privateKey: generatePrivateKey(),
  }));
  writeSecretFile(
    files.operatorsFile,
    JSON.stringify({ deployer: seal(master, generatePrivateKey()), pauser: seal(master, generatePrivateKey()) }, null, 2) + "\n",
  );
  for (const a of agencies) {
    writeSecretFile(
      join(files.credentialsDir, `${a.name}.json`),
      JSON.stringify(
        { agency: a.name, domainId: a.domainId, relayUrl, keyId: a.keyId, secret: a.secret, signer: privateKeyToAccount(a.privateKey).address },
        null,
        2,
      ) + "\n",
    );
  }
  const keystore: KeystoreFile = {
    format: KEYSTORE_FORMAT,
    relayer: { privateKey: seal(master, generatePrivateKey()) },
    agencies: agencies.map((a) => ({ name: a.name, domainId: a.domainId, keyId: a.keyId, secret: seal(master, a.secret), privateKey: seal(master, a.privateKey) })),
  };
  writeSecretFile(files.keystoreFile, JSON.stringify(keystore, null, 2) + "\n"); // written last: its presence means "done"
  return files;
}

/** Deploys the demo ledger once; a record whose contracts exist is reused. */
export async function deployDemo(rpcUrl: string, files: DemoFiles, periodSeconds: number): Promise<{ deployment: Deployment; path: string }> {
  const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
  const operators = JSON.parse(readFileSync(files.operatorsFile, "utf8")) as { deployer: string; pauser: string };
  const keystore = JSON.parse(readFileSync(files.keystoreFile, "utf8")) as KeystoreFile;
  const agencyAddresses = keystore.agencies.map((a) => privateKeyToAccount(open(master, a.privateKey) as Hex).address);
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true });
  const { chainId } = await provider.getNetwork();
  const path = join(files.deploymentsDir, `${chainId}.json`);
  const plan: DeploymentPlan = {
    councilMembers: agencyAddresses,
    councilThreshold: 2,
    pauser: privateKeyToAccount(open(master, operators.pauser) as Hex).address,
    periodSeconds,
    domains: DEMO_AGENCIES.map((name, i) => ({
      name,
      agency: agencyAddresses[i],
      pointValue: 10 * (i + 1),
      residentCap: 0n,
      transferable: name === "culture",
      issuers: [{ address: agencyAddresses[i], quota: DEMO_QUOTA }],
    })),
  };
  const deployer = new FreeGasWallet(open(master, operators.deployer), provider);
  const deployment = await deployCityLedger(deployer, plan, path, { fees: "free" });
  provider.destroy();
  return { deployment, path };
}

// ─────────────────────────────────────────────────────────── Entry point

async function main(): Promise<void> {
  if (process.env.RPC_URL) {
    await runRelay(process.env);
    return;
  }
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  const port = process.env.PORT ?? "8080";
  const anvilPort = Number(process.env.ANVIL_PORT ?? 8545);
  const periodSeconds = Number(process.env.PERIOD_SECONDS ?? 300);
  if (!Number.isInteger(anvilPort) || anvilPort < 1 || anvilPort > 65_535) throw new ConfigError([`ANVIL_PORT: ${process.env.ANVIL_PORT} is not a port`]);
  if (!Number.isInteger(periodSeconds) || periodSeconds < 1) throw new ConfigError([`PERIOD_SECONDS: ${process.env.PERIOD_SECONDS} is not a positive integer`]);

  const files = prepareDemoKeys(dataDir, `http://127.0.0.1:${port}`);
  const chain = await startAnvil({ port: anvilPort, stateDir: join(dataDir, "chain") });
  let relay: Awaited<ReturnType<typeof runRelay>> | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await relay?.stop().catch(() => undefined);
    await chain.stop();
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  chain.process.once("exit", () => {
    if (!stopping) {
      process.stderr.write("the local chain (anvil) exited; stopping\n");
      void shutdown(1);
    }
  });
  try {
    const { deployment, path } = await deployDemo(chain.url, files, periodSeconds);
    relay = await runRelay(
      {
        ...process.env,
        PORT: port,
        RPC_URL: chain.url,
        DEPLOYMENT_FILE: path,
        KEYSTORE_FILE: files.keystoreFile,
        MASTER_KEY_FILE: files.masterKeyFile,
        JOURNAL_PATH: files.journalPath,
      },
      { handleSignals: false },
    );
    process.stdout.write(
      [
        `ledger ${deployment.ledger} on the local chain ${chain.url} (chain ${deployment.chainId}, period ${deployment.periodSeconds} s)`,
        `demo agencies' credentials: ${files.credentialsDir}/<agency>.json (volunteer, transport, culture, environment)`,
        "Ctrl-C stops; `npm start` again resumes with every balance, operation and credential.",
        "",
      ].join("\n"),
    );
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `start failed: ${(error as Error).message}`}\n`);
    await shutdown(1);
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `start failed: ${(error as Error).message}`}\n`);
    process.exit(1);
  });
}
