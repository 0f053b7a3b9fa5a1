/** "At what rate can I exchange, and up to how much?": the agreements, their rates, caps and use. */
import { useState } from "react";
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { Failure, IndexNotice, Loading } from "../components/Bits";
import { AgreementsTable } from "../components/ledgerTables";
import { useI18n } from "../i18n/i18n";

export default function AgreementsPage() {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const agreements = useResource((signal) => ledgerApi.agreements(signal, all), `agreements:${all}`);
  const overview = useResource((signal) => ledgerApi.overview(signal), "overview:domains");
  return (
    <>
      <h1>{t("agreements.title")}</h1>
      <p className="lead">{t("agreements.intro")}</p>
      <p>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          <span>{t("agreements.showAll")}</span>
        </label>
      </p>
      {(agreements.state === "loading" || overview.state === "loading") && <Loading />}
      {agreements.state === "error" && <Failure error={agreements.error} retry={agreements.reload} />}
      {overview.state === "error" && <Failure error={overview.error} retry={overview.reload} />}
      {agreements.state === "ok" && overview.state === "ok" && (
        <>
          <IndexNotice index={agreements.data.index} />
          {agreements.data.agreements.length === 0 ? (
            <p>{t(all ? "agreements.none" : "overview.agreements.none")}</p>
          ) : (
            <AgreementsTable agreements={agreements.data} domains={overview.data.domains} caption={t("agreements.title")} fileName={all ? "agreements.csv" : "agreements-in-force.csv"} />
          )}
        </>
      )}
    </>
  );
}
