// Latency statistics and the table every benchmark prints.

export interface Stats {
  n: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Every latency (ms), for merging runs; not written to result files. */
  latencies: number[];
}

export function summarize(latencies: number[], errors: number, seconds: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  const n = sorted.length;
  return { n, errors, seconds, throughput: n / seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted[n - 1], latencies };
}

export const mergeStats = (a: Stats, b: Stats): Stats => summarize([...a.latencies, ...b.latencies], a.errors + b.errors, a.seconds + b.seconds);

export const withoutLatencies = ({ latencies: _l, ...rest }: Stats) => rest;

const fmt = (v: number, d = 1) => v.toFixed(d).padStart(9);

export function statsTable(title: string, rows: [string, Stats][], ratio?: { label: string; throughput?: number; p50: number; p99: number }): string {
  const lines = [`${title.padEnd(40)}${'n'.padStart(6)}${'errors'.padStart(7)}${'per s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`];
  for (const [name, s] of rows) lines.push(`${name.padEnd(40)}${String(s.n).padStart(6)}${String(s.errors).padStart(7)}${fmt(s.throughput)}${fmt(s.p50)}${fmt(s.p95)}${fmt(s.p99)}${fmt(s.max)}`);
  if (ratio) lines.push(`${ratio.label.padEnd(53)}${ratio.throughput === undefined ? ''.padStart(9) : fmt(ratio.throughput, 2)}${fmt(ratio.p50, 2)}${''.padStart(9)}${fmt(ratio.p99, 2)}`);
  return lines.join('\n');
}
