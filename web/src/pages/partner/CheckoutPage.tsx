/**
 * A partner's checkout: the partner enters an amount and its own order reference; the page makes a
 * fresh random salt, hashes the reference with it (the SDK's referenceHash) and shows the payment
 * request as a QR code and a link (the SDK's paymentRequestLink). The reference and the salt stay
 * in this page's memory: only the hash is ever sent, in the link and in the index queries that
 * watch for the payment. Below, today's redemptions (local day) with totals per domain, as CSV.
 */
import { useEffect, useState, type FormEvent } from "react";
import { useParams } from "wouter";
import { paymentRequestLink, referenceHash, type PaymentRequest } from "@city-points/sdk/resident";
import { ledgerApi } from "../../api/ledger";
import { partnersApi } from "../../api/partners";
import { useResource } from "../../api/useResource";
import { Failure, Loading, Section, TxLink } from "../../components/Bits";
import { domainName } from "../../components/names";
import { QrCode } from "../../components/QrCode";
import { useI18n } from "../../i18n/i18n";
import { TodaysRedemptions } from "./TodaysRedemptions";

const POLL_MS = 2_000;
/** How long past the expiry a payment sent in time may still be on its way into a block. */
const EXPIRY_GRACE_SECONDS = 30;

/** A request the page made, with what only this page knows (the reference and its salt). */
interface MadeRequest {
  request: PaymentRequest;
  link: string;
  reference: string;
}

type Watch = { state: "waiting" } | { state: "paid"; transactionHash: string } | { state: "expired" };

function freshSalt(): `0x${string}` {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export default function CheckoutPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { address = "" } = useParams<{ address: string }>();
  const partner = address.toLowerCase();
  const info = useResource(async (signal) => {
    const [entries, overview] = await Promise.all([partnersApi.entries(signal, partner), ledgerApi.overview(signal)]);
    return { entries: entries.partners, domains: overview.domains };
  }, `checkout:${partner}`);
  const [made, setMade] = useState<MadeRequest | undefined>();
  const [paidCount, setPaidCount] = useState(0);

  if (info.state === "loading") return <Loading />;
  if (info.state === "error") {
    return (
      <>
        <h1>{t("partners.title")}</h1>
        {info.error.kind === "not_found" ? <p className="notice notice-warn">{t("checkout.unknown")}</p> : <Failure error={info.error} retry={info.reload} />}
      </>
    );
  }
  const { entries, domains } = info.data;
  return (
    <>
      <h1>{i18n.tNodes("checkout.title", { name: <span translate="no">{entries[0].name}</span> })}</h1>
      <p className="lead">{t("checkout.intro")}</p>
      {made ? (
        <RequestView made={made} domains={domains} onPaid={() => setPaidCount((n) => n + 1)} onNew={() => setMade(undefined)} />
      ) : (
        <RequestForm partner={partner} domainIds={entries.map((e) => e.domainId)} domains={domains} onMade={setMade} />
      )}
      <TodaysRedemptions partner={partner} domains={domains} refreshKey={paidCount} />
    </>
  );
}

function RequestForm({ partner, domainIds, domains, onMade }: { partner: string; domainIds: number[]; domains: { id: number; name: string }[]; onMade(made: MadeRequest): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [domainId, setDomainId] = useState(domainIds[0]);
  const [minutes, setMinutes] = useState("10");
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const points = /^[1-9][0-9]{0,18}$/.test(amount.trim()) ? BigInt(amount.trim()) : 0n;
    const valid = Number(minutes);
    if (points <= 0n || points >= 1n << 64n || reference.trim() === "" || !Number.isInteger(valid) || valid < 1 || valid > 60) {
      setInvalid(true);
      return;
    }
    const request: PaymentRequest = {
      partner: partner as `0x${string}`,
      domainId,
      amount: points,
      orderRef: referenceHash(freshSalt(), reference.trim()),
      expiresAt: Math.floor(Date.now() / 1000) + valid * 60,
    };
    onMade({ request, link: paymentRequestLink(window.location.origin, request), reference: reference.trim() });
  };
  return (
    <Section title={t("checkout.form")}>
      <form className="checkout-form" onSubmit={submit} noValidate>
        <label className="field">
          <span>{t("checkout.amount")}</span>
          <input name="amount" inputMode="numeric" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label className="field">
          <span>{t("checkout.reference")}</span>
          <input name="reference" autoComplete="off" value={reference} onChange={(e) => setReference(e.target.value)} aria-describedby="reference-hint" />
          <small id="reference-hint">{t("checkout.referenceHint")}</small>
        </label>
        {domainIds.length > 1 && (
          <label className="field">
            <span>{t("checkout.domain")}</span>
            <select name="domain" value={domainId} onChange={(e) => setDomainId(Number(e.target.value))}>
              {domainIds.map((id) => (
                <option key={id} value={id}>
                  {domainName(i18n, domains, id)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>{t("checkout.expiry")}</span>
          <input name="minutes" inputMode="numeric" autoComplete="off" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </label>
        {invalid && (
          <p className="notice notice-error" role="alert">
            {t("checkout.invalid")}
          </p>
        )}
        <p>
          <button type="submit" className="button">
            {t("checkout.create")}
          </button>
        </p>
      </form>
    </Section>
  );
}

function RequestView({ made, domains, onPaid, onNew }: { made: MadeRequest; domains: { id: number; name: string }[]; onPaid(): void; onNew(): void }) {
  const i18n = useI18n();
  const { t, number, dateTime } = i18n;
  const { request } = made;
  const [watch, setWatch] = useState<Watch>({ state: "waiting" });
  useEffect(() => {
    if (watch.state !== "waiting") return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const answer = await partnersApi.redemptions(controller.signal, request.partner, { orderRef: request.orderRef });
        const paid = answer.redemptions.find((r) => r.domainId === request.domainId && BigInt(r.amount) === request.amount);
        if (paid) {
          setWatch({ state: "paid", transactionHash: paid.transactionHash });
          onPaid();
          return;
        }
        // The chain refuses a payment in a block after the expiry (the intent's deadline), and the
        // relay one it receives after it: once the index holds a later block, or the clock is well
        // past the expiry with the index up to date, an unpaid request can no longer be paid.
        const { blockTime, upToDate } = answer.index;
        const clockPast = upToDate && Date.now() / 1000 > request.expiresAt + EXPIRY_GRACE_SECONDS;
        if ((blockTime ?? 0) > request.expiresAt || clockPast) {
          setWatch({ state: "expired" });
          return;
        }
      } catch (error) {
        if ((error as Error).name === "AbortError") return;
      }
      timer = setTimeout(check, POLL_MS);
    };
    void check();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [request, watch.state]);
  const domain = domainName(i18n, domains, request.domainId);
  const amount = number(request.amount);
  return (
    <Section title={t("checkout.request")}>
      <p>{t("checkout.summary", { reference: made.reference, amount, domain, time: dateTime(request.expiresAt) })}</p>
      {watch.state === "waiting" && (
        <>
          <QrCode text={made.link} label={t("checkout.qr", { amount, domain })} />
          <p>
            <strong>{t("checkout.link")}</strong>:{" "}
            <a href={made.link} className="payment-link" data-payment-link={made.link}>
              {made.link}
            </a>
          </p>
          <p className="notice" role="status">
            {t("checkout.waiting")}
          </p>
        </>
      )}
      {watch.state === "paid" && (
        <p className="notice notice-ok" role="status" data-state="paid">
          <strong>✓ {t("checkout.paid")}</strong> {t("checkout.paidTx")}
          <TxLink hash={watch.transactionHash} />
        </p>
      )}
      {watch.state === "expired" && (
        <p className="notice notice-warn" role="status" data-state="expired">
          <strong>⌛ {t("checkout.expired")}</strong>
        </p>
      )}
      <p>
        <button type="button" className="button secondary" onClick={onNew}>
          {t("checkout.new")}
        </button>
      </p>
    </Section>
  );
}
