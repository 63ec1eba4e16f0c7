import type { Knex } from '../core/db.js';
import { BUCKET_SEC } from './kpi/cells.js';
import { CELL_COLUMNS, CELL_SUMS, TIME_COLUMNS } from './summary-columns.js';

// The per-local-day rollups (migration 0025): kpi_cells_day, kpi_agent_time_day,
// kpi_agent_pause_day and the zone they were cut in (kpi_day_meta). Rebuilt from the
// 15-minute tables, never patched. Day boundaries are epoch seconds computed by the caller in
// the configured zone: `days` is the starts of consecutive local days followed by the end of
// the last one, so [days[0], days[n-1]) is the range rebuilt.

/** The local day holding `bucket`, as its start: INTERVAL finds the index, ELT the start. */
function dayOfBucket(days: readonly number[]): string {
  const starts = days.slice(0, -1).map(Number).join(',');
  return `CAST(ELT(INTERVAL(bucket, ${starts}), ${starts}) AS UNSIGNED)`;
}

function rangeOf(days: readonly number[]): [number, number] | undefined {
  return days.length < 2 ? undefined : [days[0] as number, days[days.length - 1] as number];
}

export interface DayState {
  /** The zone recorded with the last whole rebuild; undefined: never built (a new table). */
  zone: string | undefined;
  /** The day tables are empty while the 15-minute tables hold rows: an upgrade, or a lost rebuild. */
  missing: boolean;
}

export class DayRollupRepository {
  constructor(private readonly db: Knex) {}

  /** kpi_cells_day of the days from kpi_cells: sums per day, agent and queue (the DID dropped). */
  async rollupCells(days: readonly number[], t: Knex = this.db): Promise<void> {
    const range = rangeOf(days);
    if (!range) return;
    await t('kpi_cells_day').where('day', '>=', range[0]).andWhere('day', '<', range[1]).delete();
    await t.raw(`INSERT INTO kpi_cells_day (day, agent_id, queue, ${CELL_COLUMNS.join(', ')})
      SELECT ${dayOfBucket(days)} AS d, agent_id, queue, ${CELL_SUMS} FROM kpi_cells
      WHERE bucket >= ? AND bucket < ? GROUP BY d, agent_id, queue`, range);
  }

  /** kpi_agent_time_day and kpi_agent_pause_day of the days, for every agent or only one. */
  async rollupAgentTime(days: readonly number[], t: Knex = this.db, agentId?: number): Promise<void> {
    const range = rangeOf(days);
    if (!range) return;
    const only = agentId === undefined ? '' : ' AND agent_id = ?';
    const bindings = agentId === undefined ? range : [...range, agentId];
    for (const table of ['kpi_agent_time_day', 'kpi_agent_pause_day']) {
      const q = t(table).where('day', '>=', range[0]).andWhere('day', '<', range[1]);
      await (agentId === undefined ? q : q.andWhere({ agent_id: agentId })).delete();
    }
    const day = dayOfBucket(days);
    await t.raw(`INSERT INTO kpi_agent_time_day (day, agent_id, ${TIME_COLUMNS.join(', ')})
      SELECT ${day} AS d, agent_id, ${TIME_COLUMNS.map((c) => `SUM(${c})`).join(', ')} FROM kpi_agent_time
      WHERE bucket >= ? AND bucket < ?${only} GROUP BY d, agent_id`, bindings);
    await t.raw(`INSERT INTO kpi_agent_pause_day (day, agent_id, reason, ms)
      SELECT ${day} AS d, agent_id, reason, SUM(ms) FROM kpi_agent_pause
      WHERE bucket >= ? AND bucket < ?${only} GROUP BY d, agent_id, reason`, bindings);
  }

  async state(): Promise<DayState> {
    const meta: { time_zone: string } | undefined = await this.db('kpi_day_meta').where({ id: 1 }).first('time_zone');
    return { zone: meta?.time_zone || undefined, missing: await this.missing(this.db) };
  }

  /** Empty day tables beside 15-minute tables with rows. */
  private async missing(t: Knex): Promise<boolean> {
    const any = async (table: string) => !!(await t(table).first(t.raw('1 AS x')));
    const [cells, time, cellDays, timeDays] = await Promise.all(['kpi_cells', 'kpi_agent_time', 'kpi_cells_day', 'kpi_agent_time_day'].map(any));
    return (!!cells && !cellDays) || (!!time && !timeDays);
  }

  /**
   * Empties the day tables and rebuilds them all in one transaction, in chunks of days the
   * caller cuts from the span of buckets held (read here, after the lock, so a day re-folded
   * meanwhile is not lost). The meta row is locked first: a second server booting with the
   * same zone waits, then finds the work done and returns false.
   */
  async rebuildAll(zone: string, chunksOf: (span: { from: number; to: number }) => number[][]): Promise<boolean> {
    return this.db.transaction(async (t) => {
      await t.raw("INSERT INTO kpi_day_meta (id, time_zone, rebuilt_at) VALUES (1, '', NOW(3)) ON DUPLICATE KEY UPDATE id = id");
      const meta: { time_zone: string } | undefined = await t('kpi_day_meta').where({ id: 1 }).forUpdate().first('time_zone');
      if (meta?.time_zone === zone && !(await this.missing(t))) return false;
      const span = await this.span(t);
      for (const table of ['kpi_cells_day', 'kpi_agent_time_day', 'kpi_agent_pause_day']) await t(table).delete();
      for (const days of span ? chunksOf(span) : []) {
        await this.rollupCells(days, t);
        await this.rollupAgentTime(days, t);
      }
      await t('kpi_day_meta').where({ id: 1 }).update({ time_zone: zone, rebuilt_at: new Date() });
      return true;
    });
  }

  /** The buckets the 15-minute tables hold, [first, last + 15 min); undefined when empty. */
  private async span(t: Knex): Promise<{ from: number; to: number } | undefined> {
    const [[row]] = (await t.raw(`SELECT MIN(b) AS lo, MAX(b) AS hi FROM (
      SELECT MIN(bucket) AS b FROM kpi_cells UNION ALL SELECT MAX(bucket) FROM kpi_cells
      UNION ALL SELECT MIN(bucket) FROM kpi_agent_time UNION ALL SELECT MAX(bucket) FROM kpi_agent_time) s`)) as [[{ lo: number | null; hi: number | null } | undefined]];
    return row?.lo == null || row.hi == null ? undefined : { from: Number(row.lo), to: Number(row.hi) + BUCKET_SEC };
  }
}
