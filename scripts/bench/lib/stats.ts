// Summaries and plain-text tables for the benchmarks' reports.
import { cpus, loadavg } from 'node:os';

export interface Summary { n: number; median: number; p99: number; min: number; max: number }

/** Nearest-rank quantile: with fewer than 100 samples the p99 is the largest one. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

export function summarize(samples: number[]): Summary | undefined {
  if (!samples.length) return undefined;
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p99: quantile(s, 0.99), min: s[0] as number, max: s[s.length - 1] as number };
}

export const ms = (v: number | undefined, digits = 1): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

export function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || theirs === 0) return '-';
  return (ours / theirs).toFixed(3);
}

/** Left-aligned first column, right-aligned others, widths from the content. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The machine is shared: say how busy it was, so a reader can weigh the numbers. */
export function machineLine(): string {
  return `${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min) at the end of the run`;
}

export const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/**
 * Wall-clock milliseconds (the clock sipp stamps its log with, gettimeofday), exact to a
 * few microseconds: it spins until Date.now() ticks to the next millisecond (at most
 * 1 ms) and returns that instant. performance.now() alone would drift from the wall
 * clock while NTP slews it; Date.now() alone is cut to whole milliseconds.
 */
export function wallNow(): number {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now;
}
