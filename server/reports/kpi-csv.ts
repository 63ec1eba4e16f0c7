import type { CsvValue } from '../core/csv.js';
import type { KpiRow, KpiTable } from './kpi/query.js';

// A KPI table as CSV rows (server/core/csv.ts writes them): one line per row, then the total.

const QUEUE = ['offered', 'answered', 'abandoned', 'shortAbandoned', 'timedOut', 'callbacks', 'exitedWithKey', 'answeredWithinSl',
  'serviceLevel', 'serviceLevelInclusive', 'abandonRate', 'asaSec', 'maxWaitSec'] as const;
const HANDLING = ['handled', 'ahtSec', 'talkMs', 'holdMs', 'wrapMs', 'transferred', 'transferRate', 'repeatCalls', 'fcr',
  'csatResponses', 'csatMean', 'csatTopShare'] as const;
const TIME = ['loggedInMs', 'readyMs', 'ringingMs', 'talkingMs', 'wrapMs', 'paidPausedMs', 'unpaidPausedMs', 'occupancy', 'utilisation'] as const;

const hasTime = (t: KpiTable) => !!t.total.agentTime || t.rows.some((r) => r.agentTime);

export function kpiCsvHeader(t: KpiTable): string[] {
  return ['row', 'label', 'from', 'to', 'key', 'name', ...QUEUE, ...HANDLING, ...(hasTime(t) ? TIME.map((c) => `agent_${c}`) : [])];
}

function line(kind: string, r: KpiRow, time: boolean): CsvValue[] {
  return [
    kind, r.label, new Date(r.from), new Date(r.to), r.key, r.name,
    ...QUEUE.map((c) => r.queue[c]), ...HANDLING.map((c) => r.handling[c]),
    ...(time ? TIME.map((c) => r.agentTime?.[c] ?? null) : []),
  ];
}

export function* kpiCsvRows(t: KpiTable): Generator<CsvValue[]> {
  const time = hasTime(t);
  for (const r of t.rows) yield line('interval', r, time);
  yield line('total', t.total, time);
}
