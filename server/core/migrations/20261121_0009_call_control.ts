import type { Knex } from 'knex';

// Call control (server/acd/call-control): the hold time of a call, and every agent who
// handled it (a transfer hands the same interaction to another agent).
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    t.integer('hold_ms').nullable();
    t.json('handled_by').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('interactions', (t) => {
    t.dropColumn('handled_by');
    t.dropColumn('hold_ms');
  });
}
