import { kpisOf } from './counters.js';
import { addCells, emptyCell, handlingKpisOf, type CellCounters } from './cells.js';
import { addStateTime, emptyAgentTime, withRatios } from './agent-time.js';
import type { LabelledInterval } from './grains.js';
import type { AgentTimeKpis, Dimension, KpiRow } from './query.js';

// Rows of a KPI table from summed cells and state time. Pure, so the rules on what a row
// holds are tested without a database.

export interface SummedCell extends CellCounters {
  interval: number;
  key: string;
}

export interface SummedTime {
  interval: number;
  agentId: number;
  state: string;
  reason: string;
  ms: number;
}

export interface TableInput {
  intervals: readonly LabelledInterval[];
  by: Dimension;
  cells: readonly SummedCell[];
  /** Present when the rows carry agent time (split by agent, or total without a queue filter). */
  time?: readonly SummedTime[];
  paid: (reason: string) => boolean;
  nameOf: (key: string) => string;
}

function rowOf(iv: LabelledInterval, key: string | null, name: string | null, c: CellCounters, time?: AgentTimeKpis): KpiRow {
  const row: KpiRow = { from: iv.from, to: iv.to, label: iv.label, key, name, queue: kpisOf(c), handling: handlingKpisOf(c) };
  if (time) row.agentTime = withRatios({ ...time, holdMs: c.holdMs });
  return row;
}

/** Rows in interval order then key order; with 'total', one row per interval even when empty. */
export function buildRows(t: TableInput): KpiRow[] {
  const cells = new Map<string, CellCounters>();
  const times = new Map<string, AgentTimeKpis>();
  const keysPer = t.intervals.map(() => new Set<string>());
  const at = (iv: number, key: string) => `${iv}|${key}`;
  for (const c of t.cells) {
    const k = t.by === 'total' ? '' : c.key;
    cells.set(at(c.interval, k), addCells(cells.get(at(c.interval, k)) ?? emptyCell(), c));
    keysPer[c.interval]?.add(k);
  }
  for (const s of t.time ?? []) {
    const k = t.by === 'total' ? '' : String(s.agentId);
    let a = times.get(at(s.interval, k));
    if (!a) times.set(at(s.interval, k), (a = emptyAgentTime()));
    addStateTime(a, s.state, s.reason, s.ms, t.paid);
    keysPer[s.interval]?.add(k);
  }
  const rows: KpiRow[] = [];
  t.intervals.forEach((iv, i) => {
    const keys = t.by === 'total' ? [''] : [...(keysPer[i] ?? [])].sort(compareKeys);
    for (const k of keys) {
      const time = t.time ? (times.get(at(i, k)) ?? emptyAgentTime()) : undefined;
      rows.push(rowOf(iv, t.by === 'total' ? null : k, t.by === 'total' ? null : t.nameOf(k), cells.get(at(i, k)) ?? emptyCell(), time));
    }
  });
  return rows;
}

/** Numeric keys (agent ids) in number order, others as text. */
function compareKeys(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) && a !== '' && b !== '' ? x - y : a.localeCompare(b);
}

/** The line that adds up the whole query. */
export function totalRow(range: LabelledInterval, c: CellCounters, time: readonly SummedTime[] | undefined, paid: (reason: string) => boolean): KpiRow {
  let agentTime: AgentTimeKpis | undefined;
  if (time) {
    agentTime = emptyAgentTime();
    for (const s of time) addStateTime(agentTime, s.state, s.reason, s.ms, paid);
  }
  return rowOf(range, null, null, c, agentTime);
}
