/**
 * Exchange points of one kind for another: the live quote of the agreement in force (SDK
 * quoteExchange, read through /rpc at one block), then the resident confirms with the passkey and
 * the exchange is signed at exactly the quoted amount out and followed until final.
 */
import { quoteExchange, type ExchangeQuote } from "@city-points/sdk/resident";
import type { Operation } from "@city-points/sdk/wire";
import { useEffect, useId, useState } from "react";
import { Link } from "wouter";
import { useResource } from "../../api/useResource";
import { Failure, Loading } from "../../components/Bits";
import { domainName } from "../../components/names";
import { useI18n, type MessageKey } from "../../i18n/i18n";
import { paths } from "../../paths";
import { chainClient } from "../../resident/chain";
import { exchangeAtQuote } from "../../resident/intents";
import type { ResidentSession } from "../../resident/passkey";
import { getDeployment, residentApi } from "../../resident/relay";
import { refusalOf } from "../../resident/refusals";
import { useSession } from "../../resident/session";
import { loadDomains } from "./data";
import { SignIn } from "./SignIn";
import { WalletBar } from "./WalletBar";

type Domains = Awaited<ReturnType<typeof loadDomains>>["domains"];
type QuoteState = { state: "none" } | { state: "loading" } | { state: "ok"; quote: ExchangeQuote } | { state: "refused"; refusal: MessageKey };
const QUOTE_DELAY_MS = 300;

function parseAmount(text: string): bigint | undefined {
  return /^[0-9]{1,30}$/.test(text.trim()) && BigInt(text.trim()) > 0n ? BigInt(text.trim()) : undefined;
}

function useQuote(fromDomain: number, toDomain: number, amountIn: bigint | undefined, attempt: number): QuoteState {
  const [quote, setQuote] = useState<QuoteState>({ state: "none" });
  useEffect(() => {
    if (amountIn === undefined || fromDomain === toDomain) {
      setQuote({ state: "none" });
      return;
    }
    let live = true;
    setQuote({ state: "loading" });
    const timer = setTimeout(() => {
      getDeployment()
        .then(({ ledger }) => quoteExchange(chainClient(), { ledger: ledger as `0x${string}`, fromDomain, toDomain, amountIn }))
        .then(
          (q) => live && setQuote({ state: "ok", quote: q }),
          (error: unknown) => live && setQuote({ state: "refused", refusal: refusalOf(error) }),
        );
    }, QUOTE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [fromDomain, toDomain, amountIn, attempt]);
  return quote;
}

function Exchange({ session, domains }: { session: ResidentSession; domains: Domains }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const ids = { from: useId(), to: useId(), amount: useId() };
  const [fromDomain, setFrom] = useState(domains[0]?.id ?? 1);
  const [toDomain, setTo] = useState(domains[1]?.id ?? 2);
  const [amountText, setAmountText] = useState("");
  const [attempt, setAttempt] = useState(0);
  const [outcome, setOutcome] = useState<{ working?: boolean; refusal?: MessageKey; done?: { op: Operation; quote: ExchangeQuote } }>({});
  const amountIn = parseAmount(amountText);
  const quote = useQuote(fromDomain, toDomain, amountIn, attempt);
  const name = (id: number) => domainName(i18n, domains, id);

  const confirm = async () => {
    if (quote.state !== "ok") return;
    const q = quote.quote;
    setOutcome({ working: true });
    try {
      const { balances } = await residentApi.balances(session.account);
      const balance = BigInt(balances.find((b) => b.domainId === fromDomain)?.balance ?? "0");
      // Refused here, before the passkey is asked: nothing is signed or sent.
      if (balance < q.amountIn) return setOutcome({ refusal: "refusal.balance" });
      if (q.remainingCap !== undefined && q.amountIn > q.remainingCap) return setOutcome({ refusal: "refusal.cap" });
      if (q.amountOut === 0n) return setOutcome({ refusal: "refusal.tooSmall" });
      const op = await exchangeAtQuote(session, q, fromDomain, toDomain);
      setOutcome({ done: { op, quote: q } });
      setAmountText("");
    } catch (error) {
      setOutcome({ refusal: refusalOf(error) });
      setAttempt((n) => n + 1);
    }
  };

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm();
      }}
    >
      <div className="field">
        <label htmlFor={ids.from}>{t("wallet.exchange.from")}</label>
        <select id={ids.from} value={fromDomain} onChange={(e) => setFrom(Number(e.target.value))}>
          {domains.map((d) => (
            <option key={d.id} value={d.id}>
              {name(d.id)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.to}>{t("wallet.exchange.to")}</label>
        <select id={ids.to} value={toDomain} onChange={(e) => setTo(Number(e.target.value))}>
          {domains.map((d) => (
            <option key={d.id} value={d.id}>
              {name(d.id)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.amount}>{t("wallet.exchange.amount", { domain: name(fromDomain) })}</label>
        <input id={ids.amount} name="amount" inputMode="numeric" autoComplete="off" value={amountText} onChange={(e) => setAmountText(e.target.value)} />
      </div>
      {fromDomain === toDomain && <p className="notice notice-warn">{t("wallet.exchange.same")}</p>}
      {amountText !== "" && amountIn === undefined && <p className="notice notice-warn">{t("wallet.exchange.wholeNumber")}</p>}
      <section aria-live="polite" className="quote">
        {quote.state === "loading" && <p className="notice">{t("wallet.exchange.quoting")}</p>}
        {quote.state === "refused" && (
          <p className="notice notice-error" role="alert">
            {t(quote.refusal)}
          </p>
        )}
        {quote.state === "ok" && (
          <>
            <h2>{t("wallet.exchange.quote")}</h2>
            <dl className="facts">
              <div className="fact">
                <dt>{t("wallet.exchange.rate")}</dt>
                <dd data-testid="quote-rate">{t("wallet.exchange.rateValue", { den: number(quote.quote.rateDen), from: name(fromDomain), num: number(quote.quote.rateNum), to: name(toDomain) })}</dd>
              </div>
              <div className="fact">
                <dt>{t("wallet.exchange.out")}</dt>
                <dd data-testid="quote-out">{t("wallet.points", { amount: number(quote.quote.amountOut) })}</dd>
              </div>
              <div className="fact">
                <dt>{t("wallet.exchange.leftover")}</dt>
                <dd data-testid="quote-leftover">{t("wallet.points", { amount: number(quote.quote.leftover) })}</dd>
              </div>
              <div className="fact">
                <dt>{t("wallet.exchange.smallest")}</dt>
                <dd data-testid="quote-smallest">{t("wallet.points", { amount: number(quote.quote.smallestAmountIn) })}</dd>
              </div>
              {quote.quote.remainingCap !== undefined && (
                <div className="fact">
                  <dt>{t("wallet.exchange.cap")}</dt>
                  <dd>{t("wallet.points", { amount: number(quote.quote.remainingCap) })}</dd>
                </div>
              )}
            </dl>
            {quote.quote.leftover > 0n && quote.quote.smallestAmountIn > 0n && (
              <button type="button" className="button secondary" onClick={() => setAmountText(quote.quote.smallestAmountIn.toString())}>
                {t("wallet.exchange.useSmallest", { amount: number(quote.quote.smallestAmountIn) })}
              </button>
            )}
          </>
        )}
      </section>
      <div className="actions">
        <button type="submit" className="button" disabled={quote.state !== "ok" || outcome.working}>
          {t("wallet.exchange.confirm")}
        </button>
      </div>
      {outcome.working && (
        <p className="notice" role="status">
          {t("wallet.exchange.working")}
        </p>
      )}
      {outcome.refusal && (
        <p className="notice notice-error" role="alert">
          {t(outcome.refusal)}
        </p>
      )}
      {outcome.done && (
        <div className="notice done" role="status">
          <p>{t("wallet.exchange.done", { amountIn: number(outcome.done.quote.amountIn), from: name(fromDomain), amountOut: number(outcome.done.quote.amountOut), to: name(toDomain) })}</p>
          {outcome.done.op.transaction && <Link href={paths.tx(outcome.done.op.transaction.hash)}>{t("wallet.history.tx")}</Link>}
        </div>
      )}
    </form>
  );
}

export default function ExchangePage() {
  const { t } = useI18n();
  const { session } = useSession();
  const domains = useResource(loadDomains, "domains");
  return (
    <>
      <h1>{t("wallet.exchange.title")}</h1>
      {!session ? (
        <SignIn />
      ) : (
        <>
          <WalletBar session={session} />
          <p className="lead">{t("wallet.exchange.intro")}</p>
          {domains.state === "loading" && <Loading />}
          {domains.state === "error" && <Failure error={domains.error} retry={domains.reload} />}
          {domains.state === "ok" && <Exchange session={session} domains={domains.data.domains} />}
        </>
      )}
    </>
  );
}
