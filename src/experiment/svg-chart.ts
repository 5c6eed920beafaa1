/**
 * A small, dependency-free SVG line chart for the offline experiment report. Output is a pure
 * function of the input (fixed number formatting), so equal data give byte-equal pages.
 */

export type Point = readonly [x: number, y: number];

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /**
   * "line": points joined, with dots; "step": a staircase (value held until the next x);
   * "marker": dots only (large); "hline": a horizontal dashed line at the first point's y
   * across the whole plot, plus a marker at that point.
   */
  readonly kind: "line" | "step" | "marker" | "hline";
  readonly points: readonly Point[];
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog?: boolean;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 64, right: 16, top: 28, bottom: 58 };

/** The chart as an inline <svg> element. A chart without finite data says so. */
export function renderLineChart(spec: ChartSpec): string {
  const width = spec.width ?? 420;
  const height = spec.height ?? 280;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xLog = spec.xLog ?? false;
  const usable = (p: Point): boolean =>
    Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!xLog || p[0] > 0);
  const all = spec.series.flatMap((s) => s.points.filter(usable));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<text x="${width / 2}" y="16" text-anchor="middle" class="chart-title">${escapeXml(spec.title)}</text>`,
  ];
  if (all.length === 0) {
    parts.push(
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="chart-empty">no data</text></svg>`,
    );
    return parts.join("");
  }
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xAxis = xLog ? logAxis(Math.min(...xs), Math.max(...xs)) : linearAxis(xs);
  const yAxis = linearAxis(ys);
  const sx = (x: number): number => MARGIN.left + xAxis.scale(x) * plotW;
  const sy = (y: number): number => MARGIN.top + (1 - yAxis.scale(y)) * plotH;

  // Grid, ticks and labels.
  parts.push(`<g class="axis">`);
  for (const t of yAxis.ticks) {
    const y = fmt(sy(t));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`,
    );
  }
  for (const t of xAxis.ticks) {
    const x = fmt(sx(t));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" class="grid"/>`,
      `<text x="${x}" y="${MARGIN.top + plotH + 14}" text-anchor="middle">${tickLabel(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" class="frame"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 30}" text-anchor="middle" class="axis-label">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis-label">${escapeXml(spec.yLabel)}</text>`,
    `</g>`,
  );

  // Series.
  for (const s of spec.series) {
    const pts = s.points.filter(usable);
    if (pts.length === 0) continue;
    const title = `<title>${escapeXml(s.name)}</title>`;
    if (s.kind === "hline") {
      const y = fmt(sy(pts[0][1]));
      parts.push(
        `<g>${title}<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        marker(sx(pts[0][0]), sy(pts[0][1]), s.color),
        `</g>`,
      );
      continue;
    }
    if (s.kind === "marker") {
      parts.push(`<g>${title}${pts.map((p) => marker(sx(p[0]), sy(p[1]), s.color)).join("")}</g>`);
      continue;
    }
    const path: string[] = [];
    pts.forEach((p, i) => {
      if (i > 0 && s.kind === "step") path.push(`L${fmt(sx(p[0]))} ${fmt(sy(pts[i - 1][1]))}`);
      path.push(`${i === 0 ? "M" : "L"}${fmt(sx(p[0]))} ${fmt(sy(p[1]))}`);
    });
    const dots =
      s.kind === "line" && pts.length <= 60
        ? pts
            .map(
              (p) =>
                `<circle cx="${fmt(sx(p[0]))}" cy="${fmt(sy(p[1]))}" r="2.5" fill="${s.color}"/>`,
            )
            .join("")
        : "";
    parts.push(
      `<g>${title}<path d="${path.join("")}" fill="none" stroke="${s.color}" stroke-width="1.5"/>${dots}</g>`,
    );
  }

  // Legend, below the x-axis label.
  let lx = MARGIN.left;
  const ly = height - 10;
  for (const s of spec.series) {
    const sample =
      s.kind === "hline"
        ? `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="1.5" stroke-dasharray="6 4"/>`
        : s.kind === "marker"
          ? marker(lx + 9, ly - 4, s.color)
          : `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`;
    parts.push(sample, `<text x="${lx + 22}" y="${ly}" class="legend">${escapeXml(s.name)}</text>`);
    lx += 30 + s.name.length * 6.5;
  }
  parts.push(`</svg>`);
  return parts.join("");
}

interface Axis {
  readonly ticks: readonly number[];
  /** Position in [0, 1]. */
  readonly scale: (v: number) => number;
}

/** A linear axis with "nice" ticks (1, 2 or 5 times a power of ten) covering the values. */
export function linearAxis(values: readonly number[]): Axis {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / 5);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let k = 0; start + k * step <= end + step * 1e-9; k++)
    ticks.push(roundTo(start + k * step, step));
  return { ticks, scale: (v) => (v - start) / (end - start) };
}

/** A log10 axis from the decade at or below lo to the decade at or above hi. */
export function logAxis(lo: number, hi: number): Axis {
  const a = Math.floor(Math.log10(lo) + 1e-12);
  let b = Math.ceil(Math.log10(hi) - 1e-12);
  if (b === a) b += 1;
  const ticks: number[] = [];
  for (let e = a; e <= b; e++) ticks.push(10 ** e);
  return { ticks, scale: (v) => (Math.log10(v) - a) / (b - a) };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function roundTo(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 15)));
}

function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

function marker(x: number, y: number, color: string): string {
  const s = 5;
  const d = `M${fmt(x)} ${fmt(y - s)}L${fmt(x + s)} ${fmt(y)}L${fmt(x)} ${fmt(y + s)}L${fmt(x - s)} ${fmt(y)}Z`;
  return `<path d="${d}" fill="${color}" stroke="#000" stroke-width="0.75"/>`;
}

function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function escapeXml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
