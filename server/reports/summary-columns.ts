import type { CellCounters } from './kpi/cells.js';

// The counter columns shared by kpi_cells and its rollups (kpi_cells_q, kpi_cells_day).

/** Cell field -> column; every one is a sum except max_wait_ms. */
export const COLUMNS: Record<keyof CellCounters, string> = {
  offered: 'offered', answered: 'answered', abandoned: 'abandoned', shortAbandoned: 'short_abandoned', timedOut: 'timed_out',
  callbacks: 'callbacks', exitedWithKey: 'exited_with_key', answeredWithinSl: 'answered_within_sl', answeredWaitMs: 'answered_wait_ms',
  maxWaitMs: 'max_wait_ms', handled: 'handled', talkMs: 'talk_ms', holdMs: 'hold_ms', wrapMs: 'wrap_ms', transferred: 'transferred',
  repeatCalls: 'repeat_calls', csatResponses: 'csat_responses', csatSum: 'csat_sum', csatTop: 'csat_top',
};
export const FIELDS = Object.keys(COLUMNS) as Array<keyof CellCounters>;
export const CELL_COLUMNS = FIELDS.map((f) => COLUMNS[f]);

/** The columns added up over rows: SUM, and MAX for the longest wait. */
export const CELL_SUMS = CELL_COLUMNS.map((c) => (c === 'max_wait_ms' ? `MAX(${c})` : `SUM(${c})`)).join(', ');

/** kpi_agent_time's state columns (the _all and _day rollups have the same). */
export const TIME_COLUMNS = ['ready_ms', 'ringing_ms', 'on_call_ms', 'wrap_ms', 'paused_ms'] as const;
