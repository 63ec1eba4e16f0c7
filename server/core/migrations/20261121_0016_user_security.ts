import type { Knex } from 'knex';
import { utf8 } from './helpers.js';

// Sign-in hardening (issue 6): an optional TOTP second factor per user and its one-time
// recovery codes. The secret waits in totp_pending_secret until the user proves with a
// code that the authenticator has it; only then does it become totp_secret (enforced).
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.string('totp_secret', 64).nullable();
    t.string('totp_pending_secret', 64).nullable();
    t.datetime('totp_enabled_at', { precision: 3 }).nullable();
    t.datetime('password_changed_at', { precision: 3 }).nullable();
  });
  await db.schema.createTable('user_recovery_codes', (t) => {
    utf8(t);
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // sha256 of the code: the codes are long random strings, so a slow hash adds nothing.
    t.string('code_hash', 64).notNullable();
    t.datetime('used_at', { precision: 3 }).nullable();
    t.unique(['user_id', 'code_hash']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('user_recovery_codes');
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('totp_secret');
    t.dropColumn('totp_pending_secret');
    t.dropColumn('totp_enabled_at');
    t.dropColumn('password_changed_at');
  });
}
