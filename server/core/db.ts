import knexFactory, { type Knex } from 'knex';
import type { Config } from './config.js';
import { migrationSource } from './migrations/index.js';

export type { Knex } from 'knex';

export function createDb(config: Config): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: config.db.host,
      port: config.db.port,
      user: config.db.user,
      password: config.db.password,
      database: config.db.database,
      // Store and read DATETIMEs as UTC so times never shift with the host's zone.
      timezone: 'Z',
      dateStrings: false,
      supportBigNumbers: true,
      connectTimeout: 3000,
    },
    pool: {
      min: 0,
      max: config.db.poolMax,
      afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
    acquireConnectionTimeout: 5000,
  });
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, names] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return names;
}

export async function pingDb(db: Knex): Promise<void> {
  await db.raw('SELECT 1');
}

/**
 * A JSON column as mysql2 hands it back: parsed when MariaDB flags the column as JSON, else
 * as text (MariaDB's JSON is a LONGTEXT alias). Text that is not JSON throws.
 */
export function jsonColumn<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}

/** A call event's `data` column: null when absent or when the text is not JSON (never throws on a read path). */
export function eventData(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  try {
    return jsonColumn(v as Record<string, unknown> | string);
  } catch {
    return null;
  }
}
