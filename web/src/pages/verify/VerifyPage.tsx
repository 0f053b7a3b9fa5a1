/**
 * "Verify it yourself" (`/ledger/verify`): the SDK's auditor, run in this browser against the
 * relay's read-only gateway, with its progress and a cancel; each invariant I1-I8 as a tile, a
 * broken one listing the accounts and transactions that show it; and the public ledger's figures
 * compared with the audit's own.
 */
import type { AuditReport } from "@city-points/sdk/auditor";
import { useI18n } from "../../i18n/i18n";
import { Section } from "../../components/Bits";
import { FigureComparison } from "./FigureComparison";
import { InvariantTiles } from "./InvariantTiles";
import { runFraction, useBrowserAudit, type AuditRun } from "./useBrowserAudit";
import "./verify.css";

export default function VerifyPage() {
  const { t } = useI18n();
  const { run, start, cancel } = useBrowserAudit();
  const running = run.stage === "deployment" || run.stage === "overview" || run.stage === "auditing" || run.stage === "comparing";
  const report = run.stage === "done" ? run.report : undefined;
  return (
    <>
      <h1>{t("verify.title")}</h1>
      <p className="lead">{t("verify.intro")}</p>
      <div className="verify-actions">
        {running ? (
          <button type="button" className="button secondary" onClick={cancel}>
            {t("verify.cancel")}
          </button>
        ) : (
          <button type="button" className="button" onClick={start}>
            {run.stage === "idle" ? t("verify.start") : t("verify.again")}
          </button>
        )}
      </div>
      {running && <RunProgress run={run} />}
      {run.stage === "cancelled" && <p className="notice">{t("verify.cancelled")}</p>}
      {run.stage === "failed" && (
        <div className="notice notice-error" role="alert">
          <p>{t("verify.failed")}</p>
          <p>
            {t("verify.failedDetail")} <span translate="no" lang="en" className="verify-detail">{run.message}</span>
          </p>
        </div>
      )}
      {report && <Result report={report} />}
      <Section id="invariants" title={t("verify.tiles.title")}>
        <InvariantTiles report={report} />
      </Section>
      {run.stage === "done" && <FigureComparison figures={run.figures} block={run.block} domains={run.report.domains} />}
    </>
  );
}

function RunProgress({ run }: { run: AuditRun }) {
  const { t, number } = useI18n();
  const fraction = runFraction(run);
  let text: string = t("verify.stage.deployment");
  if (run.stage === "overview") text = t("verify.stage.overview");
  if (run.stage === "comparing") text = t("verify.stage.comparing");
  if (run.stage === "auditing") {
    const p = run.progress;
    text = !p
      ? t("verify.stage.starting")
      : p.phase === "events"
        ? t("verify.stage.events", { block: number(p.block), toBlock: number(p.toBlock), events: number(p.events) })
        : t("verify.stage.balances", { done: number(p.done), total: number(p.total) });
  }
  return (
    <div className="verify-progress">
      <label htmlFor="verify-progress">{t("verify.progress")}</label>
      <progress id="verify-progress" max={1000} value={Math.round(fraction * 1000)} />
      <p role="status" aria-live="polite">
        {text}
      </p>
    </div>
  );
}

function Result({ report }: { report: AuditReport }) {
  const { t, number } = useI18n();
  return (
    <div className={report.ok ? "notice verify-ok" : "notice notice-error"} role="status" data-audit-ok={report.ok}>
      <p className="verify-result">
        <span aria-hidden="true">{report.ok ? "✓ " : "✗ "}</span>
        {report.ok ? t("verify.result.ok") : t("verify.result.fail", { count: number(report.violationTotal) })}
      </p>
      <p>
        {t("verify.result.facts", {
          block: number(report.toBlock),
          events: number(report.events.total),
          accounts: number(report.balanceReads.accounts),
          seconds: report.seconds.toFixed(1),
        })}
      </p>
      <p>
        {t("verify.result.ledger")} <span className="hex verify-detail" translate="no">{report.ledger}</span>
      </p>
    </div>
  );
}
