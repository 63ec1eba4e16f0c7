import type { Knex } from 'knex';
import { utf8 } from './helpers.js';

// The records (issue 5): indexes for the interaction search's filters, and the access log of
// recordings. Each filter index ends in entered_at, and InnoDB appends the primary key (id) to
// every secondary index, so "this agent, newest first, after this cursor" reads the index in
// order and stops at the page size instead of sorting the matches.
const FILTER_INDEXES = [['agent_id', 'entered_at'], ['queue', 'entered_at'], ['disposition', 'entered_at'], ['outcome', 'entered_at']];

async function createAccessLog(db: Knex): Promise<void> {
  await db.schema.createTable('recording_access', (t) => {
    utf8(t);
    t.bigIncrements('id');
    t.datetime('at', { precision: 3 }).notNullable();
    // No foreign keys: the log must outlive the user and the recording it names (retention
    // deletes recordings; an auditor still asks who heard one before it went).
    t.integer('user_id').unsigned().nullable();
    t.string('username', 64).notNullable();
    t.bigInteger('recording_id').unsigned().notNullable();
    t.string('interaction_id', 36).notNullable();
    t.enum('action', ['play', 'download']).notNullable();
    // ok: the file was sent; deleted: retention removed it; missing: not on disk (or outside the recordings dir).
    t.string('result', 16).notNullable();
    t.string('ip', 64).nullable();
    t.index(['at']);
    t.index(['recording_id', 'at']);
    t.index(['user_id', 'at']);
  });
}

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    for (const columns of FILTER_INDEXES) t.index(columns);
  });
  await createAccessLog(db);
  // Retention (the recording-policy work) marks a recording deleted with this column. Added
  // here only when absent, so whichever of the two migrations runs first creates it.
  if (!(await db.schema.hasColumn('recordings', 'deleted_at'))) {
    await db.schema.alterTable('recordings', (t) => t.datetime('deleted_at', { precision: 3 }).nullable());
  }
}

// deleted_at stays on the way down: the retention migration may be the one that owns it.
export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('recording_access');
  await db.schema.alterTable('interactions', (t) => {
    for (const columns of FILTER_INDEXES) t.dropIndex(columns);
  });
}
