/**
 * Paying a partner's payment request (/pay?to=&d=&a=&r=&x=, SDK paymentRequestLink): the request
 * read with the SDK's parsePaymentRequest, shown (partner, kind of points, amount, expiry), refused
 * before signing when expired, beyond the balance or already paid, then signed with the passkey as a redemption
 * whose deadline is the request's expiry and followed until final. Without a request in the
 * address, the resident pastes a link or scans the partner's QR code (where the browser can).
 */
import { parsePaymentRequest, paymentRequestOpen, type PaymentRequest } from "@city-points/sdk/resident";
import type { Operation } from "@city-points/sdk/wire";
import { useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { partnersApi } from "../../api/partners";
import { useResource } from "../../api/useResource";
import { Failure, Loading } from "../../components/Bits";
import { domainName } from "../../components/names";
import { useI18n, type MessageKey } from "../../i18n/i18n";
import { paths } from "../../paths";
import { payRequest } from "../../resident/intents";
import type { ResidentSession } from "../../resident/passkey";
import { residentApi } from "../../resident/relay";
import { refusalOf } from "../../resident/refusals";
import { useSession } from "../../resident/session";
import { loadDomains } from "./data";
import { OpenRequest } from "./OpenRequest";
import { PaymentFacts } from "./PaymentFacts";
import { SignIn } from "./SignIn";
import { WalletBar } from "./WalletBar";

type Domains = Awaited<ReturnType<typeof loadDomains>>["domains"];

function readRequest(search: string): { request?: PaymentRequest; refusal?: MessageKey } {
  if (search === "" || new URLSearchParams(search).size === 0) return {};
  try {
    return { request: parsePaymentRequest(search) };
  } catch (error) {
    return { refusal: refusalOf(error) };
  }
}

function Request({ request, session, domains }: { request: PaymentRequest; session: ResidentSession | undefined; domains: Domains }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const [outcome, setOutcome] = useState<{ working?: boolean; refusal?: MessageKey; done?: Operation }>({});
  const pay = async (s: ResidentSession) => {
    // Refused here, before the passkey is asked: nothing is signed or sent.
    if (!paymentRequestOpen(request, Date.now() / 1000)) return setOutcome({ refusal: "refusal.requestExpired" });
    setOutcome({ working: true });
    try {
      const { balances } = await residentApi.balances(s.account);
      const balance = BigInt(balances.find((b) => b.domainId === request.domainId)?.balance ?? "0");
      if (balance < request.amount) return setOutcome({ refusal: "refusal.balance" });
      // A request already paid (as the relay's index of the chain shows) is refused before signing;
      // one paid so recently the index has not seen it yet is refused by the ledger itself.
      const { redemptions } = await partnersApi.redemptions(new AbortController().signal, request.partner, { orderRef: request.orderRef });
      if (redemptions.length > 0) return setOutcome({ refusal: "refusal.alreadyPaid" });
      setOutcome({ done: await payRequest(s, request) });
    } catch (error) {
      setOutcome({ refusal: refusalOf(error) });
    }
  };
  return (
    <>
      <PaymentFacts request={request} domains={domains} testIdPrefix="pay" />
      {!session ? (
        <>
          <p className="notice notice-warn">{t("wallet.pay.signInFirst")}</p>
          <SignIn />
        </>
      ) : outcome.done ? (
        <div className="notice done" role="status">
          <p>{t("wallet.pay.done", { amount: number(request.amount), domain: domainName(i18n, domains, request.domainId) })}</p>
          {outcome.done.transaction && <Link href={paths.tx(outcome.done.transaction.hash)}>{t("wallet.history.tx")}</Link>}
        </div>
      ) : (
        <>
          <div className="actions">
            <button type="button" className="button" disabled={outcome.working} onClick={() => void pay(session)}>
              {t("wallet.pay.confirm")}
            </button>
          </div>
          {outcome.working && (
            <p className="notice" role="status">
              {t("wallet.pay.working")}
            </p>
          )}
          {outcome.refusal && (
            <p className="notice notice-error" role="alert">
              {t(outcome.refusal)}
            </p>
          )}
        </>
      )}
    </>
  );
}

export default function PayPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const search = useSearch();
  const [, navigate] = useLocation();
  const domains = useResource(loadDomains, "domains");
  const { request, refusal } = readRequest(search);
  const open = (query: string) => navigate(`${paths.pay}?${query}`);
  return (
    <>
      <h1>{t("wallet.pay.title")}</h1>
      {session && <WalletBar session={session} />}
      {refusal && (
        <p className="notice notice-error" role="alert">
          {t(refusal)}
        </p>
      )}
      {request ? (
        <>
          {domains.state === "loading" && <Loading />}
          {domains.state === "error" && <Failure error={domains.error} retry={domains.reload} />}
          {domains.state === "ok" && <Request key={search} request={request} session={session} domains={domains.data.domains} />}
        </>
      ) : (
        <OpenRequest onOpen={open} />
      )}
    </>
  );
}
