// Bulk writing for the KPI benchmark's generator: LOAD DATA LOCAL INFILE from in-memory
// streams (no temp files), on one connection with the summary triggers off (@cc_kpi_bulk).
import { Readable } from 'node:stream';
import mysql, { type Connection } from 'mysql2/promise';
import type { Config } from '../../../server/core/config.js';

export type Cell = string | number | null | Record<string, unknown>;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A UTC instant as MariaDB DATETIME(3) text (the server stores UTC, server/core/db.ts). */
export function sqlTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const SPECIAL = /[\\\t\n]/;

function field(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  const text = typeof v === 'object' ? JSON.stringify(v) : v;
  return SPECIAL.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n') : text;
}

/** Rows are kept per table and loaded in large batches: one LOAD statement costs a commit. */
const FLUSH_ROWS = 400_000;

export class BulkLoader {
  private readonly pending = new Map<string, { columns: readonly string[]; rows: Array<readonly Cell[]> }>();

  private constructor(private readonly conn: Connection) {}

  /** Queues rows; a table is loaded once it holds FLUSH_ROWS of them (and at flush()). */
  async add(table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void> {
    let p = this.pending.get(table);
    if (!p) this.pending.set(table, (p = { columns, rows: [] }));
    for (const r of rows) p.rows.push(r);
    if (p.rows.length >= FLUSH_ROWS) await this.flushTable(table);
  }

  private async flushTable(table: string): Promise<void> {
    const p = this.pending.get(table);
    if (!p?.rows.length) return;
    const rows = p.rows;
    p.rows = [];
    await this.load(table, p.columns, rows);
  }

  /** Loads everything queued, parents first (the order tables were first added in). */
  async flush(): Promise<void> {
    for (const table of this.pending.keys()) await this.flushTable(table);
  }

  static async open(config: Config): Promise<BulkLoader> {
    const conn = await mysql.createConnection({
      host: config.db.host, port: config.db.port, user: config.db.user, password: config.db.password, database: config.db.database,
      timezone: 'Z', flags: ['+LOCAL_FILES'],
    });
    // Rows are loaded in key order and checked by construction; the summary is built by the generator.
    await conn.query("SET time_zone = '+00:00', @cc_kpi_bulk = 1, unique_checks = 0, foreign_key_checks = 0");
    return new BulkLoader(conn);
  }

  async load(table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<void> {
    const lines = (function* () {
      let chunk = '';
      for (const r of rows) {
        chunk += `${r.map(field).join('\t')}\n`;
        if (chunk.length > 1 << 20) {
          yield Buffer.from(chunk);
          chunk = '';
        }
      }
      if (chunk) yield Buffer.from(chunk);
    })();
    await this.conn.query({
      sql: `LOAD DATA LOCAL INFILE 'rows' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${columns.map((c) => `\`${c}\``).join(', ')})`,
      infileStreamFactory: () => Readable.from(lines),
    });
  }

  async close(): Promise<void> {
    await this.conn.end();
  }
}
