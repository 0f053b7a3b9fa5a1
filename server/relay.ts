/**
 * Assembles a relay from its parts: journal, chain gateway, keystore, lanes, webhooks, HTTP app.
 * Used by index.ts (the process), scripts/start.ts (the local demo) and the tests (in-process chain).
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { http, type Transport } from "viem";
import { parseDeployment, type Deployment } from "../sdk/src/deployment";
import { createApp } from "./app";
import { ChainGateway } from "./chain/gateway";
import { LedgerReads } from "./chain/ledgerReads";
import { PasskeyReads } from "./chain/passkeyReads";
import { PasskeyService } from "./services/passkeys";
import type { RelayConfig } from "./config";
import { ConfigError } from "./errors";
import { EventBus } from "./events/bus";
import { WebhookDispatcher } from "./events/webhooks";
import { loadKeystore, readMasterKey, type Keystore } from "./keystore";
import { createLogger, type Logger } from "./logger";
import { createMetrics } from "./metrics";
import { ChainHealth } from "./pipeline/health";
import { Pipeline } from "./pipeline/pipeline";
import { AgreementService } from "./services/agreements";
import { Intake } from "./services/intake";
import { IntentService } from "./services/intents";
import { IssuingService } from "./services/issuing";
import { PartnerService } from "./services/partners";
import { LedgerQueries } from "./services/queries";
import { SettlementService } from "./services/settlement";
import { SqliteJournal } from "./store/sqliteJournal";
import type { Journal } from "./store/journal";

export interface RelayOptions {
  config: RelayConfig;
  /** Defaults to HTTP JSON-RPC at RPC_URL; tests pass the in-process chain. */
  transport?: Transport;
  deployment?: Deployment;
  keystore?: Keystore;
  journal?: Journal;
  logger?: Logger;
}

export interface Relay {
  app: ReturnType<typeof createApp>;
  journal: Journal;
  keystore: Keystore;
  deployment: Deployment;
  /** Starts the lanes and webhooks (reconciling every unfinished entry first) and listens on HOST:PORT. */
  start(options?: { listen?: boolean }): Promise<{ url?: string }>;
  stop(): Promise<void>;
}

export function readDeployment(path: string): Deployment {
  try {
    return parseDeployment(JSON.parse(readFileSync(path, "utf8")));
  } catch (error) {
    throw new ConfigError([`DEPLOYMENT_FILE ${path}: ${(error as Error).message}`], { cause: error });
  }
}

export async function createRelay(options: RelayOptions): Promise<Relay> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const deployment = options.deployment ?? readDeployment(config.DEPLOYMENT_FILE);
  const keystore = options.keystore ?? loadKeystore(config.KEYSTORE_FILE, readMasterKey(config), deployment);
  const transport = options.transport ?? http(config.RPC_URL, { batch: { batchSize: 500, wait: 1 }, retryCount: 1, timeout: 10_000 });
  const health = new ChainHealth();
  const gateway = new ChainGateway(transport, health);
  try {
    const chainId = await gateway.chainId();
    if (chainId !== deployment.chainId) {
      throw new ConfigError([`RPC_URL: the node is chain ${chainId}, but the deployment record is for chain ${deployment.chainId}`]);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    logger.warn({ err: (error as Error).message }, "chain unreachable at start; writes are journaled until it returns");
  }
  const journal = options.journal ?? new SqliteJournal(config.JOURNAL_PATH);
  const metrics = createMetrics({ defaultMetrics: true });
  const reads = new LedgerReads(gateway, deployment.ledger, BigInt(deployment.deployBlock));
  const passkeyReads = new PasskeyReads(gateway, deployment.passkeyAccounts);
  const pipeline = new Pipeline(
    { operations: journal.operations, transactions: journal.transactions, gateway, ledger: deployment.ledger, passkeyAccounts: deployment.passkeyAccounts, chainId: deployment.chainId, config, health, logger, metrics },
    [...keystore.agencies.map((a) => a.account), keystore.relayer],
  );
  journal.events.onEvents((events) => {
    for (const e of events) if (e.type !== "operation.submitted") metrics.operationsFinished.inc({ status: e.type.slice("operation.".length) });
  });
  const bus = new EventBus(journal.events);
  const intake = new Intake(journal.operations, pipeline, health, config, metrics);
  const webhooks = new WebhookDispatcher(keystore.agencies, journal.events, bus, logger, metrics, config.WEBHOOK_TIMEOUT_MS);
  const app = createApp({
    config,
    chainId: deployment.chainId,
    ledger: deployment.ledger,
    journal,
    queries: new LedgerQueries(reads, gateway),
    issuing: new IssuingService(intake, reads, logger),
    intents: new IntentService(deployment.chainId, deployment.ledger, keystore.relayer.address, intake, reads, passkeyReads, journal.operations),
    passkeys: new PasskeyService(keystore.relayer.address, intake, passkeyReads),
    agreements: new AgreementService(intake),
    settlement: new SettlementService(intake),
    partners: new PartnerService(intake),
    keystore,
    bus,
    health,
    gateway,
    logger,
    metrics,
  });

  let server: Server | undefined;
  return {
    app,
    journal,
    keystore,
    deployment,
    async start({ listen = true } = {}) {
      pipeline.start();
      webhooks.start();
      if (!listen) return {};
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(config.PORT, config.HOST, () => resolve(s));
        s.once("error", reject);
      });
      server.keepAliveTimeout = 65_000;
      const address = server.address() as AddressInfo;
      const url = `http://${config.HOST}:${address.port}`;
      logger.info({ url, ledger: deployment.ledger, chainId: deployment.chainId, agencies: keystore.agencies.map((a) => a.name) }, "relay listening");
      return { url };
    },
    async stop() {
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
      await pipeline.stop();
      await webhooks.stop();
      await journal.close();
    },
  };
}
