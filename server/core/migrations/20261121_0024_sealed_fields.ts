import type { Knex } from 'knex';

// Sensitive fields are stored sealed (server/core/field-crypto.ts): the envelope is base64
// of up to 4 bytes per character plus about 60 characters of header, so a 254-character
// email no longer fits varchar(254). Email and company become text; TOTP secrets
// (32 base32 characters) need more than 64.
const WIDENED = [
  { table: 'customers', column: 'email', old: 254 },
  { table: 'customers', column: 'company', old: 128 },
  { table: 'users', column: 'totp_secret', old: 64 },
  { table: 'users', column: 'totp_pending_secret', old: 64 },
] as const;

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('customers', (t) => {
    t.text('email').nullable().alter();
    t.text('company').nullable().alter();
  });
  await db.schema.alterTable('users', (t) => {
    t.string('totp_secret', 255).nullable().alter();
    t.string('totp_pending_secret', 255).nullable().alter();
  });
}

/** Going back would cut sealed values short: refused while any stored value is longer than the old width. */
export async function down(db: Knex): Promise<void> {
  for (const w of WIDENED) {
    const long = await db(w.table).whereRaw('CHAR_LENGTH(??) > ?', [w.column, w.old]).count({ n: '*' }).first();
    if (Number(long?.n ?? 0) > 0) throw new Error(`cannot narrow ${w.table}.${w.column}: ${long?.n} sealed values would not fit; decrypt them first`);
  }
  await db.schema.alterTable('customers', (t) => {
    t.string('email', 254).nullable().alter();
    t.string('company', 128).nullable().alter();
  });
  await db.schema.alterTable('users', (t) => {
    t.string('totp_secret', 64).nullable().alter();
    t.string('totp_pending_secret', 64).nullable().alter();
  });
}
