/** What route handlers are given. */
import type { Address } from "viem";
import type { RelayConfig } from "./config";
import type { ChainGateway } from "./chain/gateway";
import type { LedgerReads } from "./chain/ledgerReads";
import type { EventBus } from "./events/bus";
import type { Keystore } from "./keystore";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { ChainHealth } from "./pipeline/health";
import type { Intake } from "./services/intake";
import type { IntentVerifier } from "./services/intents";
import type { Journal } from "./store/journal";

export interface RelayDeps {
  config: RelayConfig;
  chainId: number;
  ledger: Address;
  journal: Journal;
  intake: Intake;
  reads: LedgerReads;
  verifier: IntentVerifier;
  keystore: Keystore;
  bus: EventBus;
  health: ChainHealth;
  gateway: ChainGateway;
  logger: Logger;
  metrics: Metrics;
}
