import type { Knex } from '../core/db.js';
import type { Cell, CellCounters } from './kpi/cells.js';
import type { StateSlice } from './kpi/agent-time.js';
import type { KpiThresholds } from './kpi/thresholds.js';
import { COLUMNS, FIELDS, CELL_COLUMNS, CELL_SUMS, TIME_COLUMNS } from './summary-columns.js';
import { DayRollupRepository } from './day-rollup-repository.js';

// The KPI summary tables (migration 0012): kpi_cells, kpi_agent_time and the dirty marks;
// replacing a range (a re-fold) also rebuilds the local days it overlaps (day-rollup-repository.ts).

const INSERT_BATCH = 1000;

export type Split = 'total' | 'queue' | 'agent' | 'did';

export interface SumsQuery {
  /** Bucket range, epoch seconds, [from, to). */
  from: number;
  to: number;
  /** Interval starts (epoch seconds, ascending): rows are grouped by the interval holding their bucket. */
  starts: readonly number[];
  split: Split;
  queues?: readonly string[];
  /**
   * The range and every start are local-day starts and the day tables are cut in the
   * configured zone: a split by agent reads kpi_cells_day (one row per day, not per bucket).
   */
  byDay?: boolean;
}

export interface SumRow extends CellCounters {
  interval: number;
  key: string;
}

const KEY: Record<Split, string> = { total: "''", queue: 'queue', agent: 'agent_id', did: 'did' };

export class SummaryRepository {
  readonly days: DayRollupRepository;

  constructor(private readonly db: Knex) {
    this.days = new DayRollupRepository(db);
  }

  /**
   * Replaces the cells of buckets [from, to) with these, and their rollups, in one
   * transaction; `days`: the local days overlapping [from, to) (day-rollup-repository.ts).
   */
  async replaceCells(from: number, to: number, cells: readonly Cell[], thresholds: (queue: string) => KpiThresholds, days: readonly number[], trx?: Knex.Transaction): Promise<void> {
    const run = async (t: Knex.Transaction) => {
      await t('kpi_cells').where('bucket', '>=', from).andWhere('bucket', '<', to).delete();
      const rows = cells.map((c) => {
        const th = thresholds(c.queue);
        const row: Record<string, unknown> = { bucket: c.bucket, queue: c.queue, did: c.did, agent_id: c.agentId, sl_sec: th.serviceLevelSec, short_sec: th.shortAbandonSec };
        for (const f of FIELDS) row[COLUMNS[f]] = Math.round(c[f]);
        return row;
      });
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await t('kpi_cells').insert(rows.slice(i, i + INSERT_BATCH));
      await this.rollupCells(from, to, t);
      await this.days.rollupCells(days, t);
    };
    if (trx) await run(trx);
    else await this.db.transaction(run);
  }

  /** Replaces one agent's state time in buckets [from, to), and in the local days overlapping them. */
  async replaceAgentTime(agentId: number, from: number, to: number, slices: readonly StateSlice[], days: readonly number[]): Promise<void> {
    const { time, pauses } = agentTimeRows(agentId, slices);
    await this.db.transaction(async (t) => {
      for (const table of ['kpi_agent_time', 'kpi_agent_pause']) {
        await t(table).where({ agent_id: agentId }).andWhere('bucket', '>=', from).andWhere('bucket', '<', to).delete();
      }
      for (let i = 0; i < time.length; i += INSERT_BATCH) await t('kpi_agent_time').insert(time.slice(i, i + INSERT_BATCH));
      for (let i = 0; i < pauses.length; i += INSERT_BATCH) await t('kpi_agent_pause').insert(pauses.slice(i, i + INSERT_BATCH));
      await this.rollupAgentTime(from, to, t);
      await this.days.rollupAgentTime(days, t, agentId);
    });
  }

  /** kpi_cells_q of buckets [from, to) from kpi_cells: the same sums without the agent. */
  async rollupCells(from: number, to: number, t: Knex = this.db): Promise<void> {
    await t('kpi_cells_q').where('bucket', '>=', from).andWhere('bucket', '<', to).delete();
    await t.raw(`INSERT INTO kpi_cells_q (bucket, queue, did, ${CELL_COLUMNS.join(', ')})
      SELECT bucket, queue, did, ${CELL_SUMS} FROM kpi_cells WHERE bucket >= ? AND bucket < ? GROUP BY bucket, queue, did`, [from, to]);
  }

  /** kpi_agent_time_all and kpi_agent_pause_all of buckets [from, to): every agent added up. */
  async rollupAgentTime(from: number, to: number, t: Knex = this.db): Promise<void> {
    for (const table of ['kpi_agent_time_all', 'kpi_agent_pause_all']) await t(table).where('bucket', '>=', from).andWhere('bucket', '<', to).delete();
    await t.raw(`INSERT INTO kpi_agent_time_all (bucket, ${TIME_COLUMNS.join(', ')})
      SELECT bucket, ${TIME_COLUMNS.map((c) => `SUM(${c})`).join(', ')} FROM kpi_agent_time WHERE bucket >= ? AND bucket < ? GROUP BY bucket`, [from, to]);
    await t.raw(`INSERT INTO kpi_agent_pause_all (bucket, reason, ms)
      SELECT bucket, reason, SUM(ms) FROM kpi_agent_pause WHERE bucket >= ? AND bucket < ? GROUP BY bucket, reason`, [from, to]);
  }

  /** Marked entry buckets, oldest first, optionally only inside [from, to). */
  async dirtyBuckets(limit: number, range?: { from: number; to: number }): Promise<Array<{ bucket: number; gen: number }>> {
    const q = this.db('kpi_dirty_buckets').orderBy('bucket').limit(limit).select('bucket', 'gen');
    if (range) q.where('bucket', '>=', range.from).andWhere('bucket', '<', range.to);
    return q;
  }

  /** Removes marks that were not raised again since they were read. */
  async clearBuckets(marks: ReadonlyArray<{ bucket: number; gen: number }>): Promise<void> {
    for (const m of marks) await this.db('kpi_dirty_buckets').where(m).delete();
  }

  async markBuckets(buckets: readonly number[]): Promise<void> {
    if (!buckets.length) return;
    await this.db.raw(`INSERT INTO kpi_dirty_buckets (bucket) VALUES ${buckets.map(() => '(?)').join(',')} ON DUPLICATE KEY UPDATE gen = gen + 1`, [...buckets]);
  }

  async dirtyAgents(limit: number): Promise<Array<{ agentId: number; at: number }>> {
    const rows: Array<{ agent_id: number; at: Date }> = await this.db('kpi_dirty_agents').orderBy(['agent_id', 'at']).limit(limit).select('agent_id', 'at');
    return rows.map((r) => ({ agentId: r.agent_id, at: r.at.getTime() }));
  }

  async clearAgents(marks: ReadonlyArray<{ agentId: number; at: number }>): Promise<void> {
    for (const m of marks) await this.db('kpi_dirty_agents').where({ agent_id: m.agentId, at: new Date(m.at) }).delete();
  }

  /** The thresholds cells in [from, to) were counted with, per queue (one scan, few rows). */
  async thresholdsCounted(from: number, to: number): Promise<Array<{ queue: string; slSec: number; shortSec: number }>> {
    const rows: Array<{ queue: string; sl_sec: number; short_sec: number }> = await this.db('kpi_cells')
      .where('bucket', '>=', from).andWhere('bucket', '<', to).groupBy('queue', 'sl_sec', 'short_sec').select('queue', 'sl_sec', 'short_sec');
    return rows.map((r) => ({ queue: r.queue, slSec: r.sl_sec, shortSec: r.short_sec }));
  }

  /** Buckets in [from, to) of a queue counted with other thresholds than these. */
  async bucketsCountedOtherwise(queue: string, t: KpiThresholds, from: number, to: number): Promise<number[]> {
    const rows: Array<{ bucket: number }> = await this.db('kpi_cells').distinct('bucket')
      .where('bucket', '>=', from).andWhere('bucket', '<', to).andWhere({ queue })
      .andWhere((w) => w.whereNot('sl_sec', t.serviceLevelSec).orWhereNot('short_sec', t.shortAbandonSec));
    return rows.map((r) => r.bucket);
  }

  /** Cells added up per interval and key; one SQL statement, the grouping done by MariaDB. */
  async sums(q: SumsQuery): Promise<SumRow[]> {
    const sums = FIELDS.map((f) => `${f === 'maxWaitMs' ? 'MAX' : 'SUM'}(${COLUMNS[f]}) AS ${f}`).join(', ');
    // Only a split by agent needs the per-agent cells (per day when it can); the others read the rollup.
    const byDay = q.split === 'agent' && q.byDay;
    const col = byDay ? 'day' : 'bucket';
    const table = byDay ? 'kpi_cells_day' : q.split === 'agent' ? 'kpi_cells' : 'kpi_cells_q';
    const where = [`${col} >= ?`, `${col} < ?`];
    const bindings: Array<string | number> = [q.from, q.to];
    if (q.queues?.length) {
      where.push(`queue IN (${q.queues.map(() => '?').join(',')})`);
      bindings.push(...q.queues);
    }
    if (q.split === 'agent') where.push('agent_id <> 0');
    if (q.split === 'did') where.push("did <> ''");
    // INTERVAL(N, N1, N2, ...) is the index of the last Ni <= N (a binary search): the interval a bucket (or day) falls in.
    const interval = `INTERVAL(${col}, ${q.starts.map(Number).join(',')})`;
    const sql = `SELECT ${interval} AS iv, ${KEY[q.split]} AS k, ${sums} FROM ${table} WHERE ${where.join(' AND ')} GROUP BY iv, k`;
    const [rows] = (await this.db.raw(sql, bindings)) as [Array<Record<string, unknown>>];
    return rows.map((r) => {
      const out = { interval: Number(r.iv) - 1, key: String(r.k) } as SumRow;
      for (const f of FIELDS) out[f] = Number(r[f] ?? 0);
      return out;
    });
  }

  /** Agent state time per interval, agent, state and pause reason; per agent from the day tables when `byDay` (see SumsQuery). */
  async agentTime(from: number, to: number, starts: readonly number[], agents: readonly number[] | 'each' | 'all', byDay = false): Promise<TimeRow[]> {
    const bindings: Array<string | number> = [from, to];
    let filter = '';
    if (Array.isArray(agents)) {
      if (!agents.length) return [];
      filter = ` AND agent_id IN (${agents.map(() => '?').join(',')})`;
      bindings.push(...agents);
    }
    // 'all': every agent added up, from the rollups (agent 0 in the rows).
    const [time, pause, agent] = agents === 'all' ? ['kpi_agent_time_all', 'kpi_agent_pause_all', '0']
      : byDay ? ['kpi_agent_time_day', 'kpi_agent_pause_day', 'agent_id'] : ['kpi_agent_time', 'kpi_agent_pause', 'agent_id'];
    const col = byDay && agents !== 'all' ? 'day' : 'bucket';
    const iv = `INTERVAL(${col}, ${starts.map(Number).join(',')})`;
    const states = STATE_COLUMNS.map(([state, col]) => `SUM(${col}) AS \`${state}\``).join(', ');
    const [[times], [pauses]] = (await Promise.all([
      this.db.raw(`SELECT ${iv} AS iv, ${agent} AS agent_id, ${states} FROM ${time} WHERE ${col} >= ? AND ${col} < ?${filter} GROUP BY iv, agent_id`, bindings),
      this.db.raw(`SELECT ${iv} AS iv, ${agent} AS agent_id, reason, SUM(ms) AS ms FROM ${pause} WHERE ${col} >= ? AND ${col} < ?${filter} GROUP BY iv, agent_id, reason`, bindings),
    ])) as [[Array<Record<string, number | string>>], [Array<{ iv: number; agent_id: number; reason: string; ms: number | string }>]];
    const out: TimeRow[] = [];
    for (const r of times) {
      for (const [state] of STATE_COLUMNS) out.push({ interval: Number(r.iv) - 1, agentId: Number(r.agent_id), state, reason: '', ms: Number(r[state] ?? 0) });
    }
    for (const r of pauses) out.push({ interval: Number(r.iv) - 1, agentId: Number(r.agent_id), state: 'paused', reason: r.reason, ms: Number(r.ms) });
    return out;
  }
}

export interface TimeRow { interval: number; agentId: number; state: string; reason: string; ms: number }

/** States with a column of their own in kpi_agent_time; pauses are in kpi_agent_pause per reason. */
const STATE_COLUMNS = [['ready', 'ready_ms'], ['ringing', 'ringing_ms'], ['on_call', 'on_call_ms'], ['wrap_up', 'wrap_ms']] as const;
const COLUMN_OF: Record<string, string> = { ready: 'ready_ms', reserved: 'ringing_ms', ringing: 'ringing_ms', on_call: 'on_call_ms', wrap_up: 'wrap_ms', paused: 'paused_ms' };

/** Slices of one agent as the rows of kpi_agent_time and kpi_agent_pause (the generator writes them too). */
export function agentTimeRows(agentId: number, slices: readonly StateSlice[]): { time: Array<Record<string, number>>; pauses: Array<{ bucket: number; agent_id: number; reason: string; ms: number }> } {
  const time = new Map<number, Record<string, number>>();
  const pauses = new Map<string, { bucket: number; agent_id: number; reason: string; ms: number }>();
  for (const s of slices) {
    const col = COLUMN_OF[s.state];
    if (!col) continue;
    let row = time.get(s.bucket);
    if (!row) time.set(s.bucket, (row = { bucket: s.bucket, agent_id: agentId, ready_ms: 0, ringing_ms: 0, on_call_ms: 0, wrap_ms: 0, paused_ms: 0 }));
    row[col] = (row[col] ?? 0) + s.ms;
    if (s.state !== 'paused') continue;
    const key = `${s.bucket}|${s.reason}`;
    const p = pauses.get(key);
    if (p) p.ms += s.ms;
    else pauses.set(key, { bucket: s.bucket, agent_id: agentId, reason: s.reason, ms: s.ms });
  }
  return { time: [...time.values()], pauses: [...pauses.values()] };
}
