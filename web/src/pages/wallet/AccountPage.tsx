/** The resident's account code, as a QR code and as text: what an agency scans to link the resident to its records. */
import { QrCode } from "../../components/QrCode";
import { useI18n } from "../../i18n/i18n";
import { useSession } from "../../resident/session";
import { SignIn } from "./SignIn";
import { WalletBar } from "./WalletBar";

export default function AccountPage() {
  const { t } = useI18n();
  const { session } = useSession();
  return (
    <>
      <h1>{t("wallet.account.title")}</h1>
      {!session ? (
        <SignIn />
      ) : (
        <>
          <WalletBar session={session} />
          <p className="lead">{t("wallet.account.text")}</p>
          <QrCode text={session.account} label={t("wallet.account.qr")} size={240} />
          <h2>{t("wallet.account.code")}</h2>
          <p className="account-code" translate="no" data-testid="account-code">
            {session.account}
          </p>
          <p className="section-text">{t("wallet.account.private")}</p>
        </>
      )}
    </>
  );
}
