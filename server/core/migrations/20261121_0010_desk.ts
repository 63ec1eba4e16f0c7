import type { Knex } from 'knex';
import { timestamps, utf8 } from './helpers.js';

// The agent desk: disposition codes (per queue, or for every queue when queue_id is null)
// and what an agent's wrap-up writes onto the interaction. The CRM migration (0005) may
// already have added the wrap-up columns its history reads, so each is added only if absent.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('dispositions', (t) => {
    utf8(t);
    t.increments('id');
    t.integer('queue_id').unsigned().nullable().references('queues.id').onDelete('CASCADE');
    t.string('code', 32).notNullable();
    t.string('label', 128).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('sort').notNullable().defaultTo(0);
    // A code means one thing per queue; a global code and a queue's own may share a name.
    t.unique(['queue_id', 'code']);
    timestamps(t, db);
  });
  const add = async (column: string, build: (t: Knex.AlterTableBuilder) => void) => {
    if (!(await db.schema.hasColumn('interactions', column))) await db.schema.alterTable('interactions', build);
  };
  await add('disposition', (t) => t.string('disposition', 64).nullable());
  await add('wrap_note', (t) => t.text('wrap_note').nullable());
  await add('follow_up', (t) => t.boolean('follow_up').notNullable().defaultTo(false));
  await add('wrapped_at', (t) => t.datetime('wrapped_at', { precision: 3 }).nullable());
  await add('wrapped_by', (t) => t.integer('wrapped_by').unsigned().nullable());
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('dispositions');
  for (const column of ['wrapped_by', 'wrapped_at']) {
    if (await db.schema.hasColumn('interactions', column)) await db.schema.alterTable('interactions', (t) => t.dropColumn(column));
  }
}
