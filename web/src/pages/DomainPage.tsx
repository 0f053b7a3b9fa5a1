/** "How is this kind of points doing?": its rules, and its figures per period, each a way into the period's records. */
import { Link, useParams } from "wouter";
import type { LedgerOverview } from "@city-points/sdk/wire";
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { Amount, Failure, Hex, IndexNotice, Loading, Section } from "../components/Bits";
import { DataTable } from "../components/DataTable";
import { domainName } from "../components/names";
import { PeriodPager, usePeriodWindow } from "../components/PeriodPager";
import { useI18n } from "../i18n/i18n";
import { paths } from "../paths";
import NotFoundPage from "./NotFoundPage";

type Period = LedgerOverview["periods"][number];

export default function DomainPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { id: raw } = useParams<{ id: string }>();
  const window = usePeriodWindow();
  const overview = useResource((signal) => ledgerApi.overview(signal, window.from, window.to), `overview:${window.to ?? "now"}`);
  const id = Number(raw);
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return <NotFoundPage />;
  if (overview.state === "loading") return <Loading />;
  if (overview.state === "error") return <Failure error={overview.error} retry={overview.reload} />;
  const data = overview.data;
  const domain = data.domains.find((d) => d.id === id);
  if (!domain) return <NotFoundPage />;
  const name = domainName(i18n, data.domains, id);
  const f = (p: Period) => p.domains.find((d) => d.domainId === id)!;
  const amount = (field: "issued" | "redeemed" | "exchangedIn" | "exchangedOut" | "transferred" | "supply", header: string) => ({
    header,
    cell: (p: Period) => <Amount value={f(p)[field]} />,
    csv: (p: Period) => f(p)[field],
    numeric: true,
  });
  return (
    <>
      <h1>{name}</h1>
      <dl className="facts">
        <dt>{t("domainPage.supply")}</dt>
        <dd>
          <Amount value={domain.supply} />
        </dd>
        <dt>{t("domainPage.pointValue")}</dt>
        <dd>
          <Amount value={domain.pointValue} />
        </dd>
        <dt>{t("domainPage.residentCap")}</dt>
        <dd>{domain.residentCap === "0" ? t("common.noCap") : <Amount value={domain.residentCap} />}</dd>
        <dt>{t("domainPage.transferable")}</dt>
        <dd>{t(domain.transferable ? "common.yes" : "common.no")}</dd>
        <dt>{t("domainPage.paused")}</dt>
        <dd>{t(domain.paused ? "common.yes" : "common.no")}</dd>
        <dt>{t("domainPage.agency")}</dt>
        <dd>
          <Hex value={domain.agency} />
        </dd>
      </dl>
      <IndexNotice index={data.index} />
      <PeriodPager fromPeriod={data.fromPeriod} toPeriod={data.toPeriod} currentPeriod={data.clock.currentPeriod} />
      <Section title={t("domainPage.periods")}>
        <DataTable
          caption={`${name}: ${t("domainPage.periods")}`}
          fileName={`domain-${id}-periods-${data.fromPeriod}-${data.toPeriod}.csv`}
          rows={[...data.periods].reverse()}
          rowKey={(p) => String(p.period)}
          columns={[
            { header: t("col.period"), cell: (p) => <Link href={paths.domainPeriod(id, p.period)}>{t("common.period", { period: p.period })}</Link>, csv: (p) => String(p.period) },
            amount("issued", t("col.issued")),
            amount("redeemed", t("col.redeemed")),
            amount("exchangedIn", t("col.exchangedIn")),
            amount("exchangedOut", t("col.exchangedOut")),
            amount("transferred", t("col.transferred")),
            amount("supply", t("col.supply")),
            { header: t("col.events"), cell: (p) => <Amount value={f(p).events} />, csv: (p) => String(f(p).events), numeric: true },
          ]}
        />
      </Section>
    </>
  );
}
