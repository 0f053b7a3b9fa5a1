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
import { createNodeFetch } from "./chain/nodeFetch";
import { LedgerReads } from "./chain/ledgerReads";
import type { RelayConfig } from "./config";
import { ConfigError } from "./errors";
import { EventBus } from "./events/bus";
import { WebhookDispatcher } from "./events/webhooks";
import { loadKeystore, readMasterKey, type Keystore } from "./keystore";
import { createLogger, type Logger } from "./logger";
import { createMetrics } from "./metrics";
import { ChainHealth } from "./pipeline/health";
import { LeaseKeeper } from "./pipeline/leases";
import { Pipeline } from "./pipeline/pipeline";
import { AgreementService } from "./services/agreements";
import { Intake } from "./services/intake";
import { IntentService } from "./services/intents";
import { IssuingService } from "./services/issuing";
import { PartnerService } from "./services/partners";
import { LedgerQueries } from "./services/queries";
import { SettlementService } from "./services/settlement";
import { openJournal } from "./store/openJournal";
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
  const transport =
    options.transport ?? http(config.RPC_URL, { batch: { batchSize: 500, wait: 1 }, retryCount: 1, timeout: 10_000, fetchFn: createNodeFetch() as unknown as typeof fetch });
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
  const journal = options.journal ?? (await openJournal(config, logger));
  const metrics = createMetrics({ defaultMetrics: true });
  // Who signs for each signer, and who delivers each agency's webhooks, when instances share the journal.
  const leases = new LeaseKeeper(journal.leases, config.LEASE_TTL_MS, logger, (lease, held) => metrics.leaseHeld.set({ lease }, held ? 1 : 0));
  const reads = new LedgerReads(gateway, deployment.ledger, BigInt(deployment.deployBlock));
  const pipeline = new Pipeline(
    { operations: journal.operations, transactions: journal.transactions, gateway, ledger: deployment.ledger, chainId: deployment.chainId, config, health, logger, metrics },
    [...keystore.agencies.map((a) => a.account), keystore.relayer],
    leases,
  );
  journal.events.onEvents((events) => {
    for (const e of events) if (e.type !== "operation.submitted") metrics.operationsFinished.inc({ status: e.type.slice("operation.".length) });
  });
  const bus = new EventBus(journal.events);
  const intake = new Intake(journal.operations, pipeline, health, config, metrics);
  const webhooks = new WebhookDispatcher(keystore.agencies, journal.events, bus, logger, metrics, config.WEBHOOK_TIMEOUT_MS, leases);
  const app = createApp({
    config,
    chainId: deployment.chainId,
    ledger: deployment.ledger,
    journal,
    queries: new LedgerQueries(reads, gateway),
    issuing: new IssuingService(intake, reads, logger),
    intents: new IntentService(deployment.chainId, deployment.ledger, keystore.relayer.address, intake, reads, journal.operations),
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
      webhooks.start();
      pipeline.start();
      await leases.start();
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
      await leases.stop();
      await journal.close();
    },
  };
}
