import type { Knex } from 'knex';

/** created_at/updated_at with millisecond precision, maintained by MariaDB. */
export function timestamps(t: Knex.CreateTableBuilder, db: Knex): void {
  t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
  t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)'));
}

export function utf8(t: Knex.CreateTableBuilder): void {
  t.charset('utf8mb4');
  t.collate('utf8mb4_unicode_ci');
  t.engine('InnoDB');
}
