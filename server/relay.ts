/**
 * Assembles a relay from its parts: journal, chain gateway, keystore, lanes, webhooks, HTTP app.
 * Used by index.ts (the process), scripts/start.ts (the local demo) and the tests (in-process chain).
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { http, type Transport } from "viem";
import { parseDeployment, type Deployment } from "../sdk/src/deployment";
import express from "express";
import { createApp } from "./app";
import { ChainGateway } from "./chain/gateway";
import { createNodeFetch } from "./chain/nodeFetch";
import { LedgerReads } from "./chain/ledgerReads";
import { logRpc } from "./chain/logRpc";
import { PasskeyReads } from "./chain/passkeyReads";
import { StationReads } from "./chain/stationReads";
import { StationService } from "./services/stations";
import { PasskeyService } from "./services/passkeys";
import type { RelayConfig } from "./config";
import { ConfigError } from "./errors";
import { EventBus } from "./events/bus";
import { WindowLimiter } from "./http/windowLimiter";
import { WebhookDispatcher } from "./events/webhooks";
import { loadKeystore, readMasterKey, type Keystore } from "./keystore";
import { createLogger, type Logger } from "./logger";
import { LedgerIndex } from "./indexer/ledgerIndex";
import { createMetrics } from "./metrics";
import { metricsRoutes } from "./routes/health";
import { ChainHealth } from "./pipeline/health";
import { LeaseKeeper } from "./pipeline/leases";
import { Pipeline } from "./pipeline/pipeline";
import { AgreementService } from "./services/agreements";
import { Intake } from "./services/intake";
import { IntentService } from "./services/intents";
import { IssuingService } from "./services/issuing";
import { LedgerViews } from "./services/ledgerViews";
import { PartnerService } from "./services/partners";
import { LedgerQueries } from "./services/queries";
import { Readiness } from "./services/readiness";
import { SettlementService } from "./services/settlement";
import { TransactionDecoder } from "./services/transactions";
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
  /** The public ledger's figures, following the chain (started by start()). */
  ledgerIndex: LedgerIndex;
  journal: Journal;
  keystore: Keystore;
  deployment: Deployment;
  /**
   * Starts the lanes and webhooks (reconciling every unfinished entry first) and listens on
   * HOST:PORT, and on METRICS_HOST:METRICS_PORT when /metrics has a port of its own.
   */
  start(options?: { listen?: boolean }): Promise<{ url?: string; metricsUrl?: string }>;
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
  // The /rpc gateway's own connection: unbatched (a large public answer cannot fail the lanes' calls
  // batched with it), its answers bounded in size as they stream in, and no say in the chain's health.
  const rpcChain = new ChainGateway(
    options.transport ?? http(config.RPC_URL, { retryCount: 0, timeout: 10_000, maxResponseBodySize: config.RPC_MAX_RESPONSE_BYTES + 1_024 }),
  );
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
  const leases = new LeaseKeeper(journal.leases, config.LEASE_TTL_MS, logger, (lease, held) =>
    metrics.leaseHeld.set({ lease: leaseLabel(lease) }, held ? 1 : 0),
  );
  const reads = new LedgerReads(gateway, deployment.ledger, BigInt(deployment.deployBlock));
  const passkeyReads = new PasskeyReads(gateway, deployment.passkeyAccounts);
  const stations = deployment.communityStations
    ? new StationService(deployment.chainId, new StationReads(gateway, deployment.communityStations), passkeyReads)
    : undefined;
  const pipeline = new Pipeline(
    { operations: journal.operations, transactions: journal.transactions, gateway, ledger: deployment.ledger, passkeyAccounts: deployment.passkeyAccounts, communityStations: deployment.communityStations, chainId: deployment.chainId, config, health, logger, metrics },
    [...keystore.agencies.map((a) => a.account), keystore.relayer],
    leases,
  );
  journal.events.onEvents((events) => {
    for (const e of events) if (e.type !== "operation.submitted") metrics.operationsFinished.inc({ status: e.type.slice("operation.".length) });
  });
  const bus = new EventBus(journal.events);
  const intake = new Intake(journal.operations, pipeline, health, config, metrics);
  const ledgerIndex = new LedgerIndex(logRpc(config.RPC_URL, options.transport), deployment, logger, { pollMs: config.LEDGER_INDEX_POLL_MS });
  const webhooks = new WebhookDispatcher(keystore.agencies, journal.events, bus, logger, metrics, config.WEBHOOK_TIMEOUT_MS, leases);
  const app = createApp({
    config,
    chainId: deployment.chainId,
    ledger: deployment.ledger,
    journal,
    queries: new LedgerQueries(reads, gateway, { maxBlocks: config.HISTORY_PAGE_BLOCKS, maxEntries: config.HISTORY_PAGE_ENTRIES }),
    issuing: new IssuingService(intake, reads, logger),
    intents: new IntentService(
      deployment.chainId,
      deployment.ledger,
      keystore.relayer.address,
      intake,
      reads,
      passkeyReads,
      journal.operations,
      new WindowLimiter(config.RESIDENT_RATE_LIMIT_PER_MINUTE),
    ),
    passkeys: new PasskeyService(keystore.relayer.address, intake, passkeyReads),
    stations,
    agreements: new AgreementService(intake),
    settlement: new SettlementService(intake),
    partners: new PartnerService(intake, reads, journal.partners),
    deployment,
    ledgerViews: new LedgerViews(ledgerIndex, deployment),
    transactions: new TransactionDecoder(gateway, deployment, (time) => ledgerIndex.periodAt(time)),
    keystore,
    bus,
    health,
    gateway,
    rpcChain,
    readiness: new Readiness(() => gateway.blockNumber(), () => journal.checkWritable()),
    logger,
    metrics,
  });

  let server: Server | undefined;
  let metricsServer: Server | undefined;
  const listenOn = (handler: express.Express, port: number, host: string) =>
    new Promise<Server>((resolve, reject) => {
      const s = handler.listen(port, host, () => resolve(s));
      s.once("error", reject);
    });
  return {
    app,
    ledgerIndex,
    journal,
    keystore,
    deployment,
    async start({ listen = true } = {}) {
      webhooks.start();
      pipeline.start();
      await leases.start();
      ledgerIndex.start();
      if (!listen) return {};
      server = await listenOn(app, config.PORT, config.HOST);
      server.keepAliveTimeout = 65_000;
      const url = `http://${config.HOST}:${(server.address() as AddressInfo).port}`;
      let metricsUrl: string | undefined;
      if (typeof config.METRICS_PORT === "number") {
        const metricsApp = express();
        metricsApp.disable("x-powered-by");
        metricsApp.use(metricsRoutes({ metrics }));
        metricsServer = await listenOn(metricsApp, config.METRICS_PORT, config.METRICS_HOST);
        metricsUrl = `http://${config.METRICS_HOST}:${(metricsServer.address() as AddressInfo).port}/metrics`;
      }
      logger.info({ url, metricsUrl, ledger: deployment.ledger, chainId: deployment.chainId, agencies: keystore.agencies.map((a) => a.name) }, "relay listening");
      return { url, metricsUrl };
    },
    async stop() {
      for (const s of [server, metricsServer]) {
        if (!s) continue;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
      await ledgerIndex.stop();
      await pipeline.stop();
      await webhooks.stop();
      await leases.stop();
      await journal.close();
    },
  };
}

/** A lease as a metric label: a signer's address shortened, so /metrics carries no full address. */
function leaseLabel(lease: string): string {
  return lease.replace(/0x([0-9a-f]{4})[0-9a-f]{32}([0-9a-f]{4})/i, "0x$1…$2");
}
