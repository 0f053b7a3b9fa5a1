/**
 * Lines over periods, one per series, each with its own dash and marker as well as its colour.
 * Hidden from screen readers like the bar chart: the table that follows it holds the figures.
 */
import { useId } from "react";
import { useI18n } from "../i18n/i18n";
import type { ChartSeries } from "./BarChart";
import { LINE_DASHES, Legend, Marker, MARKERS, remPx, SERIES_COLOURS, ticks, useWidth } from "./chartKit";

export function LineChart({ title, categories, series }: { title: string; categories: string[]; series: ChartSeries[] }) {
  const { t, lang } = useI18n();
  const id = useId().replace(/:/g, "");
  const [ref, width] = useWidth<HTMLDivElement>();
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const rem = remPx();
  const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  const scale = ticks(max);
  const top = scale[scale.length - 1];
  const left = Math.max(...scale.map((v) => compact.format(v).length)) * rem * 0.62 + rem * 0.5;
  const height = rem * 14;
  const bottom = rem * 2;
  const plotW = Math.max(10, width - left - rem);
  const plotH = height - bottom - rem * 0.75;
  const step = categories.length > 1 ? plotW / (categories.length - 1) : 0;
  const labelEvery = Math.max(1, Math.ceil((rem * 2.5) / Math.max(step, 1)));
  const x = (c: number) => left + (categories.length > 1 ? c * step : plotW / 2);
  const y = (v: number) => rem * 0.75 + plotH - (v / top) * plotH;
  return (
    <figure className="chart">
      <div ref={ref} className="chart-canvas">
        {max === 0 ? (
          <p className="chart-empty">{t("chart.empty")}</p>
        ) : (
          width > 0 && (
            <svg width={width} height={height} aria-hidden="true" focusable="false" className="chart-svg">
              {scale.map((v) => (
                <g key={v}>
                  <line x1={left} x2={left + plotW} y1={y(v)} y2={y(v)} className="chart-grid" />
                  <text x={left - rem * 0.3} y={y(v)} dy="0.35em" textAnchor="end" className="chart-label">
                    {compact.format(v)}
                  </text>
                </g>
              ))}
              {categories.map((label, c) =>
                c % labelEvery === 0 ? (
                  <text key={label} x={x(c)} y={height - rem * 0.6} textAnchor="middle" className="chart-label">
                    {label}
                  </text>
                ) : null,
              )}
              <line x1={left} x2={left + plotW} y1={y(0)} y2={y(0)} stroke="#1a1a1a" strokeWidth="1.5" />
              {series.map((s, i) => {
                const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
                return (
                  <g key={s.label}>
                    <polyline
                      points={s.values.map((v, c) => `${x(c)},${y(v)}`).join(" ")}
                      fill="none"
                      stroke={colour}
                      strokeWidth="3"
                      strokeDasharray={LINE_DASHES[i % LINE_DASHES.length]}
                    />
                    {s.values.map((v, c) => (
                      <Marker key={c} shape={MARKERS[i % MARKERS.length]} x={x(c)} y={y(v)} size={10} colour={colour} />
                    ))}
                  </g>
                );
              })}
            </svg>
          )
        )}
      </div>
      {max > 0 && <Legend items={series.map((s) => s.label)} idPrefix={id} kind="line" />}
      <figcaption className="visually-hidden">{t("chart.tableBelow", { title })}</figcaption>
    </figure>
  );
}
