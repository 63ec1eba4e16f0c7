import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// The CRM (server/crm): customers, their phone numbers and their append-only notes; the
// customer an interaction belongs to; and the wrap-up columns the customer's history
// shows (disposition, note, follow-up), which the agent desk writes.

async function createCustomers(db: Knex): Promise<void> {
  await db.schema.createTable('customers', (t) => {
    utf8(t);
    t.increments('id');
    t.string('name', 128).notNullable().index();
    // Strings, not numbers: the level goes to routing as the call attribute `level`
    // (acd priority rules: vipLevels, levels), which names levels.
    t.enum('level', ['standard', 'silver', 'gold', 'vip']).notNullable().defaultTo('standard');
    t.json('tags').nullable();
    t.text('notes').nullable();
    t.string('email', 254).nullable();
    t.string('company', 128).nullable();
    t.integer('created_by').unsigned().nullable().references('users.id').onDelete('SET NULL');
    timestamps(t, db);
  });
  await db.schema.createTable('customer_numbers', (t) => {
    utf8(t);
    t.increments('id');
    t.integer('customer_id').unsigned().notNullable().references('customers.id').onDelete('CASCADE');
    t.string('number', 24).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
    t.unique(['customer_id', 'number']);
    // The caller-id lookup on the call path: one seek on number.
    t.index(['number', 'customer_id']);
  });
  await db.schema.createTable('customer_notes', (t) => {
    utf8(t);
    t.bigIncrements('id');
    t.integer('customer_id').unsigned().notNullable().references('customers.id').onDelete('CASCADE');
    t.integer('author_user_id').unsigned().nullable().references('users.id').onDelete('SET NULL');
    // The author's name as it was when they wrote: a note reads the same after a rename or a deleted user.
    t.string('author_name', 128).notNullable();
    t.text('body').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
    t.index(['customer_id', 'id']);
  });
}

async function extendInteractions(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    // No foreign key: interaction writes are replayed from the outbox after an outage, and a
    // refused replay would block the interaction's later writes.
    t.integer('customer_id').unsigned().nullable();
    t.index(['customer_id', 'entered_at']);
    // History by number: earlier calls from a number the customer had before being created.
    t.index(['caller_number', 'entered_at']);
  });
  // The desk's wrap-up columns. Added here only when absent, so the desk migration (0010)
  // and this one can each create them whichever lands first.
  const missing = async (column: string) => !(await db.schema.hasColumn('interactions', column));
  if (await missing('disposition')) await db.schema.alterTable('interactions', (t) => t.string('disposition', 64).nullable());
  if (await missing('wrap_note')) await db.schema.alterTable('interactions', (t) => t.text('wrap_note').nullable());
  if (await missing('follow_up')) await db.schema.alterTable('interactions', (t) => t.boolean('follow_up').notNullable().defaultTo(false));
}

export async function up(db: Knex): Promise<void> {
  await createCustomers(db);
  await extendInteractions(db);
}

// The wrap-up columns stay on the way down: the desk migration may be the one that owns them.
export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    t.dropIndex(['caller_number', 'entered_at']);
    t.dropIndex(['customer_id', 'entered_at']);
    t.dropColumn('customer_id');
  });
  for (const table of ['customer_notes', 'customer_numbers', 'customers']) await db.schema.dropTableIfExists(table);
}
