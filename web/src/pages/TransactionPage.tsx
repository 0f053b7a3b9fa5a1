/**
 * "What did this transaction do?": its result, what it called with which arguments, and every
 * record it made, decoded. The residents' history links each entry here (/ledger/tx/<hash>).
 */
import { useParams } from "wouter";
import { ledgerApi } from "../api/ledger";
import { useResource } from "../api/useResource";
import { Amount, Failure, Hex, Loading, Section } from "../components/Bits";
import { ArgValue, EventDetails } from "../components/EventDetails";
import { eventName, functionName } from "../components/names";
import { QrCode } from "../components/QrCode";
import { useI18n } from "../i18n/i18n";
import NotFoundPage from "./NotFoundPage";

export default function TransactionPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { hash } = useParams<{ hash: string }>();
  const valid = /^0x[0-9a-fA-F]{64}$/.test(hash);
  const tx = useResource((signal) => ledgerApi.transaction(signal, hash), `tx:${hash}`);
  const names = useResource((signal) => ledgerApi.overview(signal), "overview:domains");
  if (!valid) return <NotFoundPage />;
  const domains = names.state === "ok" ? names.data.domains : [];
  return (
    <>
      <h1>{t("tx.title")}</h1>
      <p className="lead">
        <Hex value={hash} />
      </p>
      {tx.state === "loading" && <Loading />}
      {tx.state === "error" && <Failure error={tx.error} retry={tx.reload} />}
      {tx.state === "ok" && (
        <>
          <dl className="facts">
            <dt>{t("tx.status")}</dt>
            <dd>
              <strong>{t(`tx.status.${tx.data.status}`)}</strong>
            </dd>
            <dt>{t("tx.call")}</dt>
            <dd>{tx.data.call ? functionName(i18n, tx.data.call.function) : t("tx.call.unknown")}</dd>
            <dt>{t("tx.contract")}</dt>
            <dd>{t(tx.data.contract === "ledger" ? "tx.contract.ledger" : "tx.contract.council")}</dd>
            {tx.data.blockNumber !== null && (
              <>
                <dt>{t("tx.block")}</dt>
                <dd>
                  <Amount value={tx.data.blockNumber} />
                </dd>
              </>
            )}
            {tx.data.time !== null && (
              <>
                <dt>{t("tx.time")}</dt>
                <dd>{i18n.dateTime(tx.data.time)}</dd>
              </>
            )}
            {tx.data.period !== null && (
              <>
                <dt>{t("tx.period")}</dt>
                <dd>{t("common.period", { period: tx.data.period })}</dd>
              </>
            )}
            <dt>{t("tx.from")}</dt>
            <dd>
              <Hex value={tx.data.from} />
            </dd>
          </dl>
          <Section title={t("tx.events")}>
            {tx.data.events.length === 0 ? (
              <p>{t("tx.noEvents")}</p>
            ) : (
              <ol className="event-list">
                {tx.data.events.map((e) => (
                  <li key={e.logIndex}>
                    <h3>{eventName(i18n, e.name)}</h3>
                    <EventDetails event={e} domains={domains} />
                  </li>
                ))}
              </ol>
            )}
          </Section>
          {tx.data.call && (
            <Section title={t("tx.arguments")}>
              <ArgValue value={tx.data.call.args} />
            </Section>
          )}
          <QrCode text={window.location.href} label={t("tx.qr")} />
        </>
      )}
    </>
  );
}
