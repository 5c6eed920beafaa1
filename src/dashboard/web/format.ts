/** Short readable numbers for labels: 3 significant digits, thousands grouped. */
export function num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 1e5 || abs < 1e-3) return v.toExponential(digits - 1);
  if (abs >= 10 ** digits) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(digits)).toString();
}

/** Seconds as "12.3 ms", "1.24 s" or "2 min 5 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  if (seconds < 1) return `${num(seconds * 1_000)} ms`;
  if (seconds < 120) return `${num(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - 60 * m)} s`;
}

/** Bytes in decimal units: "512 B", "18.9 kB", "3 MB", "1.2 GB". */
export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const steps: [number, string][] = [
    [1e9, "GB"],
    [1e6, "MB"],
    [1e3, "kB"],
  ];
  for (const [size, unit] of steps) if (Math.abs(v) >= size) return `${num(v / size)} ${unit}`;
  return `${Math.round(v)} B`;
}

/** An amount of a resource in its unit: time as a duration, bytes in kB, MB... */
export function amount(resource: string, v: number | null | undefined): string {
  return resource === "time" ? duration(v) : resource === "bytes" ? bytes(v) : num(v);
}

/** 0..1 as "91.3 %". */
export function percent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return `${(v * 100).toFixed(1)} %`;
}

/** An integer with thousands grouped. */
export function count(v: number | null | undefined): string {
  return v === null || v === undefined ? "–" : Math.round(v).toLocaleString("en-US");
}

/** hh:mm:ss of a time in ms since 1970, local time. */
export function clock(time: number): string {
  return new Date(time).toLocaleTimeString("en-GB", { hour12: false });
}
