/**
 * The resident's part of the terminal once their card is tapped: their balances, a partner's
 * payment request opened (link pasted or scanned, read by the SDK), and its payment signed by the
 * card on one press, then stamped by the staff member on a second (each prompt needs its own press). "Finish", or the inactivity timer (a visible countdown
 * in its last 15 seconds), hands the terminal back: the parent drops the resident's state.
 */
import { parsePaymentRequest, paymentRequestOpen, type PaymentRequest } from "@city-points/sdk/resident";
import type { Operation } from "@city-points/sdk/wire";
import { useState } from "react";
import { Link } from "wouter";
import { useResource } from "../../api/useResource";
import { Failure, Hex, Loading } from "../../components/Bits";
import { useI18n, type MessageKey } from "../../i18n/i18n";
import { paths } from "../../paths";
import type { ResidentSession } from "../../resident/passkey";
import { residentApi } from "../../resident/relay";
import { signPayment } from "../../resident/intents";
import { submitPayment, type SignedPayment } from "../../resident/station";
import { loadDomains } from "../wallet/data";
import { OpenRequest } from "../wallet/OpenRequest";
import { Balances } from "../wallet/Balances";
import { PaymentFacts } from "../wallet/PaymentFacts";
import { stationRefusalOf } from "./refusals";
import { useIdle } from "./useIdle";

const COUNTDOWN_FROM = 15;

interface Props {
  resident: ResidentSession;
  staff: ResidentSession;
  stationId: number;
  idleSeconds: number;
  /** After an operation: the station's count changed. */
  onCounted(): void;
  onFinish(): void;
}

export function ResidentDesk({ resident, staff, stationId, idleSeconds, onCounted, onFinish }: Props) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const domains = useResource(loadDomains, "domains");
  const [request, setRequest] = useState<PaymentRequest>();
  const [outcome, setOutcome] = useState<{ working?: MessageKey; refusal?: MessageKey; signed?: SignedPayment; done?: Operation }>({});
  const [refreshes, setRefreshes] = useState(0);
  const left = useIdle(idleSeconds, !!outcome.working, onFinish);

  const sign = async (r: PaymentRequest) => {
    // Refused before the card is asked: nothing is signed or sent.
    if (!paymentRequestOpen(r, Date.now() / 1000)) return setOutcome({ refusal: "refusal.requestExpired" });
    setOutcome({ working: "station.pay.cardWorking" });
    try {
      const { balances } = await residentApi.balances(resident.account);
      if (BigInt(balances.find((b) => b.domainId === r.domainId)?.balance ?? "0") < r.amount) return setOutcome({ refusal: "refusal.balance" });
      setOutcome({ signed: await signPayment(resident, r) });
    } catch (error) {
      setOutcome({ refusal: stationRefusalOf(error) });
    }
  };
  const stamp = async (signed: SignedPayment) => {
    setOutcome({ signed, working: "station.pay.working" });
    try {
      setOutcome({ done: await submitPayment(staff, stationId, signed) });
    } catch (error) {
      setOutcome({ refusal: stationRefusalOf(error) });
    } finally {
      setRefreshes((n) => n + 1);
      onCounted();
    }
  };

  return (
    <section className="station-resident" aria-labelledby="station-resident-title">
      <h2 id="station-resident-title">{t("station.resident.title")}</h2>
      <p className="signed-in">
        {t("station.resident.account")} <Hex value={resident.account} />
      </p>
      {left <= COUNTDOWN_FROM && (
        <p className="notice notice-warn" role="timer" aria-live="polite" data-testid="station-countdown">
          {t("station.idle.countdown", { seconds: String(left) })}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button secondary" onClick={() => setRefreshes((n) => n + 1)}>
          {t("station.resident.refresh")}
        </button>
        <button type="button" className="button" onClick={onFinish}>
          {t("station.resident.finish")}
        </button>
      </div>
      <h3>{t("station.resident.balances")}</h3>
      {domains.state === "loading" && <Loading />}
      {domains.state === "error" && <Failure error={domains.error} retry={domains.reload} />}
      {domains.state === "ok" && <Balances key={refreshes} session={resident} domains={domains.data.domains} />}

      {!request ? (
        <OpenRequest
          onOpen={(query) => {
            setOutcome({});
            setRequest(parsePaymentRequest(query));
          }}
        />
      ) : (
        <section aria-labelledby="station-pay-title">
          <h3 id="station-pay-title">{t("station.pay.title")}</h3>
          <PaymentFacts request={request} domains={domains.state === "ok" ? domains.data.domains : undefined} testIdPrefix="station-pay" />
          {outcome.done ? (
            <div className="notice done" role="status" data-testid="station-paid">
              <p>{t("station.pay.done", { amount: number(request.amount) })}</p>
              {outcome.done.transaction && <Link href={paths.tx(outcome.done.transaction.hash)}>{t("wallet.history.tx")}</Link>}
            </div>
          ) : (
            <p className="section-text">{t(outcome.signed ? "station.stamp.text" : "station.pay.twoTaps")}</p>
          )}
          <div className="actions">
            {!outcome.done && !outcome.signed && (
              <button type="button" className="button" disabled={!!outcome.working} onClick={() => void sign(request)}>
                {t("station.pay.confirm")}
              </button>
            )}
            {outcome.signed && (
              <button type="button" className="button" disabled={!!outcome.working} onClick={() => void stamp(outcome.signed!)}>
                {t("station.stamp.confirm")}
              </button>
            )}
            <button type="button" className="button secondary" disabled={!!outcome.working} onClick={() => (setRequest(undefined), setOutcome({}))}>
              {t("station.pay.another")}
            </button>
          </div>
        </section>
      )}
      {outcome.working && (
        <p className="notice" role="status">
          {t(outcome.working)}
        </p>
      )}
      {outcome.refusal && (
        <p className="notice notice-error" role="alert" data-testid="station-refusal">
          {t(outcome.refusal)}
        </p>
      )}
    </section>
  );
}
