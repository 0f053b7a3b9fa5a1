/** Prometheus metrics of one relay instance (its own registry, so tests can run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: "relay_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "relay_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    operationsAccepted: new Counter({
      name: "relay_operations_accepted_total",
      help: "operations accepted into the journal",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    operationsFinished: new Counter({
      name: "relay_operations_finished_total",
      help: "operations that reached a final status",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
    transactionsSent: new Counter({
      name: "relay_transactions_sent_total",
      help: "signed transactions sent (resends included)",
      labelNames: ["kind", "resend"] as const,
      registers: [registry],
    }),
    receiptsMissing: new Counter({
      name: "relay_receipts_missing_total",
      help: "times a transaction's nonce was used on chain before its receipt could be read, by what the chain showed",
      labelNames: ["owner"] as const,
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: "relay_issue_batch_size",
      help: "issuances per batch transaction",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers: [registry],
    }),
    unfinished: new Gauge({ name: "relay_operations_unfinished", help: "operations accepted and not yet final", registers: [registry] }),
    chainUp: new Gauge({ name: "relay_chain_up", help: "1 when the chain answered the latest call", registers: [registry] }),
    leaseHeld: new Gauge({
      name: "relay_lease_held",
      help: "1 while this instance holds the lease (signer:0xabcd…1234, the signer's address shortened: it signs and sends; webhooks:<agency>: it delivers)",
      labelNames: ["lease"] as const,
      registers: [registry],
    }),
    rpcCalls: new Counter({
      name: "relay_rpc_calls_total",
      help: "calls to the read-only JSON-RPC gateway by method (refused ones together) and outcome",
      labelNames: ["method", "outcome"] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: "relay_webhook_deliveries_total",
      help: "webhook delivery attempts by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
