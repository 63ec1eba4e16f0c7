// bench: tool
// Generates a contact center's history for the KPI benchmark (scripts/bench/report.ts):
// interactions, their call events and the agents' state changes, day after day, written
// with LOAD DATA, and the KPI summary (kpi_cells, kpi_agent_time) folded from the same rows
// in this process with the engine's own fold (server/reports/kpi/cells.ts), as the re-fold
// from MariaDB would (report.ts checks a day of it against that re-fold); then its rollups,
// the per-day ones included.
//
// Deterministic (seeded). Only into a cc_bench* or cc_test* database, which it drops first:
//   CC_TEST_DB=cc_bench_kpi npx tsx scripts/bench/gen-interactions.ts <interactions> [days]
// Days end on 2026-11-20 (the time zone of the config); calls between 07:00 and 21:00.
import './lib/bench-env.js';
import { resetDatabase, testConfig } from '../../test/support/config.js';
import { createDb, migrateLatest } from '../../server/core/db.js';
import { rangeOf } from '../../server/reports/kpi/grains.js';
import { thresholdsOf } from '../../server/reports/kpi/thresholds.js';
import { foldCells, handlingsOf, type Cell as KpiCell, type InteractionFacts } from '../../server/reports/kpi/cells.js';
import { closedSlices } from '../../server/reports/kpi/agent-time.js';
import { agentTimeRows, SummaryRepository } from '../../server/reports/summary-repository.js';
import { DayRollups } from '../../server/reports/day-rollups.js';
import pino from 'pino';
import { callerKeyOf, isRepeat } from '../../server/reports/kpi/handling.js';
import { generateDay, rngOf, type GenDay, type GenQueue } from './lib/kpi-day.js';
import { BulkLoader, sqlTime, type Cell } from './lib/kpi-load.js';

const COUNT = Number(process.argv[2] ?? process.env.BENCH_KPI_INTERACTIONS ?? 50_000);
const DAYS = Number(process.argv[3] ?? process.env.BENCH_KPI_DAYS ?? 365);
const LAST_DAY = '2026-11-20';
const FCR_WINDOW_MS = 168 * 3_600_000;
const QUEUES: GenQueue[] = [
  { name: 'sales', dids: ['5552001', '5552002'], wrapSec: 10 }, { name: 'support', dids: ['5552003'], wrapSec: 20 },
  { name: 'billing', dids: ['5552004'], wrapSec: 10 }, { name: 'vip', dids: ['5552005'], wrapSec: 30 }, { name: 'tech', dids: ['5552006', '5552007'], wrapSec: 20 },
];
const SETTINGS: Record<string, { serviceLevelSec: number; shortAbandonSec: number }> = {
  sales: { serviceLevelSec: 20, shortAbandonSec: 5 }, support: { serviceLevelSec: 30, shortAbandonSec: 5 }, billing: { serviceLevelSec: 20, shortAbandonSec: 3 },
  vip: { serviceLevelSec: 10, shortAbandonSec: 5 }, tech: { serviceLevelSec: 60, shortAbandonSec: 10 },
};
const TIME_COLUMNS = ['bucket', 'agent_id', 'ready_ms', 'ringing_ms', 'on_call_ms', 'wrap_ms', 'paused_ms'];
const thresholds = (q: string) => thresholdsOf(SETTINGS[q]);
const CELL_COLUMNS = ['bucket', 'queue', 'did', 'agent_id', 'sl_sec', 'short_sec', 'offered', 'answered', 'abandoned', 'short_abandoned', 'timed_out', 'callbacks',
  'exited_with_key', 'answered_within_sl', 'answered_wait_ms', 'max_wait_ms', 'handled', 'talk_ms', 'hold_ms', 'wrap_ms', 'transferred', 'repeat_calls',
  'csat_responses', 'csat_sum', 'csat_top'] as const;

function cellRow(c: KpiCell): Cell[] {
  const t = thresholds(c.queue);
  return [c.bucket, c.queue, c.did, c.agentId, t.serviceLevelSec, t.shortAbandonSec, c.offered, c.answered, c.abandoned, c.shortAbandoned, c.timedOut, c.callbacks,
    c.exitedWithKey, c.answeredWithinSl, c.answeredWaitMs, c.maxWaitMs, c.handled, c.talkMs, c.holdMs, c.wrapMs, c.transferred, c.repeatCalls,
    c.csatResponses, c.csatSum, c.csatTop];
}

/** Answered times per caller, for repeat calls: the same rule as the re-fold (handling.ts isRepeat). */
const answeredBy = new Map<string, number[]>();

function summaryOf(day: GenDay): { cells: KpiCell[]; time: Cell[][]; pauses: Cell[][] } {
  const facts = new Map<string, InteractionFacts>();
  for (const i of day.interactions) {
    const key = callerKeyOf(i.callerNumber);
    const earlier = key ? (answeredBy.get(key) ?? []) : [];
    const repeat = i.answeredAt !== null && isRepeat({ interactionId: i.id, callerKey: key, enteredAt: i.queuedAt }, earlier.map((at) => ({ interactionId: '', callerKey: key, at })), FCR_WINDOW_MS);
    if (key && i.answeredAt !== null) answeredBy.set(key, [...earlier.filter((t) => t >= i.queuedAt - FCR_WINDOW_MS), i.answeredAt]);
    facts.set(i.id, { did: i.did, wrapMs: day.wrapMs.get(i.id) ?? 0, repeat });
  }
  const events = day.events.map((e) => ({ ...e }));
  const cells = foldCells(events, handlingsOf(events), { thresholds, includes: () => true, facts: (id) => facts.get(id) });
  const time: Array<Record<string, number>> = [];
  const pauses: Cell[][] = [];
  let start = 0;
  for (let i = 1; i <= day.states.length; i++) {
    if (i < day.states.length && day.states[i]?.agentId === day.states[start]?.agentId) continue;
    const changes = day.states.slice(start, i).map((s) => ({ at: s.at, state: s.to, reason: s.reason }));
    const agentId = day.states[start]?.agentId as number;
    const rows = agentTimeRows(agentId, closedSlices(changes, 0, Number.MAX_SAFE_INTEGER));
    time.push(...rows.time);
    pauses.push(...rows.pauses.map((p) => [p.bucket, p.agent_id, p.reason, p.ms]));
    start = i;
  }
  return { cells, time: time.map((r) => TIME_COLUMNS.map((c) => r[c] ?? 0)), pauses };
}

async function writeDay(bulk: BulkLoader, day: GenDay): Promise<number> {
  const { cells, time, pauses } = summaryOf(day);
  await bulk.add('interactions', ['id', 'direction', 'caller_number', 'did', 'queue', 'agent_id', 'entered_at', 'queued_at', 'answered_at', 'ended_at', 'outcome', 'wait_ms', 'talk_ms', 'hold_ms', 'handled_by'],
    day.interactions.map((i) => [i.id, 'inbound', i.callerNumber, i.did, i.queue, i.agentId, sqlTime(i.enteredAt), sqlTime(i.queuedAt), i.answeredAt === null ? null : sqlTime(i.answeredAt),
      sqlTime(i.endedAt), i.outcome, i.waitMs, i.talkMs, i.holdMs, i.agentId === null ? null : `[${i.agentId}]`]));
  await bulk.add('call_events', ['interaction_id', 'seq', 'type', 'at', 'queue', 'agent_id', 'data'],
    day.events.map((e) => [e.interactionId, e.seq, e.type, sqlTime(e.at), e.queue, e.agentId, e.data]));
  await bulk.add('agent_state_log', ['agent_id', 'seq', 'from_state', 'to_state', 'reason', 'interaction_id', 'actor', 'at'],
    day.states.map((s) => [s.agentId, s.seq, s.from, s.to, s.reason, s.interactionId, 'bench', sqlTime(s.at)]));
  await bulk.add('kpi_cells', CELL_COLUMNS, cells.sort((a, b) => a.bucket - b.bucket || a.queue.localeCompare(b.queue)).map(cellRow));
  await bulk.add('kpi_agent_time', TIME_COLUMNS, time);
  await bulk.add('kpi_agent_pause', ['bucket', 'agent_id', 'reason', 'ms'], pauses);
  return day.events.length;
}

async function seed(config: ReturnType<typeof testConfig>, agents: number): Promise<void> {
  const db = createDb(config);
  try {
    await migrateLatest(db);
    for (const q of QUEUES) {
      const [id] = await db('queues').insert({ name: q.name, wrap_up_s: q.wrapSec, config: JSON.stringify({ skill: q.name, ...SETTINGS[q.name] }) });
      await db('dids').insert(q.dids.map((number) => ({ number, queue_id: id })));
    }
    await db('agents').insert(Array.from({ length: agents }, (_, i) => ({ id: i + 1, number: String(1000 + i), name: `Agent ${i + 1}`, extension: String(3000 + i) })));
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const config = testConfig();
  const perDay = Math.ceil(COUNT / DAYS);
  const agents = Math.max(8, Math.ceil(perDay / 70));
  await resetDatabase(config);
  await seed(config, agents);
  const bulk = await BulkLoader.open(config);
  const rng = rngOf(20261121);
  const last = rangeOf(config.timezone, LAST_DAY, LAST_DAY).from;
  const started = Date.now();
  let made = 0;
  let events = 0;
  try {
    for (let d = DAYS - 1; d >= 0; d--) {
      const calls = Math.min(perDay, COUNT - made);
      const dayStart = rangeOf(config.timezone, new Date(last - d * 86_400_000 + 43_200_000).toISOString().slice(0, 10), LAST_DAY).from;
      events += await writeDay(bulk, generateDay({ dayStart, calls, agents, queues: QUEUES, callers: Math.max(1000, Math.floor(COUNT / 3)), rng, firstId: made }));
      made += calls;
      if (d % 30 === 0) process.stdout.write(`  ${made} interactions, ${events} events, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    await bulk.flush();
  } finally {
    await bulk.close();
  }
  const db = createDb(config);
  // The rollups without the agent, from the cells, as every re-fold rebuilds them.
  const summary = new SummaryRepository(db);
  await summary.rollupCells(0, 2 ** 32 - 1);
  await summary.rollupAgentTime(0, 2 ** 32 - 1);
  // The per-day rollups, cut in the config's zone: the rebuild a server does at boot on new tables.
  await new DayRollups({ repo: summary.days, timeZone: config.timezone, log: pino({ level: 'info' }) }).prepare();
  await db.raw('ANALYZE TABLE kpi_cells_q, kpi_agent_time_all, kpi_agent_pause_all, kpi_cells_day, kpi_agent_time_day, kpi_agent_pause_day, interactions, call_events, agent_state_log, kpi_cells, kpi_agent_time, kpi_agent_pause');
  await db.destroy();
  process.stdout.write(`${config.db.database}: ${made} interactions, ${events} call events, ${agents} agents over ${DAYS} days in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
