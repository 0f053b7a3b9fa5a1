/** "What happened in this kind of points in this period?": its figures per issuer, partner and agreement, and every record. */
import { useEffect, useState } from "react";
import { useParams } from "wouter";
import type { LedgerEventEntry } from "@city-points/sdk/wire";
import type { ApiError } from "../api/client";
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { Amount, Failure, Hex, IndexNotice, Loading, Section, TxLink } from "../components/Bits";
import { DataTable } from "../components/DataTable";
import { EventDetails } from "../components/EventDetails";
import { agreementName, domainName, eventName } from "../components/names";
import { useI18n } from "../i18n/i18n";
import NotFoundPage from "./NotFoundPage";

export default function DomainPeriodPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { id: rawId, period: rawPeriod } = useParams<{ id: string; period: string }>();
  const valid = /^[1-9][0-9]{0,9}$/.test(rawId) && /^(0|[1-9][0-9]{0,9})$/.test(rawPeriod);
  const id = Number(rawId);
  const period = Number(rawPeriod);
  const summary = useResource((signal) => ledgerApi.domainPeriod(signal, id, period), `domain-period:${rawId}:${rawPeriod}`);
  const events = useEventPages(id, period, valid);
  const names = useResource((signal) => ledgerApi.overview(signal), "overview:domains");
  if (!valid) return <NotFoundPage />;
  if (summary.state === "loading") return <Loading />;
  if (summary.state === "error") return summary.error.kind === "not_found" ? <NotFoundPage /> : <Failure error={summary.error} retry={summary.reload} />;
  const data = summary.data;
  const domains = names.state === "ok" ? names.data.domains : [data.domain];
  const name = domainName(i18n, domains, id);
  const base = `domain-${id}-period-${period}`;
  return (
    <>
      <h1>{t("domainPeriod.title", { domain: name, period })}</h1>
      <p className="lead">{t("common.periodStarts", { time: i18n.dateTime(data.startsAt) })}</p>
      <IndexNotice index={data.index} />
      <dl className="facts">
        {(["issued", "redeemed", "exchangedIn", "exchangedOut", "transferred", "supply"] as const).map((field) => (
          <div key={field} className="fact">
            <dt>{t(`col.${field}`)}</dt>
            <dd>
              <Amount value={data.figures[field]} />
            </dd>
          </div>
        ))}
      </dl>
      {data.issuers.length > 0 && (
        <Section title={t("domainPeriod.byIssuer")}>
          <DataTable
            caption={t("domainPeriod.byIssuer")}
            fileName={`${base}-issuers.csv`}
            rows={data.issuers}
            rowKey={(r) => r.issuer}
            columns={[
              { header: t("col.issuer"), cell: (r) => <Hex value={r.issuer} />, csv: (r) => r.issuer },
              { header: t("col.issuances"), cell: (r) => <Amount value={r.issuances} />, csv: (r) => String(r.issuances), numeric: true },
              { header: t("col.issued"), cell: (r) => <Amount value={r.issued} />, csv: (r) => r.issued, numeric: true },
              { header: t("col.quota"), cell: (r) => <Amount value={r.quota} />, csv: (r) => r.quota, numeric: true },
            ]}
          />
        </Section>
      )}
      {data.partners.length > 0 && (
        <Section title={t("domainPeriod.byPartner")}>
          <DataTable
            caption={t("domainPeriod.byPartner")}
            fileName={`${base}-partners.csv`}
            rows={data.partners}
            rowKey={(r) => r.partner}
            columns={[
              { header: t("col.partner"), cell: (r) => <Hex value={r.partner} />, csv: (r) => r.partner },
              { header: t("col.redemptions"), cell: (r) => <Amount value={r.redemptions} />, csv: (r) => String(r.redemptions), numeric: true },
              { header: t("col.redeemed"), cell: (r) => <Amount value={r.redeemed} />, csv: (r) => r.redeemed, numeric: true },
            ]}
          />
        </Section>
      )}
      {data.agreements.length > 0 && (
        <Section title={t("domainPeriod.byAgreement")}>
          <DataTable
            caption={t("domainPeriod.byAgreement")}
            fileName={`${base}-agreements.csv`}
            rows={data.agreements}
            rowKey={(r) => r.agreementId}
            columns={[
              { header: t("col.agreement"), cell: (r) => agreementName(i18n, domains, r.fromDomain, r.toDomain), csv: (r) => agreementName(i18n, domains, r.fromDomain, r.toDomain) },
              { header: t("col.exchanges"), cell: (r) => <Amount value={r.exchanges} />, csv: (r) => String(r.exchanges), numeric: true },
              { header: t("col.amountIn"), cell: (r) => <Amount value={r.amountIn} />, csv: (r) => r.amountIn, numeric: true },
              { header: t("col.amountOut"), cell: (r) => <Amount value={r.amountOut} />, csv: (r) => r.amountOut, numeric: true },
            ]}
          />
        </Section>
      )}
      <Section title={t("domainPeriod.events")}>
        {events.error && <Failure error={events.error} retry={events.more} />}
        {events.total === 0 && !events.loading && <p>{t("domainPeriod.noEvents")}</p>}
        {events.list.length > 0 && (
          <DataTable
            caption={t("domainPeriod.events")}
            fileName={`${base}-events.csv`}
            rows={events.list}
            rowKey={(e) => `${e.blockNumber}-${e.logIndex}`}
            columns={[
              { header: t("col.time"), cell: (e) => (e.time === null ? "" : i18n.dateTime(e.time)), csv: (e) => (e.time === null ? "" : new Date(e.time * 1000).toISOString()) },
              { header: t("col.event"), cell: (e) => eventName(i18n, e.name), csv: (e) => eventName(i18n, e.name) },
              { header: t("col.details"), cell: (e) => <EventDetails event={e} domains={domains} />, csv: (e) => JSON.stringify(e.args) },
              { header: t("col.transaction"), cell: (e) => <TxLink hash={e.transactionHash} />, csv: (e) => e.transactionHash },
            ]}
          />
        )}
        {events.total > 0 && <p role="status">{t("domainPeriod.shown", { total: events.total, shown: events.list.length })}</p>}
        {events.loading && <Loading />}
        {events.next && !events.loading && (
          <button type="button" className="button" onClick={events.more}>
            {t("domainPeriod.more")}
          </button>
        )}
      </Section>
    </>
  );
}

/** The period's events, a page at a time, appended as the reader asks for more. */
function useEventPages(domainId: number, period: number, enabled: boolean) {
  const [list, setList] = useState<LedgerEventEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<ApiError | undefined>();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setList([]);
    setCursor(undefined);
  }, [domainId, period]);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    ledgerApi.events(controller.signal, domainId, period, cursor).then(
      (page) => {
        setList((old) => (cursor ? [...old, ...page.events] : page.events));
        setNext(page.next);
        setTotal(page.total);
        setLoading(false);
      },
      (e: unknown) => {
        if ((e as Error).name === "AbortError") return;
        setError(e as ApiError);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [domainId, period, cursor, enabled, attempt]);
  return { list, next, total, loading, error, more: () => (next ? setCursor(next) : setAttempt((n) => n + 1)) };
}
