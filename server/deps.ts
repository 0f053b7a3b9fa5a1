/** What route handlers are given. */
import type { Address } from "viem";
import type { Deployment } from "../sdk/src/deployment";
import type { RelayConfig } from "./config";
import type { ChainGateway } from "./chain/gateway";
import type { EventBus } from "./events/bus";
import type { Keystore } from "./keystore";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { ChainHealth } from "./pipeline/health";
import type { AgreementService } from "./services/agreements";
import type { IntentService } from "./services/intents";
import type { IssuingService } from "./services/issuing";
import type { LedgerViews } from "./services/ledgerViews";
import type { PartnerService } from "./services/partners";
import type { PasskeyService } from "./services/passkeys";
import type { LedgerQueries } from "./services/queries";
import type { Readiness } from "./services/readiness";
import type { SettlementService } from "./services/settlement";
import type { StationService } from "./services/stations";
import type { TransactionDecoder } from "./services/transactions";
import type { Journal } from "./store/journal";

export interface RelayDeps {
  config: RelayConfig;
  chainId: number;
  ledger: Address;
  /** The deployment record the relay runs on, public (`GET /v1/ledger/deployment`: what an auditor in a browser audits). */
  deployment: Deployment;
  journal: Journal;
  queries: LedgerQueries;
  issuing: IssuingService;
  intents: IntentService;
  agreements: AgreementService;
  settlement: SettlementService;
  partners: PartnerService;
  ledgerViews: LedgerViews;
  transactions: TransactionDecoder;
  passkeys: PasskeyService;
  /** Absent when the deployment record names no community stations contract. */
  stations?: StationService;
  keystore: Keystore;
  bus: EventBus;
  health: ChainHealth;
  gateway: ChainGateway;
  /** The chain as the read-only /rpc gateway reaches it: its own connection, which no public call can mark down. */
  rpcChain: ChainGateway;
  readiness: Readiness;
  logger: Logger;
  metrics: Metrics;
}
