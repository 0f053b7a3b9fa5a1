/**
 * Which periods a page shows, kept in the address (?to=<period>) so a window can be linked, and the
 * buttons that move it by a whole window.
 */
import { useLocation, useSearch } from "wouter";
import { LEDGER_DEFAULT_PERIODS } from "@city-points/sdk/wire";
import { useI18n } from "../i18n/i18n";

export function usePeriodWindow(): { to?: number; from?: number } {
  const to = new URLSearchParams(useSearch()).get("to");
  if (to === null || !/^(0|[1-9][0-9]{0,9})$/.test(to)) return {};
  const end = Number(to);
  return { to: end, from: Math.max(0, end - (LEDGER_DEFAULT_PERIODS - 1)) };
}

export function PeriodPager({ fromPeriod, toPeriod, currentPeriod }: { fromPeriod: number; toPeriod: number; currentPeriod: number }) {
  const { t } = useI18n();
  const [location, navigate] = useLocation();
  const go = (to: number) => navigate(to >= currentPeriod ? location : `${location}?to=${to}`);
  return (
    <nav className="pager" aria-label={t("common.periods", { from: fromPeriod, to: toPeriod })}>
      <p>{t("overview.window", { from: fromPeriod, to: toPeriod, current: currentPeriod })}</p>
      <div className="pager-buttons">
        <button type="button" className="button secondary" disabled={fromPeriod === 0} onClick={() => go(Math.max(0, fromPeriod - 1))}>
          {t("common.earlier")}
        </button>
        <button type="button" className="button secondary" disabled={toPeriod >= currentPeriod} onClick={() => go(toPeriod + LEDGER_DEFAULT_PERIODS)}>
          {t("common.later")}
        </button>
      </div>
    </nav>
  );
}
