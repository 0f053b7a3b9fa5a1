/** Small pieces every page uses: addresses and hashes, transaction links, amounts, notices. */
import type { ReactNode } from "react";
import { Link } from "wouter";
import type { LedgerIndexStatus } from "@city-points/sdk/wire";
import type { ApiError } from "../api/client";
import { useI18n, type MessageKey } from "../i18n/i18n";
import { paths } from "../paths";

/** An address or hash, shortened for reading; the whole value is its title (and goes into CSV files). */
export function Hex({ value }: { value: string }) {
  const short = value.length > 14 ? `${value.slice(0, 6)}…${value.slice(-4)}` : value;
  return (
    <span className="hex" translate="no" title={value}>
      {short}
    </span>
  );
}

export function TxLink({ hash }: { hash: string }) {
  return (
    <Link href={paths.tx(hash)} className="hex-link">
      <Hex value={hash} />
    </Link>
  );
}

export function Amount({ value }: { value: string | bigint | number }) {
  const { number } = useI18n();
  return (
    <span className="amount" translate="no">
      {number(value)}
    </span>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="notice" role="status">
      {t("common.loading")}
    </p>
  );
}

const ERROR_TEXT: Record<ApiError["kind"], MessageKey> = {
  network: "error.network",
  not_found: "error.notFound",
  rate_limited: "error.rateLimited",
  invalid: "error.invalid",
  unavailable: "error.unavailable",
  other: "error.other",
};

export function Failure({ error, retry }: { error: ApiError; retry(): void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      <h2>{t("error.title")}</h2>
      <p>{t(ERROR_TEXT[error.kind])}</p>
      {error.kind !== "not_found" && error.kind !== "invalid" && (
        <button type="button" className="button" onClick={retry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

/** Up to which block the figures hold, and whether the index is behind or cut off from the chain. */
export function IndexNotice({ index }: { index: LedgerIndexStatus }) {
  const { t, dateTime, number } = useI18n();
  if (index.block < 0) return <p className="notice notice-warn">{t("index.empty")}</p>;
  const block = number(index.block);
  if (!index.chainReachable) return <p className="notice notice-warn">{t("index.unreachable", { block })}</p>;
  if (!index.upToDate) return <p className="notice notice-warn">{t("index.behind", { block })}</p>;
  return <p className="as-of">{t("index.asOf", { block, time: index.blockTime === null ? "" : dateTime(index.blockTime) })}</p>;
}

export function Section({ title, text, children, id }: { title: string; text?: string; children: ReactNode; id?: string }) {
  return (
    <section className="section" aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {text && <p className="section-text">{text}</p>}
      {children}
    </section>
  );
}
