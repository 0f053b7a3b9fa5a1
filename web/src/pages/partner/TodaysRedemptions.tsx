/**
 * Today's redemptions at the partner (the local day, by block time), with a total per domain and a
 * CSV for the partner's books. The CSV leaves out the resident's account: the partner's till knows
 * who bought what, so account addresses in its files would tie those people to all their activity on
 * the public chain; the transaction hash is enough to check each line against the chain.
 */
import type { PartnerRedemption } from "@city-points/sdk/wire";
import { partnersApi } from "../../api/partners";
import { useResource } from "../../api/useResource";
import { Amount, Failure, Hex, IndexNotice, Loading, Section, TxLink } from "../../components/Bits";
import { DataTable, type Column } from "../../components/DataTable";
import { domainName, type DomainLike } from "../../components/names";
import { useI18n } from "../../i18n/i18n";

/** The local day around now, as unix seconds [start of today, start of tomorrow). */
export function localDay(now = new Date()): { from: number; to: number; label: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { from: start.getTime() / 1000, to: end.getTime() / 1000, label: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}` };
}

interface DomainTotal {
  domainId: number;
  count: number;
  amount: bigint;
}

export function TodaysRedemptions({ partner, domains, refreshKey }: { partner: string; domains: DomainLike[]; refreshKey: number }) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const day = localDay();
  const today = useResource((signal) => partnersApi.redemptions(signal, partner, { from: day.from, to: day.to }), `today:${partner}:${day.from}:${refreshKey}`);
  const columns: Column<PartnerRedemption>[] = [
    { header: t("checkout.time"), cell: (r) => dateTime(r.time), csv: (r) => new Date(r.time * 1000).toISOString() },
    { header: t("checkout.domain"), cell: (r) => domainName(i18n, domains, r.domainId), csv: (r) => domainName(i18n, domains, r.domainId) },
    { header: t("checkout.amount"), cell: (r) => <Amount value={r.amount} />, csv: (r) => r.amount, numeric: true },
    { header: t("checkout.orderHash"), cell: (r) => <Hex value={r.orderRef} />, csv: (r) => r.orderRef },
    { header: t("checkout.tx"), cell: (r) => <TxLink hash={r.transactionHash} />, csv: (r) => r.transactionHash },
  ];
  const totalColumns: Column<DomainTotal>[] = [
    { header: t("checkout.domain"), cell: (r) => domainName(i18n, domains, r.domainId), csv: (r) => domainName(i18n, domains, r.domainId) },
    { header: t("checkout.payments"), cell: (r) => t("checkout.count", { count: r.count }), csv: (r) => String(r.count), numeric: true },
    { header: t("checkout.total"), cell: (r) => <Amount value={r.amount} />, csv: (r) => r.amount.toString(), numeric: true },
  ];
  return (
    <Section title={t("checkout.today")} text={t("checkout.todayIntro")} id="today">
      {today.state === "loading" && <Loading />}
      {today.state === "error" && <Failure error={today.error} retry={today.reload} />}
      {today.state === "ok" && (
        <>
          <IndexNotice index={today.data.index} />
          <p>
            <button type="button" className="button secondary" onClick={today.reload}>
              {t("checkout.refresh")}
            </button>
          </p>
          {today.data.redemptions.length === 0 ? (
            <p>{t("checkout.todayNone")}</p>
          ) : (
            <>
              <DataTable
                caption={t("checkout.total")}
                columns={totalColumns}
                rows={totals(today.data.redemptions)}
                fileName={`redemptions-${day.label}-totals.csv`}
                rowKey={(r) => String(r.domainId)}
              />
              <DataTable
                caption={t("checkout.today")}
                columns={columns}
                rows={today.data.redemptions}
                fileName={`redemptions-${day.label}.csv`}
                rowKey={(r) => `${r.transactionHash}:${r.logIndex}`}
              />
            </>
          )}
        </>
      )}
    </Section>
  );
}

function totals(redemptions: PartnerRedemption[]): DomainTotal[] {
  const byDomain = new Map<number, DomainTotal>();
  for (const r of redemptions) {
    const total = byDomain.get(r.domainId) ?? { domainId: r.domainId, count: 0, amount: 0n };
    total.count += 1;
    total.amount += BigInt(r.amount);
    byDomain.set(r.domainId, total);
  }
  return [...byDomain.values()].sort((a, b) => a.domainId - b.domainId);
}
