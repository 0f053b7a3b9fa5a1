/**
 * "My points": sign in (or up) with a passkey; then the resident's balance in each kind of points
 * and every issuance (by which agency), exchange (agreement version and, while in force, its rate) and payment (at which partner), newest first, each with its time and linked to its transaction.
 */
import { Link } from "wouter";
import { useResource } from "../../api/useResource";
import { Failure, Hex, Loading } from "../../components/Bits";
import { domainName } from "../../components/names";
import { useI18n, type I18n } from "../../i18n/i18n";
import { paths } from "../../paths";
import type { ResidentSession } from "../../resident/passkey";
import { useSession } from "../../resident/session";
import { Balances } from "./Balances";
import { loadDomains, loadHistory, type HistoryEntry } from "./data";
import { SignIn } from "./SignIn";
import { WalletBar } from "./WalletBar";

type Domains = Awaited<ReturnType<typeof loadDomains>>["domains"];

function describe(i18n: I18n, domains: Domains, e: HistoryEntry) {
  const name = (id: number | undefined) => domainName(i18n, domains, id ?? 0);
  const { t, number } = i18n;
  switch (e.type) {
    case "issued":
      return t("wallet.history.issued", { amount: number(e.amount ?? "0"), domain: name(e.domainId) });
    case "exchanged":
      return t("wallet.history.exchanged", { amountIn: number(e.amountIn ?? "0"), from: name(e.fromDomain), amountOut: number(e.amountOut ?? "0"), to: name(e.toDomain) });
    case "redeemed":
      return t("wallet.history.redeemed", { amount: number(e.amount ?? "0"), domain: name(e.domainId) });
    case "transferred-in":
      return t("wallet.history.transferredIn", { amount: number(e.amount ?? "0"), domain: name(e.domainId) });
    case "transferred-out":
      return t("wallet.history.transferredOut", { amount: number(e.amount ?? "0"), domain: name(e.domainId) });
  }
}

const KIND = {
  issued: "wallet.kind.issued",
  exchanged: "wallet.kind.exchanged",
  redeemed: "wallet.kind.redeemed",
  "transferred-in": "wallet.kind.transferredIn",
  "transferred-out": "wallet.kind.transferredOut",
} as const;

function Detail({ e, domains }: { e: HistoryEntry; domains: Domains }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (e.type === "issued" && e.issuer) {
    return <p>{i18n.tNodes("wallet.history.by", { agency: t("wallet.history.agencyOf", { domain: domainName(i18n, domains, e.domainId ?? 0) }), address: <Hex value={e.issuer} /> })}</p>;
  }
  if (e.type === "redeemed" && e.partner) {
    return <p>{i18n.tNodes("wallet.history.at", { partner: e.partnerName ? <span translate="no">{e.partnerName}</span> : <Hex value={e.partner} /> })}</p>;
  }
  if (e.type === "exchanged" && e.version !== undefined) {
    const name = (id: number | undefined) => domainName(i18n, domains, id ?? 0);
    return (
      <p>
        {t("wallet.history.agreement", { version: e.version })}
        {e.rate && ` · ${t("wallet.exchange.rateValue", { den: i18n.number(e.rate.den), from: name(e.fromDomain), num: i18n.number(e.rate.num), to: name(e.toDomain) })}`}
      </p>
    );
  }
  return null;
}

function History({ session, domains }: { session: ResidentSession; domains: Domains }) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const history = useResource((signal) => loadHistory(session.account, signal), `history-${session.account}`);
  if (history.state === "loading") return <Loading />;
  if (history.state === "error") return <Failure error={history.error} retry={history.reload} />;
  if (history.data.length === 0) return <p>{t("wallet.history.empty")}</p>;
  return (
    <ol className="history">
      {history.data.map((e) => (
        <li key={`${e.transactionHash}-${e.type}-${e.amount ?? e.amountIn}`} className="card" data-type={e.type}>
          <h3>
            {t(KIND[e.type])}: {describe(i18n, domains, e)}
          </h3>
          <Detail e={e} domains={domains} />
          <p>
            <time dateTime={new Date(e.time * 1000).toISOString()}>{dateTime(e.time)}</time> · <Link href={paths.tx(e.transactionHash)}>{t("wallet.history.tx")}</Link>
          </p>
        </li>
      ))}
    </ol>
  );
}

export default function WalletPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const domains = useResource(loadDomains, "domains");
  return (
    <>
      <h1>{t("wallet.title")}</h1>
      {!session ? (
        <>
          <p className="lead">{t("wallet.intro")}</p>
          <SignIn />
        </>
      ) : (
        <>
          <WalletBar session={session} />
          {domains.state === "loading" && <Loading />}
          {domains.state === "error" && <Failure error={domains.error} retry={domains.reload} />}
          {domains.state === "ok" && (
            <>
              <h2>{t("wallet.balances.title")}</h2>
              <Balances session={session} domains={domains.data.domains} />
              <h2>{t("wallet.history.title")}</h2>
              <History session={session} domains={domains.data.domains} />
            </>
          )}
        </>
      )}
    </>
  );
}
