import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Numbers and hours (issue 6): named business-hours schedules with holidays, which a
// flow's hours step may name instead of carrying its own copy, and a per-number
// recording-consent announcement (PIPL) with an optional key that declines recording.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('schedules', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 64).notNullable().unique();
    t.string('timezone', 64).notNullable();
    // [{days, from, to}] and [{date, label?}]: read and written whole, never queried inside.
    t.json('weekly').notNullable();
    t.json('holidays').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    timestamps(t, db);
  });
  await db.schema.alterTable('dids', (t) => {
    // No cascade: the prompt service refuses to delete a prompt a number still plays.
    t.integer('consent_prompt_id').unsigned().nullable().references('prompts.id');
    t.string('consent_opt_out_key', 1).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('dids', (t) => {
    t.dropForeign(['consent_prompt_id']);
    t.dropColumn('consent_prompt_id');
    t.dropColumn('consent_opt_out_key');
  });
  await db.schema.dropTableIfExists('schedules');
}
