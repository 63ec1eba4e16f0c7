// The daily report's speed (issue 5, "Speed"): the KPI queries a report makes (totals, per
// queue, per agent, per hour; per day for a month) over one day and over one month, at three
// sizes of history, to show how the time grows with rows. Targets at 5 million interactions:
// under 1 s for a day, under 3 s for a month.
//
// Each size is a database cc_bench_kpi_<size> made by gen-interactions.ts (made here when
// missing; 5 million takes a long while). The queries go through the engine itself
// (KpiService with its repositories) against MariaDB, round trips included. Then one day is
// re-folded from the raw rows (the correction path after a late row) and checked against
// the summary the generator wrote.
//
// The per-agent split reads the per-day rollups (migration 0025) for the day and month
// reports. To weigh that on a shared, noisy machine, every sample also runs the same report
// through an engine without them (the 15-minute tables, as before), alternating, and checks
// both give the same tables. A database made before migration 0025 is migrated here and its
// day tables are built the way a server builds them at boot after an upgrade.
//
//   npx tsx scripts/bench/report.ts            BENCH_KPI_SIZES=50000,500000,5000000  BENCH_KPI_SAMPLES=7
import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { testConfig } from '../../test/support/config.js';
import { createDb, migrateLatest, type Knex } from '../../server/core/db.js';
import { RawRepository } from '../../server/reports/raw-repository.js';
import { SummaryRepository } from '../../server/reports/summary-repository.js';
import { SummaryBuilder } from '../../server/reports/summary-builder.js';
import { KpiService } from '../../server/reports/kpi-service.js';
import { DayRollups } from '../../server/reports/day-rollups.js';
import { dayStarts, rangeOf } from '../../server/reports/kpi/grains.js';
import { thresholdsOf } from '../../server/reports/kpi/thresholds.js';
import type { KpiQuery, KpiTable } from '../../server/reports/kpi/query.js';
import { machineLine, ms, ratio, summarize, table } from './lib/stats.js';

const SIZES = (process.env.BENCH_KPI_SIZES ?? '50000,500000,5000000').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_KPI_SAMPLES ?? 7);
// The last generated day and the last whole month; BENCH_KPI_DAY / BENCH_KPI_MONTH (YYYY-MM)
// pick others, e.g. to time a database still being generated (BENCH_KPI_AS_IS=1 uses it as it is).
const DAY = process.env.BENCH_KPI_DAY ?? '2026-11-20';
const MONTH = monthOf(process.env.BENCH_KPI_MONTH ?? '2026-10');
const AS_IS = process.env.BENCH_KPI_AS_IS === '1';
const log = pino({ level: 'warn' });

function monthOf(ym: string): { from: string; to: string } {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return { from: `${ym}-01`, to: `${ym}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}` };
}

const dbName = (size: number) => `cc_bench_kpi_${size >= 1e6 ? `${size / 1e6}m` : `${size / 1e3}k`}`;

/** The queries of one printed report: the total line, per queue, per agent, and the time table. */
function reportQueries(from: string, to: string, timeGrain: KpiQuery['grain']): KpiQuery[] {
  const grain = from === to ? 'day' : 'month';
  return [
    { from, to, grain, by: 'total' }, { from, to, grain, by: 'queue' }, { from, to, grain, by: 'agent' }, { from, to, grain: timeGrain, by: 'total' },
  ];
}

async function interactionsIn(db: Knex): Promise<number> {
  const exists = (await db.raw('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', ['kpi_cells_q'])) as [Array<{ n: number }>];
  if (!Number(exists[0][0]?.n)) return 0;
  const [rows] = (await db.raw('SELECT COUNT(*) AS n FROM interactions')) as [Array<{ n: number }>];
  return Number(rows[0]?.n ?? 0);
}

interface Engines {
  /** With the day rollups: the product's engine. */
  service: KpiService;
  /** The same engine without them: every per-agent read from the 15-minute tables. */
  old: KpiService;
  builder: SummaryBuilder;
}

function engine(db: Knex, timeZone: string): Engines {
  const raw = new RawRepository(db);
  const summary = new SummaryRepository(db);
  let current = new Map<string, ReturnType<typeof thresholdsOf>>();
  const builder = new SummaryBuilder({ raw, summary, thresholds: (q) => current.get(q) ?? thresholdsOf(undefined), fcrWindowMs: 168 * 3_600_000, timeZone, log });
  const queues = {
    list: async () => {
      const rows: Array<{ name: string; config: string | Record<string, unknown> }> = await db('queues').select('name', 'config');
      const list = rows.map((r) => ({ name: r.name, ...(typeof r.config === 'string' ? JSON.parse(r.config) : r.config) }));
      current = new Map(list.map((q) => [q.name, thresholdsOf(q)]));
      return list;
    },
  };
  const days = new DayRollups({ repo: summary.days, timeZone, log });
  return { service: new KpiService({ raw, summary, builder, queues, timeZone, log, days }), old: new KpiService({ raw, summary, builder, queues, timeZone, log }), builder };
}

interface Timed { total: number[]; each: number[][]; tables: string[] }

/** Runs the report on each engine in turn, sample after sample, so both see the same machine. */
async function timeReport(services: KpiService[], queries: KpiQuery[]): Promise<Timed[]> {
  const out: Timed[] = services.map(() => ({ total: [], each: queries.map(() => []), tables: [] }));
  for (let s = 0; s < SAMPLES; s++) {
    for (const [k, service] of services.entries()) {
      const timed = out[k] as Timed;
      let sum = 0;
      for (const [i, q] of queries.entries()) {
        const t0 = process.hrtime.bigint();
        const result = await service.query(q);
        const took = Number(process.hrtime.bigint() - t0) / 1e6;
        timed.each[i]?.push(took);
        sum += took;
        if (s === 0) timed.tables.push(comparable(result));
      }
      timed.total.push(sum);
    }
  }
  return out;
}

/** A table without its generation time; the agents' running segments end at 'now', which moves. */
function comparable(t: KpiTable): string {
  return JSON.stringify({ ...t, generatedAt: 0 });
}

/** Re-folds the day from raw rows and says whether the summary came out the same. */
async function refoldDay(db: Knex, builder: SummaryBuilder, timeZone: string): Promise<{ ms: number; same: boolean }> {
  const range = rangeOf(timeZone, DAY, DAY);
  const rows = (table: string, order: string[]) => db(table).where('bucket', '>=', range.from / 1000).andWhere('bucket', '<', range.to / 1000).orderBy(order).select('*');
  const days = () => db('kpi_cells_day').where('day', '>=', range.from / 1000).andWhere('day', '<', range.to / 1000).orderBy(['day', 'agent_id', 'queue']).select('*');
  const sums = async () => JSON.stringify([await rows('kpi_cells', ['bucket', 'queue', 'did', 'agent_id']), await rows('kpi_cells_q', ['bucket', 'queue', 'did']), await days()]);
  const before = await sums();
  const t0 = process.hrtime.bigint();
  await builder.refoldEntries(range.from / 1000, range.to / 1000);
  const took = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms: took, same: before === (await sums()) };
}

async function rollUp(db: Knex, timeZone: string): Promise<void> {
  const summary = new SummaryRepository(db);
  for (const r of [rangeOf(timeZone, DAY, DAY), rangeOf(timeZone, MONTH.from, MONTH.to)]) {
    await summary.rollupCells(r.from / 1000, r.to / 1000);
    await summary.rollupAgentTime(r.from / 1000, r.to / 1000);
    await summary.days.rollupCells(dayStarts(timeZone, r.from, r.to));
    await summary.days.rollupAgentTime(dayStarts(timeZone, r.from, r.to));
  }
}

/** A database generated before migration 0025: migrated, and its day tables built as a server does at boot. */
async function prepare(db: Knex, service: KpiService): Promise<void> {
  const applied = await migrateLatest(db);
  if (applied.length) process.stdout.write(`migrations applied: ${applied.join(', ')}\n`);
  const t0 = Date.now();
  await service.prepareDays();
  await db.raw('ANALYZE TABLE kpi_cells_day, kpi_agent_time_day, kpi_agent_pause_day');
  process.stdout.write(`day rollups checked or built in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

interface Measured { size: number; present: number; label: string; day: number; month: number; row: string[]; split: string[] }

async function measure(size: number): Promise<Measured> {
  const config = testConfig({ db: { ...testConfig().db, database: dbName(size) } });
  let db = createDb(config);
  const present = await interactionsIn(db);
  if (present !== size && !AS_IS) {
    await db.destroy();
    process.stdout.write(`generating ${size} interactions into ${dbName(size)}\n`);
    execFileSync('npx', ['tsx', 'scripts/bench/gen-interactions.ts', String(size)], { stdio: 'inherit', env: { ...process.env, CC_TEST_DB: dbName(size) } });
    db = createDb(config);
  }
  const { service, old, builder } = engine(db, config.timezone);
  // A database still being generated has its rollups only at the end: build the measured ranges' now.
  if (AS_IS && present !== size) await rollUp(db, config.timezone);
  await prepare(db, service);
  const [events] = (await db.raw('SELECT COUNT(*) AS n FROM call_events')) as [Array<{ n: number }>];
  const [day, dayOld] = (await timeReport([service, old], reportQueries(DAY, DAY, 'hour'))) as [Timed, Timed];
  const [month, monthOld] = (await timeReport([service, old], reportQueries(MONTH.from, MONTH.to, 'day'))) as [Timed, Timed];
  const refold = await refoldDay(db, builder, config.timezone);
  await db.destroy();
  const med = (t: Timed) => summarize(t.total)?.median ?? NaN;
  const agent = (t: Timed) => summarize(t.each[2] ?? [])?.median;
  const same = day.tables.join() === dayOld.tables.join() && month.tables.join() === monthOld.tables.join();
  // A database timed as it is (still being generated) is labelled with the rows it holds.
  const label = present === size || !AS_IS ? String(size) : `${present} of ${size}`;
  const [d, m] = [summarize(day.total), summarize(month.total)];
  return {
    size, present, label, day: med(day), month: med(month),
    row: [label, String(events[0]?.n), ms(d?.median), ms(d?.max), day.each.map((e) => ms(summarize(e)?.median)).join('/'),
      ms(m?.median), ms(m?.max), month.each.map((e) => ms(summarize(e)?.median)).join('/'), ms(refold.ms, 0), refold.same ? 'yes' : 'NO'],
    split: [label, ms(med(dayOld)), ms(med(day)), ratio(med(dayOld), med(day)), ms(med(monthOld)), ms(med(month)), ratio(med(monthOld), med(month)),
      `${ms(agent(monthOld))} / ${ms(agent(month))}`, same ? 'yes' : 'NO'],
  };
}

async function main(): Promise<void> {
  const all: Measured[] = [];
  for (const size of SIZES) all.push(await measure(size));
  process.stdout.write(`\nKPI report queries for ${DAY} and ${MONTH.from}..${MONTH.to} (ms; median of ${SAMPLES}; each = total/queue/agent/time table)\n`);
  process.stdout.write(`${table(['interactions', 'call events', 'day median', 'day max', 'day each', 'month median', 'month max', 'month each', 're-fold a day', 'same as summary'], all.map((a) => a.row))}\n`);
  process.stdout.write(`\nThe same reports with the per-agent split read from the 15-minute tables (old) and the day rollups (new), alternating in this run (ms, medians)\n`);
  process.stdout.write(`${table(['interactions', 'day old', 'day new', 'day old/new', 'month old', 'month new', 'month old/new', 'month agent query old / new', 'same tables'], all.map((a) => a.split))}\n`);
  for (let i = 1; i < all.length; i++) {
    const [a, b] = [all[i - 1], all[i]] as [Measured, Measured];
    process.stdout.write(`x${(b.present / a.present).toFixed(1)} rows (${a.label} -> ${b.label}): day x${(b.day / a.day).toFixed(2)}, month x${(b.month / a.month).toFixed(2)}\n`);
  }
  const last = all[all.length - 1];
  if (last) process.stdout.write(`targets at ${last.label}: day ${ms(last.day)} ms (< 1000: ${last.day < 1000 ? 'met' : 'MISSED'}), month ${ms(last.month)} ms (< 3000: ${last.month < 3000 ? 'met' : 'MISSED'})\n`);
  process.stdout.write(`${machineLine()}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
