import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// The SIP attack blocker's bans: kept after they are lifted, as the history an admin reads.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sip_bans', (t) => {
    utf8(t);
    t.increments('id');
    t.string('address', 45).notNullable();
    t.string('reason', 255).notNullable();
    t.integer('failures').unsigned().notNullable().defaultTo(0);
    t.datetime('banned_at', { precision: 3 }).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('lifted_at', { precision: 3 }).nullable();
    t.string('lifted_by', 64).nullable();
    t.index(['address', 'lifted_at']);
    t.index(['lifted_at', 'expires_at']);
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('sip_bans');
}
