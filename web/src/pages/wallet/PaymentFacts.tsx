/**
 * What a payment request asks for, as the resident checks it before signing: the partner (its
 * directory name, or its short address while there is none), the kind of points, the amount and
 * the expiry. The wallet's /pay and the station terminal show the same facts.
 */
import type { PaymentRequest } from "@city-points/sdk/resident";
import { useResource } from "../../api/useResource";
import { Hex } from "../../components/Bits";
import { domainName } from "../../components/names";
import { useI18n } from "../../i18n/i18n";
import { residentApi } from "../../resident/relay";
import type { loadDomains } from "./data";

type Domains = Awaited<ReturnType<typeof loadDomains>>["domains"];

export function PaymentFacts({ request, domains, testIdPrefix }: { request: PaymentRequest; domains: Domains | undefined; testIdPrefix: string }) {
  const i18n = useI18n();
  const { t, number, dateTime } = i18n;
  const partner = useResource((signal) => residentApi.partnerName(request.partner, request.domainId, signal), `partner-${request.partner}-${request.domainId}`);
  return (
    <dl className="facts payment">
      <div className="fact">
        <dt>{t("wallet.pay.partner")}</dt>
        <dd data-testid={`${testIdPrefix}-partner`}>
          {partner.state === "ok" && partner.data ? <span translate="no">{partner.data}</span> : <Hex value={request.partner} />}
        </dd>
      </div>
      <div className="fact">
        <dt>{t("wallet.pay.domain")}</dt>
        <dd>{domains ? domainName(i18n, domains, request.domainId) : request.domainId}</dd>
      </div>
      <div className="fact">
        <dt>{t("wallet.pay.amount")}</dt>
        <dd data-testid={`${testIdPrefix}-amount`}>{t("wallet.points", { amount: number(request.amount) })}</dd>
      </div>
      <div className="fact">
        <dt>{t("wallet.pay.expires")}</dt>
        <dd>
          <time dateTime={new Date(request.expiresAt * 1000).toISOString()}>{dateTime(request.expiresAt)}</time>
        </dd>
      </div>
    </dl>
  );
}
