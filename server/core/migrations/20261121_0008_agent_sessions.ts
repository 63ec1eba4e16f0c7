import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Agent sessions: pause reasons an admin configures, the PIN an agent logs in with on any
// desk phone, and the append-only log of every agent state change (the agent's own day,
// and later the reports, are computed from it).

/** Reasons every install starts with; `no-answer` is the ACD's own and cannot be removed. */
const SEED_REASONS = [
  { name: 'break', code: '1', label: 'Break', paid: true, system: false },
  { name: 'lunch', code: '2', label: 'Lunch', paid: false, system: false },
  { name: 'training', code: '3', label: 'Training', paid: true, system: false },
  { name: 'no-answer', code: '9', label: 'No answer (set by the system)', paid: true, system: true },
];

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('pause_reasons', (t) => {
    utf8(t);
    t.increments('id');
    // The stable key kept in live state and the log; `code` is what a phone keys in.
    t.string('name', 32).notNullable().unique();
    t.string('code', 4).notNullable().unique();
    t.string('label', 128).notNullable();
    t.boolean('paid').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    t.boolean('system').notNullable().defaultTo(false);
    timestamps(t, db);
  });
  await db('pause_reasons').insert(SEED_REASONS);
  await db.schema.alterTable('agents', (t) => {
    t.string('pin_hash', 255).nullable();
  });
  await db.schema.createTable('agent_state_log', (t) => {
    utf8(t);
    t.bigIncrements('id');
    t.integer('agent_id').unsigned().notNullable();
    // Per-agent counter from Redis: orders changes made in the same millisecond and makes
    // the outbox's replay idempotent (UNIQUE below). `at` is part of the key because a
    // counter restarted by a lost Redis must not make new rows collide with old ones.
    t.integer('seq').unsigned().notNullable();
    t.string('from_state', 16).notNullable();
    t.string('to_state', 16).notNullable();
    t.string('reason', 32).nullable();
    t.string('interaction_id', 36).nullable();
    t.string('phone', 16).nullable();
    t.string('actor', 64).nullable();
    t.datetime('at', { precision: 3 }).notNullable();
    t.unique(['agent_id', 'at', 'seq']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('agent_state_log');
  await db.schema.alterTable('agents', (t) => t.dropColumn('pin_hash'));
  await db.schema.dropTableIfExists('pause_reasons');
}
