import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// SIP trunks managed from the admin pages and API (issue 6, server/trunks). The config's own
// trunk stays in pjsip.conf; these are written to their own include file. The carrier
// password is kept as a plain string for now: Asterisk needs it in clear in its config, and
// field encryption at rest is wired in separately (core/field-crypto.ts); 255 leaves room
// for its ciphertext.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('trunks', (t) => {
    utf8(t);
    t.increments('id');
    // The PJSIP id of the endpoint, aor, identify, auth and registration sections.
    t.string('name', 40).notNullable().unique();
    t.string('label', 64).notNullable().defaultTo('');
    t.enu('kind', ['ip', 'register']).notNullable();
    t.string('host', 253).notNullable();
    t.integer('port').unsigned().notNullable().defaultTo(5060);
    t.string('transport', 8).notNullable().defaultTo('udp');
    // Source addresses or CIDRs that identify the carrier's calls (JSON array of strings).
    t.json('match_list').notNullable();
    t.string('username', 64).nullable();
    t.string('password', 255).nullable();
    t.string('from_domain', 253).nullable();
    // Codecs in order of preference (JSON array: ulaw, alaw).
    t.json('codecs').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    // The trunk outgoing calls (callbacks, click to dial, transfers out) go through; at most
    // one, and none means the config's trunk.
    t.boolean('outbound').notNullable().defaultTo(false);
    timestamps(t, db);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('trunks');
}
