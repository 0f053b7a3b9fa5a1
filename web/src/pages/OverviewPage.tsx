/**
 * "How many points are there, and how did they move?": per period, the supply of each kind of
 * points, issuance per agency against its quota, exchanges per agreement and redemptions, each as a
 * chart and as a table; the agreements in force; the settlement of each period; and the way to
 * check it all independently.
 */
import { Link } from "wouter";
import type { LedgerAgreements, LedgerOverview } from "@city-points/sdk/wire";
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { BarChart } from "../components/BarChart";
import { Amount, Failure, Hex, IndexNotice, Loading, Section } from "../components/Bits";
import { DataTable } from "../components/DataTable";
import { LineChart } from "../components/LineChart";
import { agreementName, domainName } from "../components/names";
import { PeriodPager, usePeriodWindow } from "../components/PeriodPager";
import { AgreementsTable, SettlementsTable, SupplyTable } from "../components/ledgerTables";
import { useI18n } from "../i18n/i18n";
import { paths } from "../paths";

export default function OverviewPage() {
  const { t } = useI18n();
  const window = usePeriodWindow();
  const overview = useResource((signal) => ledgerApi.overview(signal, window.from, window.to), `overview:${window.to ?? "now"}`);
  const agreements = useResource((signal) => ledgerApi.agreements(signal, false), "agreements");
  return (
    <>
      <h1>{t("overview.title")}</h1>
      <p className="lead">{t("overview.intro")}</p>
      {overview.state === "loading" && <Loading />}
      {overview.state === "error" && <Failure error={overview.error} retry={overview.reload} />}
      {overview.state === "ok" && <Figures overview={overview.data} agreements={agreements.state === "ok" ? agreements.data : undefined} />}
      {agreements.state === "error" && <Failure error={agreements.error} retry={agreements.reload} />}
      <VerifyYourself />
    </>
  );
}

function Figures({ overview, agreements }: { overview: LedgerOverview; agreements?: LedgerAgreements }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { domains, periods } = overview;
  const labels = periods.map((p) => String(p.period));
  const name = (id: number) => domainName(i18n, domains, id);
  const span = `${overview.fromPeriod}-${overview.toPeriod}`;
  // Looking at earlier periods: a domain's page opens on the same ones.
  const windowEnd = overview.toPeriod < overview.clock.currentPeriod ? overview.toPeriod : undefined;
  const issuerLabel = (domainId: number, issuer: string) => `${name(domainId)} ${issuer.slice(0, 6)}…${issuer.slice(-4)}`;
  const issuanceRows = overview.issuers.flatMap((s) => s.periods.filter((p) => p.issued !== "0").map((p) => ({ ...p, domainId: s.domainId, issuer: s.issuer })));
  const exchangeRows = overview.agreements.flatMap((a) => a.periods.filter((p) => p.exchanges > 0).map((p) => ({ ...p, a })));
  return (
    <>
      <IndexNotice index={overview.index} />
      <PeriodPager fromPeriod={overview.fromPeriod} toPeriod={overview.toPeriod} currentPeriod={overview.clock.currentPeriod} />

      <Section id="supply" title={t("overview.supply.title")} text={t("overview.supply.text")}>
        <LineChart
          title={t("overview.supply.title")}
          categories={labels}
          series={domains.map((d) => ({ label: name(d.id), values: periods.map((p) => Number(p.domains.find((x) => x.domainId === d.id)?.supply ?? 0)) }))}
        />
        <SupplyTable overview={overview} field="supply" caption={t("overview.supply.title")} fileName={`supply-periods-${span}.csv`} />
      </Section>

      <Section id="issuance" title={t("overview.issuance.title")} text={t("overview.issuance.text")}>
        <BarChart
          title={t("overview.issuance.title")}
          categories={labels}
          series={overview.issuers.map((s) => ({ label: issuerLabel(s.domainId, s.issuer), values: s.periods.map((p) => Number(p.issued)) }))}
        />
        <DataTable
          caption={t("overview.issuance.title")}
          fileName={`issuance-periods-${span}.csv`}
          rows={issuanceRows}
          rowKey={(r) => `${r.period}:${r.domainId}:${r.issuer}`}
          columns={[
            { header: t("col.period"), cell: (r) => t("common.period", { period: r.period }), csv: (r) => String(r.period) },
            { header: t("col.domain"), cell: (r) => <Link href={paths.domainPeriod(r.domainId, r.period)}>{name(r.domainId)}</Link>, csv: (r) => name(r.domainId) },
            { header: t("col.issuer"), cell: (r) => <Hex value={r.issuer} />, csv: (r) => r.issuer },
            { header: t("col.issued"), cell: (r) => <Amount value={r.issued} />, csv: (r) => r.issued, numeric: true },
            { header: t("col.quota"), cell: (r) => <Amount value={r.quota} />, csv: (r) => r.quota, numeric: true },
            {
              header: t("col.quotaUsed"),
              cell: (r) => (r.quota === "0" ? t("common.none") : i18n.percent(Number(r.issued) / Number(r.quota))),
              csv: (r) => (r.quota === "0" ? "" : (Number(r.issued) / Number(r.quota)).toString()),
              numeric: true,
            },
          ]}
        />
      </Section>

      <Section id="exchanges" title={t("overview.exchanges.title")} text={t("overview.exchanges.text")}>
        <BarChart
          title={t("overview.exchanges.title")}
          categories={labels}
          series={overview.agreements.map((a) => ({ label: agreementName(i18n, domains, a.fromDomain, a.toDomain), values: a.periods.map((p) => Number(p.amountIn)) }))}
        />
        <DataTable
          caption={t("overview.exchanges.title")}
          fileName={`exchanges-periods-${span}.csv`}
          rows={exchangeRows}
          rowKey={(r) => `${r.period}:${r.a.agreementId}`}
          columns={[
            { header: t("col.period"), cell: (r) => t("common.period", { period: r.period }), csv: (r) => String(r.period) },
            { header: t("col.agreement"), cell: (r) => agreementName(i18n, domains, r.a.fromDomain, r.a.toDomain), csv: (r) => agreementName(i18n, domains, r.a.fromDomain, r.a.toDomain) },
            { header: t("col.exchanges"), cell: (r) => <Amount value={r.exchanges} />, csv: (r) => String(r.exchanges), numeric: true },
            { header: t("col.amountIn"), cell: (r) => <Amount value={r.amountIn} />, csv: (r) => r.amountIn, numeric: true },
            { header: t("col.amountOut"), cell: (r) => <Amount value={r.amountOut} />, csv: (r) => r.amountOut, numeric: true },
          ]}
        />
      </Section>

      <Section id="redemptions" title={t("overview.redemptions.title")} text={t("overview.redemptions.text")}>
        <BarChart
          title={t("overview.redemptions.title")}
          categories={labels}
          series={domains.map((d) => ({ label: name(d.id), values: periods.map((p) => Number(p.domains.find((x) => x.domainId === d.id)?.redeemed ?? 0)) }))}
        />
        <SupplyTable overview={overview} field="redeemed" caption={t("overview.redemptions.title")} fileName={`redemptions-periods-${span}.csv`} />
      </Section>

      <Section id="agreements" title={t("overview.agreements.title")}>
        {agreements ? (
          agreements.agreements.length > 0 ? (
            <AgreementsTable agreements={agreements} domains={domains} caption={t("overview.agreements.title")} fileName="agreements-in-force.csv" />
          ) : (
            <p>{t("overview.agreements.none")}</p>
          )
        ) : (
          <Loading />
        )}
      </Section>

      <Section id="settlements" title={t("overview.settlements.title")}>
        {overview.settlements.length > 0 ? (
          <SettlementsTable settlements={overview.settlements} caption={t("overview.settlements.title")} fileName={`settlements-periods-${span}.csv`} />
        ) : (
          <p>{t("overview.settlements.none")}</p>
        )}
      </Section>

      <Section id="domains" title={t("overview.domains.title")}>
        <DataTable
          caption={t("overview.domains.title")}
          fileName="domains.csv"
          rows={domains}
          rowKey={(d) => String(d.id)}
          columns={[
            { header: t("col.domain"), cell: (d) => <Link href={paths.domain(d.id, windowEnd)}>{name(d.id)}</Link>, csv: (d) => name(d.id) },
            { header: t("domainPage.pointValue"), cell: (d) => <Amount value={d.pointValue} />, csv: (d) => String(d.pointValue), numeric: true },
            { header: t("domainPage.supply"), cell: (d) => <Amount value={d.supply} />, csv: (d) => d.supply, numeric: true },
            { header: t("domainPage.agency"), cell: (d) => <Hex value={d.agency} />, csv: (d) => d.agency },
          ]}
        />
      </Section>
    </>
  );
}

/**
 * VERIFY-IT-YOURSELF SLOT. The in-browser audit (a later part of this app) puts its tiles here: the
 * SDK's auditor run against the relay's read-only gateway, one tile per invariant, and a flag where
 * the figures above differ from its own totals. Until then this section says how to run the same
 * audit in a terminal.
 */
function VerifyYourself() {
  const { t } = useI18n();
  return (
    <Section id="verify" title={t("overview.verify.title")} text={t("overview.verify.text")}>
      <p>
        <Link href={paths.verify} className="button">
          {t("overview.verify.open")}
        </Link>
      </p>
      <p>{t("overview.verify.command")}</p>
      <pre className="command" translate="no">
        npm run audit -- --rpc &lt;node&gt; --deployment deployments/&lt;chainId&gt;.json
      </pre>
    </Section>
  );
}
