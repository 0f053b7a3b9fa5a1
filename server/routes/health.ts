/**
 * Liveness, readiness (chain reachable, journal writable: services/readiness.ts, which bounds how
 * often either is probed), the OpenAPI document, and Prometheus metrics (mounted where METRICS_PORT
 * says: on the main port, on a listener of their own, or nowhere).
 */
import { Router } from "express";
import type { RelayDeps } from "../deps";

export function healthRoutes(deps: RelayDeps, openApi: () => Record<string, unknown>): Router {
  const router = Router();
  router.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/ready", async (_req, res) => {
    const { ready, checks } = await deps.readiness.report();
    deps.metrics.chainUp.set(checks.chain.ok ? 1 : 0);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not-ready", checks });
  });
  router.get("/openapi.json", (_req, res) => {
    res.json(openApi());
  });
  return router;
}

export function metricsRoutes(deps: Pick<RelayDeps, "metrics">): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    res.set("Content-Type", deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
