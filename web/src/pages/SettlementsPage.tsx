/** "What do the agencies owe each other?": the periods with exchanges or a closing, and their state. */
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { Failure, IndexNotice, Loading } from "../components/Bits";
import { SettlementsTable } from "../components/ledgerTables";
import { PeriodPager, usePeriodWindow } from "../components/PeriodPager";
import { useI18n } from "../i18n/i18n";

export default function SettlementsPage() {
  const { t } = useI18n();
  const window = usePeriodWindow();
  const list = useResource((signal) => ledgerApi.settlements(signal, window.from, window.to), `settlements:${window.to ?? "now"}`);
  return (
    <>
      <h1>{t("settlements.title")}</h1>
      <p className="lead">{t("settlements.intro")}</p>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <Failure error={list.error} retry={list.reload} />}
      {list.state === "ok" && (
        <>
          <IndexNotice index={list.data.index} />
          <PeriodPager fromPeriod={list.data.fromPeriod} toPeriod={list.data.toPeriod} currentPeriod={list.data.clock.currentPeriod} />
          {list.data.settlements.length === 0 ? (
            <p>{t("overview.settlements.none")}</p>
          ) : (
            <SettlementsTable settlements={list.data.settlements} caption={t("settlements.title")} fileName={`settlements-periods-${list.data.fromPeriod}-${list.data.toPeriod}.csv`} />
          )}
        </>
      )}
    </>
  );
}
