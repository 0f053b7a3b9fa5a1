/** Liveness, readiness (chain reachable, journal writable), Prometheus metrics and the OpenAPI document. */
import { Router } from "express";
import type { RelayDeps } from "../deps";

const READY_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

export function healthRoutes(deps: RelayDeps, openApi: () => Record<string, unknown>): Router {
  const router = Router();
  router.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/ready", async (_req, res) => {
    const checks: Record<string, { ok: boolean; error?: string }> = {};
    try {
      await withTimeout(deps.gateway.blockNumber(), READY_TIMEOUT_MS);
      checks.chain = { ok: true };
    } catch (error) {
      checks.chain = { ok: false, error: (error as Error).message };
    }
    try {
      await deps.journal.checkWritable();
      checks.journal = { ok: true };
    } catch (error) {
      checks.journal = { ok: false, error: (error as Error).message };
    }
    const ready = Object.values(checks).every((c) => c.ok);
    deps.metrics.chainUp.set(checks.chain.ok ? 1 : 0);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not-ready", checks });
  });
  router.get("/metrics", async (_req, res) => {
    res.set("Content-Type", deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  router.get("/openapi.json", (_req, res) => {
    res.json(openApi());
  });
  return router;
}
