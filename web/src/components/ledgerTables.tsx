/** Tables more than one page shows: figures per period and domain, agreements, settlement summaries. */
import { Link } from "wouter";
import type { LedgerAgreements, LedgerOverview, LedgerSettlements } from "@city-points/sdk/wire";
import { useI18n } from "../i18n/i18n";
import { paths } from "../paths";
import { Amount } from "./Bits";
import { DataTable, type Column } from "./DataTable";
import { agreementName, domainName, type DomainLike } from "./names";

type Period = LedgerOverview["periods"][number];
type Field = "supply" | "issued" | "redeemed";

/** One row per period, one column per domain, holding `field`. */
export function SupplyTable({ overview, field, caption, fileName }: { overview: LedgerOverview; field: Field; caption: string; fileName: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const value = (p: Period, id: number) => p.domains.find((d) => d.domainId === id)?.[field] ?? "0";
  const columns: Column<Period>[] = [
    { header: t("col.period"), cell: (p) => t("common.period", { period: p.period }), csv: (p) => String(p.period) },
    ...overview.domains.map((d) => ({
      header: domainName(i18n, overview.domains, d.id),
      cell: (p: Period) => <Amount value={value(p, d.id)} />,
      csv: (p: Period) => value(p, d.id),
      numeric: true,
    })),
  ];
  return <DataTable caption={caption} columns={columns} rows={[...overview.periods].reverse()} fileName={fileName} rowKey={(p) => String(p.period)} />;
}

type Agreement = LedgerAgreements["agreements"][number];

export function AgreementsTable({ agreements, domains, caption, fileName }: { agreements: LedgerAgreements; domains: DomainLike[]; caption: string; fileName: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const status = (a: Agreement) => {
    const words = [t(a.inForce ? "status.inForce" : "status.notInForce")];
    if (a.suspendedByFrom || a.suspendedByTo) words.push(t("status.suspended"));
    if (a.pending) words.push(t("status.pending"));
    return words.join(" · ");
  };
  const rate = (a: Agreement) => (a.current ? t("agreement.rate", { num: a.current.rateNum, den: a.current.rateDen }) : t("common.none"));
  return (
    <DataTable
      caption={caption}
      fileName={fileName}
      rows={agreements.agreements}
      rowKey={(a) => a.agreementId}
      columns={[
        { header: t("col.agreement"), cell: (a) => agreementName(i18n, domains, a.fromDomain, a.toDomain), csv: (a) => agreementName(i18n, domains, a.fromDomain, a.toDomain) },
        { header: t("col.rate"), cell: rate, csv: (a) => (a.current ? `${a.current.rateNum}/${a.current.rateDen}` : "") },
        {
          header: t("col.cap"),
          cell: (a) => (!a.current ? t("common.none") : a.current.periodCap === "0" ? t("common.noCap") : <Amount value={a.current.periodCap} />),
          csv: (a) => a.current?.periodCap ?? "",
          numeric: true,
        },
        { header: t("col.usedThisPeriod"), cell: (a) => <Amount value={a.usedThisPeriod} />, csv: (a) => a.usedThisPeriod, numeric: true },
        {
          header: t("col.validity"),
          cell: (a) => (a.current ? t("common.periods", { from: a.current.validFromPeriod, to: a.current.validUntilPeriod }) : t("common.none")),
          csv: (a) => (a.current ? `${a.current.validFromPeriod}-${a.current.validUntilPeriod}` : ""),
        },
        { header: t("col.exchanges"), cell: (a) => <Amount value={a.exchanges} />, csv: (a) => String(a.exchanges), numeric: true },
        { header: t("col.status"), cell: status, csv: status },
      ]}
    />
  );
}

type Summary = LedgerSettlements["settlements"][number];

export function SettlementsTable({ settlements, caption, fileName }: { settlements: Summary[]; caption: string; fileName: string }) {
  const { t } = useI18n();
  const status = (s: Summary) => (s.completed ? t("status.completed") : s.closed ? t("status.closed") : t("status.open"));
  return (
    <DataTable
      caption={caption}
      fileName={fileName}
      rows={[...settlements].reverse()}
      rowKey={(s) => String(s.period)}
      columns={[
        { header: t("col.period"), cell: (s) => <Link href={paths.settlement(s.period)}>{t("common.period", { period: s.period })}</Link>, csv: (s) => String(s.period) },
        { header: t("col.exchanges"), cell: (s) => <Amount value={s.exchanges} />, csv: (s) => String(s.exchanges), numeric: true },
        { header: t("col.status"), cell: status, csv: status },
        {
          header: t("col.confirmed"),
          cell: (s) => t("status.confirmedOf", { confirmed: s.confirmed, positions: s.positions }),
          csv: (s) => `${s.confirmed}/${s.positions}`,
        },
      ]}
    />
  );
}
