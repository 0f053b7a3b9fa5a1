/**
 * Runs the browser audit for the verify page: reads the deployment record and the public ledger's
 * figures (at one index block), audits the chain as of that block in a module worker, then compares.
 * Cancelling ends the worker at once.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { deploymentSchema, type AuditProgress, type AuditReport } from "@city-points/sdk/auditor";
import { LEDGER_MAX_PERIODS, type LedgerAgreements, type LedgerOverview } from "@city-points/sdk/wire";
import { getJson } from "../../api/client";
import { ledgerApi } from "../../api/ledger";
import type { AuditMessage, AuditRequest } from "./auditWorker";
import { auditedPeriodWindow, compareFigures, type FigureRow } from "./comparison";

export type AuditRun =
  | { stage: "idle" }
  | { stage: "deployment" | "overview" | "comparing" }
  | { stage: "auditing"; progress?: AuditProgress }
  | { stage: "done"; report: AuditReport; block: number; figures: FigureRow[] | null }
  | { stage: "failed"; message: string }
  | { stage: "cancelled" };

/** How far the run is, from 0 to 1: reading events is most of an audit, reading balances back the rest. */
export function runFraction(run: AuditRun): number {
  if (run.stage === "done") return 1;
  if (run.stage === "comparing") return 0.98;
  if (run.stage !== "auditing" || !run.progress) return run.stage === "overview" || run.stage === "auditing" ? 0.02 : 0;
  const p = run.progress;
  if (p.phase === "events") return 0.02 + 0.83 * (p.toBlock === p.fromBlock ? 1 : (p.block - p.fromBlock) / (p.toBlock - p.fromBlock));
  return 0.85 + 0.13 * (p.total === 0 ? 1 : p.done / p.total);
}

/** The overview and the agreements as of one block of the relay's index (asked again if it moved between them). */
async function relayFigures(signal: AbortSignal): Promise<{ overview: LedgerOverview; agreements: LedgerAgreements }> {
  for (let attempt = 0; ; attempt++) {
    const [overview, agreements] = await Promise.all([ledgerApi.overview(signal), ledgerApi.agreements(signal, true)]);
    if (overview.index.block === agreements.index.block || attempt === 4) return { overview, agreements };
  }
}

function auditInWorker(request: AuditRequest, onProgress: (p: AuditProgress) => void, signal: AbortSignal): Promise<AuditReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./auditWorker.ts", import.meta.url), { type: "module" });
    const end = () => worker.terminate();
    signal.addEventListener("abort", () => {
      end();
      reject(new DOMException("cancelled", "AbortError"));
    });
    worker.onmessage = (e: MessageEvent<AuditMessage>) => {
      const m = e.data;
      if (m.kind === "progress") return onProgress(m.progress);
      end();
      if (m.kind === "done") resolve(m.report);
      else reject(new Error(m.message));
    };
    worker.onerror = (e) => {
      end();
      reject(new Error(e.message || "the audit's worker failed"));
    };
    worker.postMessage(request);
  });
}

export function useBrowserAudit(): { run: AuditRun; start(): void; cancel(): void } {
  const [run, setRun] = useState<AuditRun>({ stage: "idle" });
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(() => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    const { signal } = c;
    const set = (next: AuditRun) => {
      if (!signal.aborted) setRun(next);
    };
    (async () => {
      set({ stage: "deployment" });
      const deployment = await getJson("/v1/ledger/deployment", deploymentSchema, signal);
      set({ stage: "overview" });
      const relay = await relayFigures(signal);
      const indexed = relay.overview.index.block >= deployment.deployBlock && relay.overview.index.block === relay.agreements.index.block;
      set({ stage: "auditing" });
      const report = await auditInWorker(
        { deployment, toBlock: indexed ? relay.overview.index.block : undefined },
        (progress) => set({ stage: "auditing", progress }),
        signal,
      );
      if (!indexed) return set({ stage: "done", report, block: report.toBlock, figures: null });
      set({ stage: "comparing" });
      const window = auditedPeriodWindow(report, LEDGER_MAX_PERIODS);
      const periods = window ? await ledgerApi.overview(signal, window.fromPeriod, window.toPeriod) : relay.overview;
      // Periods the index has moved past are compared only as of the same block.
      const samePeriods = periods.index.block === report.toBlock ? periods.periods : [];
      set({ stage: "done", report, block: report.toBlock, figures: compareFigures(report, { ...relay, periods: samePeriods }) });
    })().catch((error: unknown) => {
      if ((error as Error).name === "AbortError") return;
      set({ stage: "failed", message: (error as Error).message ?? String(error) });
    });
  }, []);

  const cancel = useCallback(() => {
    controller.current?.abort();
    setRun({ stage: "cancelled" });
  }, []);

  return { run, start, cancel };
}
