// A fingerprint of every table that holds settings or records, to tell whether a refused
// request changed anything. Logs (audit, access, state logs), sessions and the KPI
// bookkeeping are left out: they grow by design when a request is refused or read.
import type { Knex } from 'knex';

const SKIPPED = /audit|_log$|log_|access|session|kpi_|outbox|knex_migrations/;

export async function snapshotTables(db: Knex, database: string): Promise<string[]> {
  const rows: Array<{ TABLE_NAME: string }> = await db('information_schema.TABLES')
    .where({ TABLE_SCHEMA: database, TABLE_TYPE: 'BASE TABLE' })
    .select('TABLE_NAME');
  return rows.map((r) => r.TABLE_NAME).filter((name) => !SKIPPED.test(name)).sort();
}

/** One line per table, `name=checksum`; two snapshots are equal when nothing was written. */
export async function checksum(db: Knex, tables: string[]): Promise<Map<string, string>> {
  const [rows] = await db.raw(`CHECKSUM TABLE ${tables.map((t) => `\`${t}\``).join(', ')}`) as [Array<{ Table: string; Checksum: number | string | null }>];
  return new Map(rows.map((r) => [r.Table.split('.').pop() as string, String(r.Checksum)]));
}

/** The tables whose checksum differs between two snapshots. */
export function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((t) => before.get(t) !== after.get(t));
}
