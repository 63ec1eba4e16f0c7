import type { Knex } from 'knex';
import { utf8 } from './helpers.js';

// Per-local-day rollups of the per-agent summary (server/reports/CONTEXT.md, "day rollups"):
// a report split by agent over a month read one row per bucket, queue, DID and agent
// (~330k rows at 5 million interactions a year); per day, agent and queue it is ~30k.
// `day` is the epoch second a local day of config.timezone starts at (DST days last 23 or
// 25 hours, +05:30 zones start days on a half hour), so the rows depend on the zone they
// were cut in: kpi_day_meta records it. The migration cannot know the zone, so the tables
// start empty and the reports room fills them from the 15-minute tables at boot (an upgrade
// of a site with history), and again whenever the configured zone differs from the one recorded.

const COUNTERS = [
  'offered', 'answered', 'abandoned', 'short_abandoned', 'timed_out', 'callbacks', 'exited_with_key', 'answered_within_sl',
  'handled', 'transferred', 'repeat_calls', 'csat_responses', 'csat_sum', 'csat_top',
] as const;
const DURATIONS = ['answered_wait_ms', 'talk_ms', 'hold_ms', 'wrap_ms'] as const;
const TABLES = ['kpi_cells_day', 'kpi_agent_time_day', 'kpi_agent_pause_day', 'kpi_day_meta'] as const;

export async function up(db: Knex): Promise<void> {
  // kpi_cells without the DID: sums per day, agent and queue; max_wait_ms is the day's max.
  await db.schema.createTable('kpi_cells_day', (t) => {
    utf8(t);
    t.integer('day').unsigned().notNullable();
    t.integer('agent_id').unsigned().notNullable();
    t.string('queue', 64).notNullable();
    for (const c of COUNTERS) t.integer(c).unsigned().notNullable().defaultTo(0);
    for (const c of DURATIONS) t.bigInteger(c).unsigned().notNullable().defaultTo(0);
    t.integer('max_wait_ms').unsigned().notNullable().defaultTo(0);
    t.primary(['day', 'agent_id', 'queue']);
  });
  await db.schema.createTable('kpi_agent_time_day', (t) => {
    utf8(t);
    t.integer('day').unsigned().notNullable();
    t.integer('agent_id').unsigned().notNullable();
    for (const c of ['ready_ms', 'ringing_ms', 'on_call_ms', 'wrap_ms', 'paused_ms']) t.bigInteger(c).unsigned().notNullable().defaultTo(0);
    t.primary(['day', 'agent_id']);
  });
  await db.schema.createTable('kpi_agent_pause_day', (t) => {
    utf8(t);
    t.integer('day').unsigned().notNullable();
    t.integer('agent_id').unsigned().notNullable();
    t.string('reason', 32).notNullable();
    t.bigInteger('ms').unsigned().notNullable();
    t.primary(['day', 'agent_id', 'reason']);
  });
  // One row (id 1): the zone the day tables were cut in, and when they were last rebuilt whole.
  await db.schema.createTable('kpi_day_meta', (t) => {
    utf8(t);
    t.tinyint('id').unsigned().primary();
    t.string('time_zone', 64).notNullable();
    t.datetime('rebuilt_at', { precision: 3 }).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) await db.schema.dropTableIfExists(table);
}
