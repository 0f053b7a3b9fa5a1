/** The public ledger's figures against the audit's: a sentence when all agree, else a table of each that differs. */
import type { DomainReport } from "@city-points/sdk/auditor";
import { Amount, Hex, Section } from "../../components/Bits";
import { DataTable } from "../../components/DataTable";
import { agreementName, domainName } from "../../components/names";
import { useI18n } from "../../i18n/i18n";
import type { FigureRow } from "./comparison";

export function FigureComparison({ figures, block, domains }: { figures: FigureRow[] | null; block: number; domains: DomainReport[] }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const differing = figures?.filter((f) => !f.agree) ?? [];
  const figureName = (f: FigureRow) => (f.period === undefined ? t(`verify.fig.${f.kind}`) : t(`verify.fig.${f.kind}`, { period: f.period }));
  const subject = (f: FigureRow) =>
    f.agreement
      ? agreementName(i18n, domains, f.agreement.fromDomain, f.agreement.toDomain)
      : f.domainId !== undefined
        ? domainName(i18n, domains, f.domainId)
        : t("verify.subject.ledger");
  const value = (v: string | null) => (v === null ? t("verify.missing") : v);
  return (
    <Section id="compare" title={t("verify.compare.title")} text={t("verify.compare.text")}>
      {figures === null ? (
        <p className="notice notice-warn">{t("verify.compare.skipped")}</p>
      ) : differing.length === 0 ? (
        <p className="notice verify-ok" data-compare="agree">
          <span aria-hidden="true">✓ </span>
          {t("verify.compare.same", { count: number(figures.length), block: number(block) })}
        </p>
      ) : (
        <>
          <p className="notice notice-error" data-compare="differ">
            <span aria-hidden="true">✗ </span>
            {t("verify.compare.differ", { count: number(differing.length) })}
          </p>
          <DataTable
            caption={t("verify.compare.caption")}
            fileName={`verify-differences-${block}.csv`}
            rows={differing}
            rowKey={(f) => `${f.kind}:${f.domainId ?? ""}:${f.issuer ?? ""}:${f.agreement?.id ?? ""}:${f.period ?? ""}`}
            columns={[
              { header: t("verify.col.figure"), cell: (f) => <span data-figure={f.kind}>{figureName(f)}</span>, csv: figureName },
              { header: t("verify.col.subject"), cell: (f) => <>{subject(f)}{f.issuer && <> <Hex value={f.issuer} /></>}</>, csv: (f) => `${subject(f)}${f.issuer ? ` ${f.issuer}` : ""}` },
              { header: t("verify.col.relay"), cell: (f) => (f.relay === null ? t("verify.missing") : <Amount value={f.relay} />), csv: (f) => value(f.relay), numeric: true },
              { header: t("verify.col.audit"), cell: (f) => (f.audit === null ? t("verify.missing") : <Amount value={f.audit} />), csv: (f) => value(f.audit), numeric: true },
            ]}
          />
        </>
      )}
    </Section>
  );
}
