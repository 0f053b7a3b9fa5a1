/** A resident's balance in each kind of points they hold, with the point's value: the wallet's and the station terminal's. */
import { useResource } from "../../api/useResource";
import { Failure, Loading } from "../../components/Bits";
import { domainName } from "../../components/names";
import { useI18n } from "../../i18n/i18n";
import type { ResidentSession } from "../../resident/passkey";
import { residentApi } from "../../resident/relay";
import type { loadDomains } from "./data";

type Domains = Awaited<ReturnType<typeof loadDomains>>["domains"];

export function Balances({ session, domains }: { session: ResidentSession; domains: Domains }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const balances = useResource((signal) => residentApi.balances(session.account, signal), `balances-${session.account}`);
  if (balances.state === "loading") return <Loading />;
  if (balances.state === "error") return <Failure error={balances.error} retry={balances.reload} />;
  const held = balances.data.balances.filter((b) => BigInt(b.balance) > 0n);
  if (held.length === 0) return <p>{t("wallet.balances.empty")}</p>;
  return (
    <ul className="cards balances">
      {held.map((b) => {
        const domain = domains.find((d) => d.id === b.domainId);
        return (
          <li key={b.domainId} className="card" data-domain={b.domainId}>
            <h3>{domainName(i18n, domains, b.domainId)}</h3>
            <p className="balance">
              {t("wallet.points", { amount: number(b.balance) })}
            </p>
            {domain && <p className="section-text">{t("wallet.pointValue", { value: number(domain.pointValue) })}</p>}
          </li>
        );
      })}
    </ul>
  );
}

