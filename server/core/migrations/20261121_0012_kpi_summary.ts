import type { Knex } from 'knex';
import { utf8 } from './helpers.js';

// The KPI engine's summary (server/reports/CONTEXT.md): counters per 15-minute bucket,
// folded from call_events and agent_state_log so a month's report reads thousands of rows,
// not millions. Buckets are epoch seconds of a 15-minute UTC boundary: every real time zone's
// offset is a multiple of 15 minutes, so they are local 15-minute intervals too.
//
// Correction path: triggers mark what a new row may change (the buckets an interaction
// entered a queue in; the agent and time of a state change), whoever writes it and however
// late (an outbox flush after an outage). The reports room re-folds marked buckets from the
// raw rows, in a job and before every query. A bulk loader sets @cc_kpi_bulk = 1 to skip the
// marks and rebuilds the summary itself (scripts/bench/gen-interactions.ts).

const COUNTERS = [
  'offered', 'answered', 'abandoned', 'short_abandoned', 'timed_out', 'callbacks', 'exited_with_key', 'answered_within_sl',
  'handled', 'transferred', 'repeat_calls', 'csat_responses', 'csat_sum', 'csat_top',
] as const;
const DURATIONS = ['answered_wait_ms', 'talk_ms', 'hold_ms', 'wrap_ms'] as const;

async function createSummary(db: Knex): Promise<void> {
  await db.schema.createTable('kpi_cells', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().notNullable();
    t.string('queue', 64).notNullable();
    // '' and 0: no DID (an internal call) and no agent (an entry nobody answered).
    t.string('did', 32).notNullable().defaultTo('');
    t.integer('agent_id').unsigned().notNullable().defaultTo(0);
    // The thresholds the cell was counted with: a queue whose thresholds changed is re-folded.
    t.smallint('sl_sec').unsigned().notNullable();
    t.smallint('short_sec').unsigned().notNullable();
    for (const c of COUNTERS) t.integer(c).unsigned().notNullable().defaultTo(0);
    for (const c of DURATIONS) t.bigInteger(c).unsigned().notNullable().defaultTo(0);
    t.integer('max_wait_ms').unsigned().notNullable().defaultTo(0);
    t.primary(['bucket', 'queue', 'did', 'agent_id']);
  });
  // One row per bucket and agent with a column per state (a month of a few hundred agents
  // stays a few hundred thousand rows); pauses per reason apart, they are few.
  await db.schema.createTable('kpi_agent_time', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().notNullable();
    t.integer('agent_id').unsigned().notNullable();
    for (const c of ['ready_ms', 'ringing_ms', 'on_call_ms', 'wrap_ms', 'paused_ms']) t.integer(c).unsigned().notNullable().defaultTo(0);
    t.primary(['bucket', 'agent_id']);
  });
  await db.schema.createTable('kpi_agent_pause', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().notNullable();
    t.integer('agent_id').unsigned().notNullable();
    t.string('reason', 32).notNullable();
    t.integer('ms').unsigned().notNullable();
    t.primary(['bucket', 'agent_id', 'reason']);
  });
  await createRollups(db);
  await db.schema.createTable('kpi_dirty_buckets', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().primary();
    // Raised at every mark: a re-fold removes the mark only if nothing marked it meanwhile.
    t.integer('gen').unsigned().notNullable().defaultTo(1);
  });
  await db.schema.createTable('kpi_dirty_agents', (t) => {
    utf8(t);
    t.integer('agent_id').unsigned().notNullable();
    t.datetime('at', { precision: 3 }).notNullable();
    t.primary(['agent_id', 'at']);
  });
}

// Rollups without the agent: the total, per queue and per DID reports read a few rows per
// bucket instead of one per agent. Rebuilt from the tables above for every re-folded range.
async function createRollups(db: Knex): Promise<void> {
  await db.schema.createTable('kpi_cells_q', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().notNullable();
    t.string('queue', 64).notNullable();
    t.string('did', 32).notNullable().defaultTo('');
    for (const c of COUNTERS) t.integer(c).unsigned().notNullable().defaultTo(0);
    for (const c of DURATIONS) t.bigInteger(c).unsigned().notNullable().defaultTo(0);
    t.integer('max_wait_ms').unsigned().notNullable().defaultTo(0);
    t.primary(['bucket', 'queue', 'did']);
  });
  await db.schema.createTable('kpi_agent_time_all', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().primary();
    for (const c of ['ready_ms', 'ringing_ms', 'on_call_ms', 'wrap_ms', 'paused_ms']) t.bigInteger(c).unsigned().notNullable().defaultTo(0);
  });
  await db.schema.createTable('kpi_agent_pause_all', (t) => {
    utf8(t);
    t.integer('bucket').unsigned().notNullable();
    t.string('reason', 32).notNullable();
    t.bigInteger('ms').unsigned().notNullable();
    t.primary(['bucket', 'reason']);
  });
}

// DATETIMEs hold UTC (server/core/db.ts); TIMESTAMPDIFF from the epoch does not depend on
// the session's time zone the way UNIX_TIMESTAMP does.
const BUCKET = (col: string) => `FLOOR(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${col}) / 900) * 900`;

// An AFTER INSERT trigger sees its own row, so an enter-queue event marks its own bucket.
async function createTriggers(db: Knex): Promise<void> {
  await db.raw(`CREATE TRIGGER call_events_kpi_mark AFTER INSERT ON call_events FOR EACH ROW
    BEGIN
      IF @cc_kpi_bulk IS NULL THEN
        INSERT INTO kpi_dirty_buckets (bucket)
          SELECT DISTINCT ${BUCKET('e.at')} FROM call_events e WHERE e.interaction_id = NEW.interaction_id AND e.type = 'enter-queue'
          ON DUPLICATE KEY UPDATE gen = kpi_dirty_buckets.gen + 1;
      END IF;
    END`);
  await db.raw(`CREATE TRIGGER agent_state_log_kpi_mark AFTER INSERT ON agent_state_log FOR EACH ROW
    BEGIN
      IF @cc_kpi_bulk IS NULL THEN
        INSERT IGNORE INTO kpi_dirty_agents (agent_id, at) VALUES (NEW.agent_id, NEW.at);
      END IF;
    END`);
}

export async function up(db: Knex): Promise<void> {
  await createSummary(db);
  // Repeat calls (FCR) look up earlier answered calls of the same caller: digits only, an
  // international 00 dropped, fewer than 4 digits (anonymous, withheld) never grouped.
  // The same rule as callerKeyOf in server/reports/kpi/handling.ts.
  await db.raw(`ALTER TABLE interactions ADD COLUMN caller_key VARCHAR(64) AS (
      IF(CHAR_LENGTH(REGEXP_REPLACE(REGEXP_REPLACE(caller_number, '[^0-9]', ''), '^00', '')) >= 4,
         REGEXP_REPLACE(REGEXP_REPLACE(caller_number, '[^0-9]', ''), '^00', ''), NULL)) STORED,
    ADD INDEX interactions_caller_key_answered (caller_key, answered_at)`);
  // After-call work of an interaction: its wrap_up state rows.
  await db.schema.alterTable('agent_state_log', (t) => t.index(['interaction_id'], 'agent_state_log_interaction'));
  await createTriggers(db);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP TRIGGER IF EXISTS agent_state_log_kpi_mark');
  await db.raw('DROP TRIGGER IF EXISTS call_events_kpi_mark');
  await db.schema.alterTable('agent_state_log', (t) => t.dropIndex(['interaction_id'], 'agent_state_log_interaction'));
  await db.raw('ALTER TABLE interactions DROP INDEX interactions_caller_key_answered, DROP COLUMN caller_key');
  for (const table of ['kpi_dirty_agents', 'kpi_dirty_buckets', 'kpi_agent_pause_all', 'kpi_agent_time_all', 'kpi_cells_q', 'kpi_agent_pause', 'kpi_agent_time', 'kpi_cells']) await db.schema.dropTableIfExists(table);
}
