import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Outbound dial rules (toll-fraud protection): prefixes an admin allows or denies.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('dial_rules', (t) => {
    utf8(t);
    t.increments('id');
    t.string('prefix', 16).notNullable().unique();
    t.enum('action', ['allow', 'deny']).notNullable();
    t.string('label', 128).notNullable();
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('dial_rules');
}
