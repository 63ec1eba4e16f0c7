import type { Knex } from 'knex';

// Two more roles (issue 6): the quality auditor and the report viewer. MariaDB changes an
// ENUM in place; widening it keeps every existing row.
export async function up(db: Knex): Promise<void> {
  await db.raw("ALTER TABLE users MODIFY role ENUM('admin','supervisor','agent','quality','reports') NOT NULL");
}

export async function down(db: Knex): Promise<void> {
  await db('users').whereIn('role', ['quality', 'reports']).update({ active: false, role: 'agent' });
  await db.raw("ALTER TABLE users MODIFY role ENUM('admin','supervisor','agent') NOT NULL");
}
