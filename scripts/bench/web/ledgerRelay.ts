/**
 * The ledger of `npm run bench:audit` (scripts/lib/auditLedger.ts) with a relay of its own on top:
 * four agency keys made for the run (the relay's keystore holds them, the node sends for them while
 * filling), the relay started on the filled chain, and the time its ledger index takes to catch up.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "../../../sdk/src/deployment";
import { seal } from "../../../server/auth/secretBox";
import { KEYSTORE_FORMAT, type KeystoreFile } from "../../../server/keystore";
import { startUnlockedAnvil, type UnlockedChain } from "../../lib/anvil";
import { AUDIT_LEDGER_ANVIL_ARGS, fillAuditLedger } from "../../lib/auditLedger";
import { DEMO_AGENCIES } from "../../lib/demoAgencies";
import { freePort, killGroup, spawnTs, type Spawned } from "../../lib/processes";

export interface BenchLedger {
  chain: UnlockedChain;
  deployment: Deployment;
  deploymentFile: string;
  fillSeconds: number;
}

export async function fillBenchLedger(dir: string, targetEvents: number): Promise<BenchLedger & { keystoreFile: string; masterKeyFile: string }> {
  const chain = await startUnlockedAnvil({ accounts: 12, args: AUDIT_LEDGER_ANVIL_ARGS });
  const master = randomBytes(32);
  const keys = DEMO_AGENCIES.map(() => generatePrivateKey());
  const keystore: KeystoreFile = {
    format: KEYSTORE_FORMAT,
    relayer: { privateKey: seal(master, generatePrivateKey()) },
    agencies: DEMO_AGENCIES.map((name, i) => ({
      name,
      domainId: i + 1,
      keyId: `${name}-${randomBytes(6).toString("hex")}`,
      secret: seal(master, randomBytes(32).toString("hex")),
      privateKey: seal(master, keys[i]),
    })),
  };
  const keystoreFile = join(dir, "keystore.json");
  const masterKeyFile = join(dir, "master.key");
  writeFileSync(keystoreFile, JSON.stringify(keystore), { mode: 0o600 });
  writeFileSync(masterKeyFile, master.toString("hex") + "\n", { mode: 0o600 });
  const deploymentFile = join(dir, "deployment.json");
  const started = Date.now();
  try {
    const deployment = await fillAuditLedger(chain, deploymentFile, { targetEvents, agencies: keys.map((k) => privateKeyToAccount(k).address) });
    return { chain, deployment, deploymentFile, keystoreFile, masterKeyFile, fillSeconds: (Date.now() - started) / 1000 };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

export interface BenchRelay {
  url: string;
  /** From the relay's start until its index held every block of the chain. */
  indexCatchUpSeconds: number;
  stop(): Promise<void>;
}

/** Starts the relay (server/index.ts) on the ledger and waits until its index has read the chain's head. */
export async function startBenchRelay(ledger: BenchLedger & { keystoreFile: string; masterKeyFile: string }, dir: string): Promise<BenchRelay> {
  const port = await freePort();
  const started = Date.now();
  const relay: Spawned = spawnTs("server/index.ts", {
    RPC_URL: ledger.chain.url,
    DEPLOYMENT_FILE: ledger.deploymentFile,
    KEYSTORE_FILE: ledger.keystoreFile,
    MASTER_KEY_FILE: ledger.masterKeyFile,
    JOURNAL_PATH: join(dir, "journal.sqlite"),
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    LEDGER_INDEX_POLL_MS: "200",
  });
  const stop = async () => {
    if (relay.child.exitCode !== null || relay.child.signalCode !== null) return;
    killGroup(relay, "SIGTERM");
    await relay.exited;
  };
  try {
    await relay.waitFor(/relay listening on/, 120_000);
    const url = `http://127.0.0.1:${port}`;
    const head = Number(await ledger.chain.provider.send("eth_blockNumber", []));
    const deadline = Date.now() + 600_000;
    for (;;) {
      const { index } = (await (await fetch(`${url}/v1/ledger/overview`)).json()) as { index: { block: number } };
      if (index.block >= head) break;
      if (Date.now() > deadline) throw new Error(`the relay's index did not reach block ${head} in 10 minutes (at ${index.block})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, indexCatchUpSeconds: (Date.now() - started) / 1000, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${relay.output().slice(-2000)}`);
  }
}
