/** "What is this?": the exchange in two sentences, and the way into the public ledger. */
import { Link } from "wouter";
import { useI18n } from "../i18n/i18n";
import { paths } from "../paths";

export default function HomePage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.intro")}</p>
      {/* Later parts of the app add their cards here: the residents' wallet, the partners' checkout, station mode. */}
      <ul className="cards">
        <li className="card">
          <h2>
            <Link href={paths.wallet}>{t("wallet.home.title")}</Link>
          </h2>
          <p>{t("wallet.home.text")}</p>
        </li>
        <li className="card">
          <h2>
            <Link href={paths.overview}>{t("home.ledger.title")}</Link>
          </h2>
          <p>{t("home.ledger.text")}</p>
        </li>
      </ul>
    </>
  );
}
