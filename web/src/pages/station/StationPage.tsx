/**
 * Community station mode (/station?id=N; docs/stations.md): a shared terminal where a staff member
 * signs in with their own passkey and stays signed in, while residents come and go: each taps their
 * FIDO2 card (or gets a new one enrolled), sees their balances and pays a partner's request, the
 * card signing first and the staff's passkey stamping second. A resident is signed out on "finish"
 * or after `?idle=` seconds without a tap (60 by default); their state lives in this page's React
 * state only and is dropped then.
 */
import { useState } from "react";
import { useLocation, useSearch } from "wouter";
import { useResource } from "../../api/useResource";
import { Failure, Hex, Loading } from "../../components/Bits";
import { useI18n, type MessageKey } from "../../i18n/i18n";
import { paths } from "../../paths";
import { signIn, type ResidentSession } from "../../resident/passkey";
import { createCard, stationApi, staffSignIn, submitEnrolment } from "../../resident/station";
import type { CreatedPasskey } from "@city-points/sdk/resident";
import { stationRefusalOf } from "./refusals";
import { ResidentDesk } from "./ResidentDesk";

const DEFAULT_IDLE_SECONDS = 60;

function positive(value: string | null, fallback?: number): number | undefined {
  return value !== null && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : fallback;
}

function Picker() {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const [id, setId] = useState("");
  return (
    <form className="form" onSubmit={(e) => (e.preventDefault(), positive(id) && navigate(`${paths.station}?id=${id}`))}>
      <p>{t("station.pick.text")}</p>
      <div className="field">
        <label htmlFor="station-id">{t("station.pick.label")}</label>
        <input id="station-id" name="id" inputMode="numeric" autoComplete="off" value={id} onChange={(e) => setId(e.target.value.trim())} />
      </div>
      <div className="actions">
        <button type="submit" className="button">
          {t("station.pick.open")}
        </button>
      </div>
    </form>
  );
}

function Busy({ working, refusal }: { working?: MessageKey; refusal?: MessageKey }) {
  const { t } = useI18n();
  return (
    <>
      {working && (
        <p className="notice" role="status">
          {t(working)}
        </p>
      )}
      {refusal && (
        <p className="notice notice-error" role="alert" data-testid="station-refusal">
          {t(refusal)}
        </p>
      )}
    </>
  );
}

function Terminal({ stationId, idleSeconds, onCounted }: { stationId: number; idleSeconds: number; onCounted(): void }) {
  const { t } = useI18n();
  const [staff, setStaff] = useState<ResidentSession>();
  const [resident, setResident] = useState<ResidentSession>();
  const [state, setState] = useState<{ working?: MessageKey; refusal?: MessageKey }>({});
  /** A new card made on the resident's tap, waiting for the staff's stamp. */
  const [card, setCard] = useState<CreatedPasskey>();
  const run = (working: MessageKey, task: () => Promise<void>) => {
    setState({ working });
    task().then(
      () => setState({}),
      (error: unknown) => setState({ refusal: stationRefusalOf(error) }),
    );
  };
  if (!staff) {
    return (
      <section aria-labelledby="station-staff-title">
        <h2 id="station-staff-title">{t("station.staff.title")}</h2>
        <p>{t("station.staff.text")}</p>
        <div className="actions">
          <button type="button" className="button" disabled={!!state.working} onClick={() => run("station.staff.working", async () => setStaff(await staffSignIn(stationId)))}>
            {t("station.staff.signIn")}
          </button>
        </div>
        <Busy {...state} />
      </section>
    );
  }
  const finish = () => {
    setResident(undefined);
    setCard(undefined);
    setState({});
  };
  return (
    <>
      <div className="wallet-bar">
        <p className="signed-in" data-testid="station-staff">
          {t("station.staff.signedIn")} <Hex value={staff.account} />
        </p>
        <button type="button" className="button secondary" onClick={() => (setResident(undefined), setCard(undefined), setStaff(undefined), setState({}))}>
          {t("station.staff.signOut")}
        </button>
      </div>
      {resident ? (
        <ResidentDesk resident={resident} staff={staff} stationId={stationId} idleSeconds={idleSeconds} onCounted={onCounted} onFinish={finish} />
      ) : (
        <section aria-labelledby="station-tap-title">
          <h2 id="station-tap-title">{t("station.tap.title")}</h2>
          <p>{t("station.tap.text")}</p>
          <div className="actions">
            <button type="button" className="button" disabled={!!state.working} onClick={() => run("station.tap.working", async () => setResident(await signIn()))}>
              {t("station.tap.signIn")}
            </button>
            {card ? (
              <button
                type="button"
                className="button"
                disabled={!!state.working}
                onClick={() =>
                  run("station.enrol.working", async () => {
                    const session = await submitEnrolment(staff, stationId, card);
                    setCard(undefined);
                    onCounted();
                    setResident(session);
                  })
                }
              >
                {t("station.stamp.confirm")}
              </button>
            ) : (
              <button type="button" className="button secondary" disabled={!!state.working} onClick={() => run("station.enrol.cardWorking", async () => setCard(await createCard()))}>
                {t("station.enrol")}
              </button>
            )}
          </div>
          <p className="section-text">{t(card ? "station.stamp.text" : "station.enrol.text")}</p>
          <Busy {...state} />
        </section>
      )}
    </>
  );
}

export default function StationPage() {
  const { t, number } = useI18n();
  const params = new URLSearchParams(useSearch());
  const stationId = positive(params.get("id"));
  const idleSeconds = positive(params.get("idle"), DEFAULT_IDLE_SECONDS)!;
  const [reads, setReads] = useState(0);
  const station = useResource((signal) => (stationId ? stationApi.station(stationId, signal) : Promise.resolve(undefined)), `station-${stationId}-${reads}`);
  return (
    <>
      <h1>{t("station.title")}</h1>
      {!stationId ? (
        <Picker />
      ) : station.state === "loading" && reads === 0 ? (
        <Loading />
      ) : station.state === "error" ? (
        <Failure error={station.error} retry={station.reload} />
      ) : (
        <>
          {station.state === "ok" && station.data && (
            <dl className="facts" data-testid="station-facts">
              <div className="fact">
                <dt>{t("station.name")}</dt>
                <dd translate="no">{station.data.name}</dd>
              </div>
              <div className="fact">
                <dt>{t("station.today")}</dt>
                <dd data-testid="station-today">{t("station.count", { count: number(station.data.countToday), limit: number(station.data.dailyLimit) })}</dd>
              </div>
              {!station.data.active && (
                <div className="fact">
                  <dt>{t("station.state")}</dt>
                  <dd>{t("station.closed")}</dd>
                </div>
              )}
            </dl>
          )}
          <Terminal stationId={stationId} idleSeconds={idleSeconds} onCounted={() => setReads((n) => n + 1)} />
        </>
      )}
    </>
  );
}
