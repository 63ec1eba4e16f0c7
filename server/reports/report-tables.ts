import type { KpiRow } from './kpi/query.js';
import type { Report } from './report-service.js';

// The tables of a report, defined once: the page, its CSV files and the email all print
// these values, rounded here, so a figure on paper and in a spreadsheet is the same figure.

export type CellFormat = 'count' | 'percent' | 'seconds' | 'score';

export interface Column {
  /** i18n key of the heading, under report.col. */
  id: string;
  format: CellFormat;
  value(r: KpiRow): number | null;
}

export const TABLE_IDS = ['totals', 'queues', 'agents', 'intervals'] as const;
export type TableId = (typeof TABLE_IDS)[number];

export interface ReportTable {
  id: TableId;
  /** i18n key of the first column's heading: queue, agent, hour or day. */
  keyColumn: string;
  columns: Column[];
  rows: Array<{ label: string; values: Array<number | null> }>;
}

const round1 = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 10) / 10);
const pct = (v: number | null): number | null => (v === null ? null : round1(v * 100));

const QUEUE_COLUMNS: Column[] = [
  { id: 'offered', format: 'count', value: (r) => r.queue.offered },
  { id: 'answered', format: 'count', value: (r) => r.queue.answered },
  { id: 'abandoned', format: 'count', value: (r) => r.queue.abandoned },
  { id: 'shortAbandoned', format: 'count', value: (r) => r.queue.shortAbandoned },
  { id: 'timedOut', format: 'count', value: (r) => r.queue.timedOut },
  { id: 'callbacks', format: 'count', value: (r) => r.queue.callbacks },
  { id: 'serviceLevel', format: 'percent', value: (r) => pct(r.queue.serviceLevel) },
  { id: 'serviceLevelInclusive', format: 'percent', value: (r) => pct(r.queue.serviceLevelInclusive) },
  { id: 'abandonRate', format: 'percent', value: (r) => pct(r.queue.abandonRate) },
  { id: 'asa', format: 'seconds', value: (r) => round1(r.queue.asaSec) },
  { id: 'maxWait', format: 'seconds', value: (r) => round1(r.queue.maxWaitSec) },
  { id: 'aht', format: 'seconds', value: (r) => round1(r.handling.ahtSec) },
];

const AGENT_COLUMNS: Column[] = [
  { id: 'handled', format: 'count', value: (r) => r.handling.handled },
  { id: 'asa', format: 'seconds', value: (r) => round1(r.queue.asaSec) },
  { id: 'aht', format: 'seconds', value: (r) => round1(r.handling.ahtSec) },
  { id: 'transferRate', format: 'percent', value: (r) => pct(r.handling.transferRate) },
  { id: 'fcr', format: 'percent', value: (r) => pct(r.handling.fcr) },
  { id: 'csat', format: 'score', value: (r) => (r.handling.csatMean === null ? null : Math.round(r.handling.csatMean * 100) / 100) },
  { id: 'occupancy', format: 'percent', value: (r) => pct(r.agentTime?.occupancy ?? null) },
  { id: 'utilisation', format: 'percent', value: (r) => pct(r.agentTime?.utilisation ?? null) },
];

function table(id: TableId, keyColumn: string, columns: Column[], rows: Array<{ label: string; row: KpiRow }>): ReportTable {
  return { id, keyColumn, columns, rows: rows.map(({ label, row }) => ({ label, values: columns.map((c) => c.value(row)) })) };
}

/** The four tables of a report, in page order. `totalLabel` names the total line. */
export function reportTables(r: Report, totalLabel: string): ReportTable[] {
  return [
    table('totals', 'period', QUEUE_COLUMNS, [{ label: totalLabel, row: r.total }]),
    table('queues', 'queue', QUEUE_COLUMNS, r.queues.map((row) => ({ label: row.name ?? row.key ?? '', row }))),
    table('agents', 'agent', AGENT_COLUMNS, r.agents.map((row) => ({ label: row.name ?? row.key ?? '', row }))),
    table('intervals', r.period.bucketGrain === 'hour' ? 'hour' : 'day', QUEUE_COLUMNS, r.buckets.map((row) => ({ label: row.label, row }))),
  ];
}

/** How a value reads on the page: a missing figure is a dash, never 0 or NaN. */
export function formatCell(v: number | null, f: CellFormat): string {
  if (v === null) return '–';
  if (f === 'percent') return `${v.toFixed(1)}%`;
  if (f === 'seconds') return v.toFixed(1);
  if (f === 'score') return v.toFixed(2);
  return String(v);
}
