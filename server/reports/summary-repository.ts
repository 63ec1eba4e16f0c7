import type { Knex } from '../core/db.js';
import type { Cell, CellCounters } from './kpi/cells.js';
import type { StateSlice } from './kpi/agent-time.js';
import type { KpiThresholds } from './kpi/thresholds.js';

// The KPI summary tables (migration 0012): kpi_cells, kpi_agent_time and the dirty marks.

/** Cell field -> column; every one is a sum except max_wait_ms. */
const COLUMNS: Record<keyof CellCounters, string> = {
  offered: 'offered', answered: 'answered', abandoned: 'abandoned', shortAbandoned: 'short_abandoned', timedOut: 'timed_out',
  callbacks: 'callbacks', exitedWithKey: 'exited_with_key', answeredWithinSl: 'answered_within_sl', answeredWaitMs: 'answered_wait_ms',
  maxWaitMs: 'max_wait_ms', handled: 'handled', talkMs: 'talk_ms', holdMs: 'hold_ms', wrapMs: 'wrap_ms', transferred: 'transferred',
  repeatCalls: 'repeat_calls', csatResponses: 'csat_responses', csatSum: 'csat_sum', csatTop: 'csat_top',
};
const FIELDS = Object.keys(COLUMNS) as Array<keyof CellCounters>;
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
}

export interface SumRow extends CellCounters {
  interval: number;
  key: string;
}

const KEY: Record<Split, string> = { total: "''", queue: 'queue', agent: 'agent_id', did: 'did' };

export class SummaryRepository {
  constructor(private readonly db: Knex) {}

  /** Replaces the cells of buckets [from, to) with these, in one transaction. */
  async replaceCells(from: number, to: number, cells: readonly Cell[], thresholds: (queue: string) => KpiThresholds, trx?: Knex.Transaction): Promise<void> {
    const run = async (t: Knex.Transaction) => {
      await t('kpi_cells').where('bucket', '>=', from).andWhere('bucket', '<', to).delete();
      const rows = cells.map((c) => {
        const th = thresholds(c.queue);
        const row: Record<string, unknown> = { bucket: c.bucket, queue: c.queue, did: c.did, agent_id: c.agentId, sl_sec: th.serviceLevelSec, short_sec: th.shortAbandonSec };
        for (const f of FIELDS) row[COLUMNS[f]] = Math.round(c[f]);
        return row;
      });
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await t('kpi_cells').insert(rows.slice(i, i + INSERT_BATCH));
    };
    if (trx) await run(trx);
    else await this.db.transaction(run);
  }

  /** Replaces one agent's state time in buckets [from, to). */
  async replaceAgentTime(agentId: number, from: number, to: number, slices: readonly StateSlice[]): Promise<void> {
    await this.db.transaction(async (t) => {
      await t('kpi_agent_time').where({ agent_id: agentId }).andWhere('bucket', '>=', from).andWhere('bucket', '<', to).delete();
      const rows = slices.map((s) => ({ bucket: s.bucket, agent_id: agentId, state: s.state, reason: s.reason, ms: s.ms }));
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await t('kpi_agent_time').insert(rows.slice(i, i + INSERT_BATCH));
    });
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
    const where = ['bucket >= ?', 'bucket < ?'];
    const bindings: Array<string | number> = [q.from, q.to];
    if (q.queues?.length) {
      where.push(`queue IN (${q.queues.map(() => '?').join(',')})`);
      bindings.push(...q.queues);
    }
    if (q.split === 'agent') where.push('agent_id <> 0');
    if (q.split === 'did') where.push("did <> ''");
    // INTERVAL(N, N1, N2, ...) is the index of the last Ni <= N (a binary search): the interval a bucket falls in.
    const interval = `INTERVAL(bucket, ${q.starts.map(Number).join(',')})`;
    const sql = `SELECT ${interval} AS iv, ${KEY[q.split]} AS k, ${sums} FROM kpi_cells WHERE ${where.join(' AND ')} GROUP BY iv, k`;
    const [rows] = (await this.db.raw(sql, bindings)) as [Array<Record<string, unknown>>];
    return rows.map((r) => {
      const out = { interval: Number(r.iv) - 1, key: String(r.k) } as SumRow;
      for (const f of FIELDS) out[f] = Number(r[f] ?? 0);
      return out;
    });
  }

  /** Agent state time per interval, agent, state and reason. */
  async agentTime(from: number, to: number, starts: readonly number[], agents?: readonly number[]): Promise<Array<{ interval: number; agentId: number; state: string; reason: string; ms: number }>> {
    const bindings: Array<string | number> = [from, to];
    let filter = '';
    if (agents) {
      if (!agents.length) return [];
      filter = ` AND agent_id IN (${agents.map(() => '?').join(',')})`;
      bindings.push(...agents);
    }
    const sql = `SELECT INTERVAL(bucket, ${starts.map(Number).join(',')}) AS iv, agent_id, state, reason, SUM(ms) AS ms
      FROM kpi_agent_time WHERE bucket >= ? AND bucket < ?${filter} GROUP BY iv, agent_id, state, reason`;
    const [rows] = (await this.db.raw(sql, bindings)) as [Array<{ iv: number; agent_id: number; state: string; reason: string; ms: number | string }>];
    return rows.map((r) => ({ interval: Number(r.iv) - 1, agentId: r.agent_id, state: r.state, reason: r.reason, ms: Number(r.ms) }));
  }
}
