import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Callbacks: one row per interaction that asked to be called back (or one an admin
// scheduled), its status and result. Counted apart from answered and abandoned calls.

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('callbacks', (t) => {
    utf8(t);
    t.increments('id');
    t.string('interaction_id', 36).notNullable().unique();
    t.string('queue', 64).notNullable();
    t.string('number', 24).notNullable();
    t.string('did', 32).notNullable().defaultTo('');
    t.enum('source', ['caller', 'api']).notNullable();
    t.enum('status', ['scheduled', 'waiting', 'offering', 'dialing', 'connected', 'completed', 'failed', 'expired', 'cancelled']).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.datetime('requested_at', { precision: 3 }).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('next_attempt_at', { precision: 3 }).nullable();
    t.integer('agent_id').unsigned().nullable();
    t.datetime('connected_at', { precision: 3 }).nullable();
    t.datetime('ended_at', { precision: 3 }).nullable();
    t.integer('talk_ms').nullable();
    t.string('last_result', 32).nullable();
    timestamps(t, db);
    t.index(['status', 'queue']);
    t.index(['requested_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('callbacks');
}
