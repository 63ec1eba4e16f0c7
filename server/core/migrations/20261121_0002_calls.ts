import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('interactions', (t) => {
    utf8(t);
    t.string('id', 36).primary();
    t.enum('direction', ['inbound', 'outbound', 'internal']).notNullable();
    t.string('caller_number', 64).notNullable();
    t.string('caller_name', 128).nullable();
    t.string('did', 32).nullable();
    t.string('queue', 64).nullable();
    t.integer('agent_id').unsigned().nullable();
    t.string('linkedid', 64).nullable().index();
    t.string('asterisk_system', 64).nullable();
    t.datetime('entered_at', { precision: 3 }).notNullable().index();
    t.datetime('queued_at', { precision: 3 }).nullable();
    t.datetime('answered_at', { precision: 3 }).nullable();
    t.datetime('ended_at', { precision: 3 }).nullable();
    t.string('outcome', 32).nullable();
    t.integer('wait_ms').nullable();
    t.integer('talk_ms').nullable();
    timestamps(t, db);
  });
  await db.schema.createTable('call_events', (t) => {
    utf8(t);
    t.bigIncrements('id');
    t.string('interaction_id', 36).notNullable();
    t.integer('seq').notNullable();
    t.string('type', 32).notNullable();
    t.datetime('at', { precision: 3 }).notNullable();
    t.string('queue', 64).nullable();
    t.integer('agent_id').unsigned().nullable();
    t.json('data').nullable();
    t.unique(['interaction_id', 'seq']);
    t.index(['at']);
  });
  await db.schema.createTable('cdrs', (t) => {
    utf8(t);
    t.bigIncrements('id');
    t.string('uniqueid', 150).notNullable();
    t.integer('sequence').notNullable();
    t.string('linkedid', 150).notNullable().index();
    t.string('accountcode', 80).nullable();
    t.string('src', 80).nullable();
    t.string('dst', 80).nullable();
    t.string('dcontext', 80).nullable();
    t.string('clid', 160).nullable();
    t.string('channel', 160).nullable();
    t.string('dstchannel', 160).nullable();
    t.string('lastapp', 80).nullable();
    t.string('lastdata', 255).nullable();
    t.datetime('start', { precision: 0 }).nullable().index();
    t.datetime('answer', { precision: 0 }).nullable();
    t.datetime('end', { precision: 0 }).nullable();
    t.integer('duration').notNullable().defaultTo(0);
    t.integer('billsec').notNullable().defaultTo(0);
    t.string('disposition', 32).nullable();
    t.string('amaflags', 32).nullable();
    t.string('userfield', 255).nullable();
    t.enum('source', ['ami', 'journal']).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
    // One row per call leg, whoever writes it first (AMI event or journal backfill).
    t.unique(['uniqueid', 'sequence']);
  });
  await db.schema.createTable('cdr_journal_state', (t) => {
    utf8(t);
    t.string('path', 255).primary();
    t.bigInteger('inode').notNullable();
    t.bigInteger('offset').notNullable();
    timestamps(t, db);
  });
  await db.schema.createTable('recordings', (t) => {
    utf8(t);
    t.bigIncrements('id');
    t.string('interaction_id', 36).notNullable().index();
    t.integer('agent_id').unsigned().nullable();
    t.string('path', 512).notNullable().unique();
    t.bigInteger('size_bytes').notNullable();
    t.integer('duration_ms').notNullable();
    t.string('sha256', 64).notNullable();
    t.datetime('started_at', { precision: 3 }).notNullable();
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['recordings', 'cdr_journal_state', 'cdrs', 'call_events', 'interactions']) {
    await db.schema.dropTableIfExists(table);
  }
}
