/** "Who owes whom for this period, and has it been paid?": one period's settlement statement. */
import { useParams } from "wouter";
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { Amount, Failure, Hex, IndexNotice, Loading, Section, TxLink } from "../components/Bits";
import { DataTable } from "../components/DataTable";
import { agreementName, domainName } from "../components/names";
import { useI18n } from "../i18n/i18n";
import NotFoundPage from "./NotFoundPage";

export default function SettlementPage() {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const { period: raw } = useParams<{ period: string }>();
  const valid = /^(0|[1-9][0-9]{0,9})$/.test(raw);
  const period = Number(raw);
  const statement = useResource((signal) => ledgerApi.settlement(signal, period), `settlement:${raw}`);
  const overview = useResource((signal) => ledgerApi.overview(signal), "overview:domains");
  if (!valid) return <NotFoundPage />;
  const domains = overview.state === "ok" ? overview.data.domains : [];
  const position = (net: string) => {
    const n = BigInt(net);
    if (n === 0n) return t("position.zero");
    return t(n > 0n ? "position.owed" : "position.owes", { amount: i18n.number(n > 0n ? n : -n) });
  };
  return (
    <>
      <h1>{t("settlement.title", { period })}</h1>
      {statement.state === "loading" && <Loading />}
      {statement.state === "error" && <Failure error={statement.error} retry={statement.reload} />}
      {statement.state === "ok" && (
        <>
          <p className="lead">{t("settlement.when", { start: dateTime(statement.data.startsAt), end: dateTime(statement.data.endsAt) })}</p>
          <IndexNotice index={statement.data.index} />
          <p className="status-line">
            {t("col.status")}: <strong>{t(statement.data.completed ? "status.completed" : statement.data.closed ? "status.closed" : "status.open")}</strong>
          </p>
          {statement.data.closedIn && (
            <p>
              {t("settlement.closedIn")} <TxLink hash={statement.data.closedIn} />
            </p>
          )}
          {!statement.data.closed && statement.data.exchanges > 0 && <p className="notice">{t("settlement.open")}</p>}
          {statement.data.positions.length === 0 ? (
            <p>{t("settlement.none")}</p>
          ) : (
            <>
              <Section title={t("settlement.positions")}>
                <DataTable
                  caption={t("settlement.positions")}
                  fileName={`settlement-period-${period}.csv`}
                  rows={statement.data.positions}
                  rowKey={(p) => String(p.domainId)}
                  columns={[
                    { header: t("col.domain"), cell: (p) => domainName(i18n, domains, p.domainId), csv: (p) => domainName(i18n, domains, p.domainId) },
                    { header: t("col.expected"), cell: (p) => position(p.expected), csv: (p) => p.expected, numeric: true },
                    { header: t("col.published"), cell: (p) => (p.published === null ? t("common.none") : position(p.published)), csv: (p) => p.published ?? "", numeric: true },
                    { header: t("col.confirmed"), cell: (p) => t(p.confirmed ? "common.yes" : "common.no"), csv: (p) => t(p.confirmed ? "common.yes" : "common.no") },
                    { header: t("col.paymentRef"), cell: (p) => (p.paymentRef ? <Hex value={p.paymentRef} /> : t("common.none")), csv: (p) => p.paymentRef ?? "" },
                  ]}
                />
                <p>{t("settlement.sum", { sum: i18n.number(statement.data.positions.reduce((s, p) => s + BigInt(p.published ?? p.expected), 0n)) })}</p>
              </Section>
              <Section title={t("settlement.obligations")}>
                <DataTable
                  caption={t("settlement.obligations")}
                  fileName={`settlement-period-${period}-agreements.csv`}
                  rows={statement.data.obligations}
                  rowKey={(o) => o.agreementId}
                  columns={[
                    { header: t("col.agreement"), cell: (o) => agreementName(i18n, domains, o.fromDomain, o.toDomain), csv: (o) => agreementName(i18n, domains, o.fromDomain, o.toDomain) },
                    { header: t("col.exchanges"), cell: (o) => <Amount value={o.exchanges} />, csv: (o) => String(o.exchanges), numeric: true },
                    { header: t("col.amountOut"), cell: (o) => <Amount value={o.amountOut} />, csv: (o) => o.amountOut, numeric: true },
                    { header: t("col.value"), cell: (o) => <Amount value={o.value} />, csv: (o) => o.value, numeric: true },
                  ]}
                />
              </Section>
            </>
          )}
        </>
      )}
    </>
  );
}
