import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Printable reports mailed on a schedule (issue 5): which period, when (local time of the
// contact center), to whom and in which language. `last_period` is the key of the last
// period sent (2026-11-20, 2026-W47, 2026-11): a run sends a period once, whichever
// instance runs it and however late it runs after an outage.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('report_schedules', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 128).notNullable();
    t.enum('period', ['daily', 'weekly', 'monthly']).notNullable();
    t.string('send_time', 5).notNullable();
    t.json('recipients').notNullable();
    t.string('language', 8).notNullable().defaultTo('en');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.string('last_period', 16).nullable();
    t.datetime('last_sent_at', { precision: 3 }).nullable();
    t.string('last_error', 255).nullable();
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('report_schedules');
}
