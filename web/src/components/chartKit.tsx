/**
 * What the charts share: their measured width (one SVG unit is one CSS pixel, so labels keep the
 * page's text size, large text included), a scale with round ticks, and for each series a colour
 * AND a pattern or marker, so that no series is told apart by colour alone.
 */
import { useEffect, useRef, useState, type RefObject } from "react";

/** Dark enough for 4.5:1 on white, and distinct in grey too. */
export const SERIES_COLOURS = ["#0b4f8a", "#a24b00", "#1d6b35", "#5b3391", "#8a1c1c", "#3d3d3d"];
export const LINE_DASHES = ["", "8 4", "2 4", "10 4 2 4", "4 4", "1 3"];
export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "cross" | "bar";
export const MARKERS: MarkerShape[] = ["circle", "square", "triangle", "diamond", "cross", "bar"];

export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** The root font size in CSS pixels (16, or more with the large-text switch). */
export function remPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** 0, and up to five round steps that reach `max`. */
export function ticks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** SVG patterns, one per series: solid, stripes, dots, cross-hatch, horizontal and vertical lines. */
export function SeriesPatterns({ idPrefix, count }: { idPrefix: string; count: number }) {
  return (
    <defs>
      {Array.from({ length: count }, (_, i) => {
        const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
        const kind = i % 6;
        return (
          <pattern key={i} id={`${idPrefix}-${i}`} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill={kind === 0 ? colour : "#ffffff"} />
            {kind === 1 && <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke={colour} strokeWidth="2.5" />}
            {kind === 2 && <circle cx="4" cy="4" r="2.2" fill={colour} />}
            {kind === 3 && <path d="M0,0 L8,8 M8,0 L0,8" stroke={colour} strokeWidth="2" />}
            {kind === 4 && <path d="M0,2 H8 M0,6 H8" stroke={colour} strokeWidth="2" />}
            {kind === 5 && <path d="M2,0 V8 M6,0 V8" stroke={colour} strokeWidth="2" />}
          </pattern>
        );
      })}
    </defs>
  );
}

export function Marker({ shape, x, y, size, colour }: { shape: MarkerShape; x: number; y: number; size: number; colour: string }) {
  const s = size / 2;
  switch (shape) {
    case "circle":
      return <circle cx={x} cy={y} r={s} fill={colour} />;
    case "square":
      return <rect x={x - s} y={y - s} width={size} height={size} fill={colour} />;
    case "triangle":
      return <path d={`M${x},${y - s} L${x + s},${y + s} L${x - s},${y + s} Z`} fill={colour} />;
    case "diamond":
      return <path d={`M${x},${y - s} L${x + s},${y} L${x},${y + s} L${x - s},${y} Z`} fill={colour} />;
    case "cross":
      return <path d={`M${x - s},${y - s} L${x + s},${y + s} M${x + s},${y - s} L${x - s},${y + s}`} stroke={colour} strokeWidth="3" />;
    default:
      return <rect x={x - s} y={y - 2} width={size} height={4} fill={colour} />;
  }
}

/** The legend: each series' swatch (the chart's own pattern, or its line and marker) beside its name, as a list. */
export function Legend({ items, idPrefix, kind }: { items: string[]; idPrefix: string; kind: "pattern" | "line" }) {
  return (
    <ul className="legend">
      {items.map((label, i) => (
        <li key={label}>
          <svg width="36" height="20" aria-hidden="true" focusable="false">
            {kind === "pattern" ? (
              <rect x="1" y="1" width="34" height="18" fill={`url(#${idPrefix}-${i})`} stroke="#1a1a1a" />
            ) : (
              <>
                <line x1="2" y1="10" x2="34" y2="10" stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]} strokeWidth="3" strokeDasharray={LINE_DASHES[i % LINE_DASHES.length]} />
                <Marker shape={MARKERS[i % MARKERS.length]} x={18} y={10} size={10} colour={SERIES_COLOURS[i % SERIES_COLOURS.length]} />
              </>
            )}
          </svg>
          <span>{label}</span>
        </li>
      ))}
    </ul>
  );
}
