import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// Desk phones managed from the admin pages and API (issue 6). The SIP password and the
// provisioning secret are stored as they are: Asterisk needs the password in clear in its
// config, and the phone needs it in clear in the file it fetches. Only admins can read them.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('phones', (t) => {
    utf8(t);
    t.increments('id');
    t.string('extension', 8).notNullable().unique();
    t.string('display_name', 64).notNullable();
    t.string('sip_password', 64).notNullable();
    // Twelve lower-case hex digits, no separators: the form every vendor's file name uses.
    t.string('mac', 12).notNullable().unique();
    t.string('vendor', 16).notNullable();
    t.string('model', 32).notNullable().defaultTo('');
    t.string('language', 8).notNullable().defaultTo('en');
    // The URL credential: unique so a lookup by it finds one phone at most.
    t.string('provisioning_secret', 64).notNullable().unique();
    // Agent numbers shown on BLF keys, in key order (JSON array of strings).
    t.json('blf_keys').notNullable();
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('phones');
}
