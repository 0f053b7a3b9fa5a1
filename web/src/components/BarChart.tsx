/**
 * Stacked bars per period, one patterned segment per series. A picture for the eye only: it is
 * hidden from screen readers, which get its title and the table that always follows it.
 */
import { useId } from "react";
import { useI18n } from "../i18n/i18n";
import { Legend, remPx, SeriesPatterns, ticks, useWidth } from "./chartKit";

export interface ChartSeries {
  label: string;
  values: number[];
}

export function BarChart({ title, categories, series }: { title: string; categories: string[]; series: ChartSeries[] }) {
  const { t } = useI18n();
  const id = useId().replace(/:/g, "");
  const [ref, width] = useWidth<HTMLDivElement>();
  const totals = categories.map((_, c) => series.reduce((sum, s) => sum + (s.values[c] ?? 0), 0));
  const max = Math.max(0, ...totals);
  return (
    <figure className="chart">
      <div ref={ref} className="chart-canvas">
        {max === 0 ? <p className="chart-empty">{t("chart.empty")}</p> : width > 0 && <Bars width={width} id={id} categories={categories} series={series} totals={totals} max={max} />}
      </div>
      {max > 0 && <Legend items={series.map((s) => s.label)} idPrefix={id} kind="pattern" />}
      <figcaption className="visually-hidden">{t("chart.tableBelow", { title })}</figcaption>
    </figure>
  );
}

function Bars({ width, id, categories, series, totals, max }: { width: number; id: string; categories: string[]; series: ChartSeries[]; totals: number[]; max: number }) {
  const { lang } = useI18n();
  const rem = remPx();
  const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  const scale = ticks(max);
  const top = scale[scale.length - 1];
  const left = Math.max(...scale.map((v) => compact.format(v).length)) * rem * 0.62 + rem * 0.5;
  const height = rem * 14;
  const bottom = rem * 2;
  const plotW = Math.max(10, width - left - 4);
  const plotH = height - bottom - rem * 0.75;
  const band = plotW / categories.length;
  const barW = Math.max(4, Math.min(band * 0.7, rem * 4));
  const labelEvery = Math.max(1, Math.ceil((rem * 2.5) / band));
  const y = (v: number) => rem * 0.75 + plotH - (v / top) * plotH;
  return (
    <svg width={width} height={height} aria-hidden="true" focusable="false" className="chart-svg">
      <SeriesPatterns idPrefix={id} count={series.length} />
      {scale.map((v) => (
        <g key={v}>
          <line x1={left} x2={left + plotW} y1={y(v)} y2={y(v)} className="chart-grid" />
          <text x={left - rem * 0.3} y={y(v)} dy="0.35em" textAnchor="end" className="chart-label">
            {compact.format(v)}
          </text>
        </g>
      ))}
      {categories.map((label, c) => {
        const x = left + c * band + (band - barW) / 2;
        let base = 0;
        return (
          <g key={label}>
            {series.map((s, i) => {
              const v = s.values[c] ?? 0;
              if (v <= 0) return null;
              const y0 = y(base);
              base += v;
              return <rect key={i} x={x} width={barW} y={y(base)} height={Math.max(1, y0 - y(base))} fill={`url(#${id}-${i})`} stroke="#1a1a1a" strokeWidth="1" />;
            })}
            {totals[c] === 0 && <line x1={x} x2={x + barW} y1={y(0) - 1} y2={y(0) - 1} stroke="#1a1a1a" strokeWidth="2" />}
            {c % labelEvery === 0 && (
              <text x={x + barW / 2} y={height - rem * 0.6} textAnchor="middle" className="chart-label">
                {label}
              </text>
            )}
          </g>
        );
      })}
      <line x1={left} x2={left + plotW} y1={y(0)} y2={y(0)} stroke="#1a1a1a" strokeWidth="1.5" />
    </svg>
  );
}
