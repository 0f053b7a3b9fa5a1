/**
 * `npm start`: the whole exchange on this machine. A local anvil chain whose state survives restarts
 * (<DATA_DIR>/chain), the contracts deployed once (the record in <DATA_DIR>/deployments is reused),
 * four demo agencies whose keys and API credentials are generated on first start (0600 files under
 * <DATA_DIR>), and the relay on 127.0.0.1:PORT, serving the web app (built first into web/dist when
 * that is missing or older than its sources). Each agency's council key is its own file,
 * <DATA_DIR>/council/<agency>.key, apart from its relay key in the relay's keystore.
 * The chain listens on 127.0.0.1 only, without CORS, on a
 * port drawn at random at each start and told only to the relay: everyone else, the auditor and
 * the demo included, reads the chain through the relay's read-only gateway, <relay>/rpc.
 *
 * With RPC_URL set it runs the relay alone against that chain instead (DEPLOYMENT_FILE,
 * KEYSTORE_FILE, JOURNAL_PATH, RELAY_MASTER_KEY or MASTER_KEY_FILE; see docs/relay.md).
 *
 * Environment: PORT (8080), DATA_DIR (./.data), ANVIL_PORT (a fixed chain port instead of a random
 * one), PERIOD_SECONDS (300, the demo's
 * short settlement period), plus any relay setting (server/config.ts).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { JsonRpcProvider, Wallet, type TransactionRequest } from "ethers";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { CITY_CHAIN, startAnvil } from "./lib/anvil";
import { deployCityLedger, type DeploymentPlan } from "./lib/deploy";
import { DEMO_AGENCIES } from "./lib/demoAgencies";
import { ensureWebBuilt } from "./lib/webBuild";
import type { Deployment } from "../sdk/src/deployment";
import { open, seal } from "../server/auth/secretBox";
import { KEYSTORE_FORMAT, type KeystoreFile } from "../server/keystore";
import { ConfigError } from "../server/errors";
import { randomFreePort } from "./lib/processes";
import { runRelay } from "../server/index";

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

// ─────────────────────────────────────────────────────────── Demo keys, credentials, deployment

export interface DemoFiles {
  masterKeyFile: string;
  keystoreFile: string;
  operatorsFile: string;
  credentialsDir: string;
  deploymentsDir: string;
  journalPath: string;
  /** <DATA_DIR>/council: one <agency>.key per agency, its council member's key, never in the keystore. */
  councilDir: string;
  /**
   * <DATA_DIR>/chain/url (0600): the chain's own URL, for this machine's operator only (the council
   * tool sends its transactions there; the read-only gateway takes none). It tells no more than
   * anvil's command line in `ps` does to a local user.
   */
  chainUrlFile: string;
}

/** Where an agency's council key lives. */
export function councilKeyFile(files: DemoFiles, agency: string): string {
  return join(files.councilDir, `${agency}.key`);
}

export function demoFiles(dataDir: string): DemoFiles {
  return {
    masterKeyFile: join(dataDir, "relay", "master.key"),
    keystoreFile: join(dataDir, "relay", "keystore.json"),
    operatorsFile: join(dataDir, "relay", "operators.json"),
    credentialsDir: join(dataDir, "credentials"),
    deploymentsDir: join(dataDir, "deployments"),
    journalPath: join(dataDir, "relay", "journal.db"),
    councilDir: join(dataDir, "council"),
    chainUrlFile: join(dataDir, "chain", "url"),
  };
}

/**
 * Generates, once, the demo's keys: four agencies (each its domain's agency and issuer, signing in
 * the relay), a pauser, a deployer and the relayer, sealed under a fresh master key; and each
 * agency's council key, a different key, in its own 0600 file outside the relay's keystore, so
 * whoever holds the relay's files holds no council vote. Each agency's API credentials are written
 * for it to <credentials>/<agency>.json. Later starts reuse everything.
 *
 * A data directory from a version before the council keys were separate (a keystore, no council
 * keys) is refused: its council members are the relay's own keys.
 */
export function prepareDemoKeys(dataDir: string, relayUrl: string): DemoFiles {
  const files = demoFiles(dataDir);
  for (const dir of [join(dataDir, "relay"), files.credentialsDir, files.deploymentsDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.masterKeyFile)) writeSecretFile(files.masterKeyFile, randomBytes(32).toString("hex") + "\n");
  const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
  if (existsSync(files.keystoreFile)) {
    const missing = DEMO_AGENCIES.filter((name) => !existsSync(councilKeyFile(files, name)));
    if (missing.length > 0) {
      throw new Error(
        `${dataDir} was created by an older version, in which each agency's council vote was its relay key (no ${councilKeyFile(files, missing[0])}). Move it away, or set DATA_DIR to a new folder, to start afresh with council keys kept apart.`,
      );
    }
    return files;
  }
  mkdirSync(files.councilDir, { recursive: true, mode: 0o700 });
  for (const name of DEMO_AGENCIES) writeSecretFile(councilKeyFile(files, name), generatePrivateKey() + "\n");

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
  const councilMembers = DEMO_AGENCIES.map((name) => privateKeyToAccount(readFileSync(councilKeyFile(files, name), "utf8").trim() as Hex).address);
  const provider = new JsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 1, cacheTimeout: -1, staticNetwork: true });
  const { chainId } = await provider.getNetwork();
  const path = join(files.deploymentsDir, `${chainId}.json`);
  const plan: DeploymentPlan = {
    councilMembers,
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
  await ensureWebBuilt((line) => process.stdout.write(`${line}\n`));
  if (process.env.RPC_URL) {
    await runRelay(process.env);
    return;
  }
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  const port = process.env.PORT ?? "8080";
  const anvilPort = process.env.ANVIL_PORT ? Number(process.env.ANVIL_PORT) : await randomFreePort();
  const periodSeconds = Number(process.env.PERIOD_SECONDS ?? 300);
  if (!Number.isInteger(anvilPort) || anvilPort < 1 || anvilPort > 65_535) throw new ConfigError([`ANVIL_PORT: ${process.env.ANVIL_PORT} is not a port`]);
  if (!Number.isInteger(periodSeconds) || periodSeconds < 1) throw new ConfigError([`PERIOD_SECONDS: ${process.env.PERIOD_SECONDS} is not a positive integer`]);

  const files = prepareDemoKeys(dataDir, `http://127.0.0.1:${port}`);
  // No development accounts: on free gas nothing here needs one, and an unlocked funded key is one
  // less thing a process that finds the port could use.
  const chain = await startAnvil({ port: anvilPort, stateDir: join(dataDir, "chain"), accounts: 0, args: CITY_CHAIN });
  writeFileSync(files.chainUrlFile, `${chain.url}\n`, { mode: 0o600 });
  chmodSync(files.chainUrlFile, 0o600);
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
        `ledger ${deployment.ledger} on the local chain ${deployment.chainId} (period ${deployment.periodSeconds} s)`,
        `relay http://127.0.0.1:${port}; auditors and web pages read the chain at http://127.0.0.1:${port}/rpc`,
        `demo agencies' credentials: ${files.credentialsDir}/<agency>.json (${DEMO_AGENCIES.join(", ")})`,
        `their council keys (for \`npm run council\`, apart from the relay's): ${files.councilDir}/<agency>.key`,
        `open the web app at http://127.0.0.1:${port}/ (the public ledger: http://127.0.0.1:${port}/ledger)`,
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
