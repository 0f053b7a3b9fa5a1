/** One tile per invariant: its name and meaning, its status as an icon and a word, and what shows a broken one. */
import { getAddress } from "viem";
import { Link } from "wouter";
import { INVARIANTS, type AuditReport, type InvariantId, type Violation } from "@city-points/sdk/auditor";
import { domainName } from "../../components/names";
import { useI18n, type I18n, type MessageKey } from "../../i18n/i18n";
import { paths } from "../../paths";

/** Violations listed per tile; the rest are counted. */
const SHOWN = 10;

export function InvariantTiles({ report }: { report?: AuditReport }) {
  const { t, number } = useI18n();
  const shown = INVARIANTS.filter((id) => id !== "RULE" || (report?.violationCounts.RULE ?? 0) > 0);
  return (
    <ul className="tiles">
      {shown.map((id) => {
        const count = report?.violationCounts[id] ?? 0;
        const status = !report ? "pending" : count === 0 ? "ok" : "fail";
        const violations = report?.violations.filter((v) => v.invariant === id) ?? [];
        return (
          <li key={id} className={`tile tile-${status}`} data-invariant={id} data-status={status}>
            <h3>{t(`verify.${id}.name` as MessageKey)}</h3>
            <p>{t(`verify.${id}.text` as MessageKey)}</p>
            <p className="tile-status">
              <span aria-hidden="true" className="tile-icon">
                {status === "ok" ? "✓" : status === "fail" ? "✗" : "…"}
              </span>{" "}
              <strong>{t(`verify.status.${status}`)}</strong>
              {status === "fail" && <> · {t("verify.status.count", { count: number(count) })}</>}
            </p>
            {violations.length > 0 && (
              <ul className="tile-violations">
                {violations.slice(0, SHOWN).map((v, i) => (
                  <ViolationItem key={i} violation={v} report={report!} />
                ))}
              </ul>
            )}
            {count > Math.min(violations.length, SHOWN) && <p>{t("verify.violation.more", { count: number(count - Math.min(violations.length, SHOWN)) })}</p>}
          </li>
        );
      })}
    </ul>
  );
}

function sentence(i18n: I18n, v: Violation, report: AuditReport): string | undefined {
  const d = v.details;
  const domain = typeof d.domainId === "number" ? domainName(i18n, report.domains, d.domainId) : "";
  const n = (x: unknown) => i18n.number(String(x ?? "0"));
  const account = typeof d.resident === "string" ? getAddress(d.resident) : "";
  if (v.code === "BALANCE_MISMATCH") return i18n.t("verify.violation.balance", { account, domain, onChain: n(d.onChain), rebuilt: n(d.rebuilt) });
  if (v.code === "NONCE_MISMATCH") return i18n.t("verify.violation.nonce", { account, domain, onChain: n(d.onChain), rebuilt: n(d.rebuilt) });
  if (v.code === "BALANCES_DO_NOT_ADD_UP") return i18n.t("verify.violation.balanceSum", { domain, balanceSum: n(d.balanceSum), supply: n(d.supply) });
  if (v.code === "SUPPLY_MISMATCH") return i18n.t("verify.violation.supply", { domain, onChain: n(d.onChain), rebuilt: n(d.rebuilt) });
  return undefined;
}

function ViolationItem({ violation: v, report }: { violation: Violation; report: AuditReport }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const said = sentence(i18n, v, report);
  // The report keeps addresses in lower case; people compare them in their checksummed form.
  const account = typeof v.details.resident === "string" ? getAddress(v.details.resident) : undefined;
  return (
    <li data-code={v.code}>
      {said ?? (
        <>
          {t("verify.violation.other", { code: v.code })} <span lang="en" translate="no">{v.message}</span>
        </>
      )}
      {account && (
        <p>
          {t("verify.violation.account")} <span className="hex verify-detail" translate="no" data-account={account}>{account}</span>
        </p>
      )}
      {v.transactionHash && (
        <p>
          {t("verify.violation.tx", { block: number(v.blockNumber ?? 0) })}{" "}
          <Link href={paths.tx(v.transactionHash)} className="hex-link verify-detail" translate="no">
            {v.transactionHash}
          </Link>
        </p>
      )}
    </li>
  );
}

export type { InvariantId };
