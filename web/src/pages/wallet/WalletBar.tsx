/** Who is signed in (the account's code, short), the wallet's pages, and signing out. */
import { Link } from "wouter";
import { Hex } from "../../components/Bits";
import { useI18n } from "../../i18n/i18n";
import { paths } from "../../paths";
import type { ResidentSession } from "../../resident/passkey";
import { useSession } from "../../resident/session";

export function WalletBar({ session }: { session: ResidentSession }) {
  const { t } = useI18n();
  const { setSession } = useSession();
  return (
    <div className="wallet-bar">
      <p className="signed-in">
        {t("wallet.signedIn")} <Hex value={session.account} />
      </p>
      <nav aria-label={t("wallet.nav.label")}>
        <ul className="wallet-links">
          <li>
            <Link href={paths.wallet}>{t("wallet.nav.points")}</Link>
          </li>
          <li>
            <Link href={paths.walletAccount}>{t("wallet.nav.account")}</Link>
          </li>
          <li>
            <Link href={paths.walletExchange}>{t("wallet.nav.exchange")}</Link>
          </li>
          <li>
            <Link href={paths.pay}>{t("wallet.nav.pay")}</Link>
          </li>
        </ul>
      </nav>
      <button type="button" className="button secondary" onClick={() => setSession(undefined)}>
        {t("wallet.signOut")}
      </button>
    </div>
  );
}
