import type { Knex } from './db.js';
import type { FieldCipher } from './field-crypto.js';
import { sealContext, type SealedTable } from './sealed-columns.js';

export interface ResealCount {
  table: string;
  column: string;
  /** Values that were plain text or sealed under an older key, now sealed under the current one. */
  sealed: number;
  /** Values the server changed between our read and our write: left as the server wrote them. */
  skipped: number;
}

/**
 * Seals what encryption has not reached yet: rows from before it, and rows sealed under a
 * key that is no longer current. Only values that need it are read (a LIKE on the envelope
 * prefix), a batch at a time in key order, so a rerun finds nothing to do and a big table
 * is never locked for long.
 */
export class ResealRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  async column(t: SealedTable, column: string, batchSize: number): Promise<ResealCount> {
    const count: ResealCount = { table: t.table, column, sealed: 0, skipped: 0 };
    // '_' may be part of a key id and is a LIKE wildcard.
    const current = `enc:v1:${this.cipher.currentKeyId.replace(/_/g, '\\_')}:%`;
    let after: string | number | undefined;
    for (;;) {
      const q = this.db(t.table).whereNotNull(column).andWhere(column, 'not like', current).orderBy(t.key).limit(batchSize).select(t.key, column);
      if (after !== undefined) q.andWhere(t.key, '>', after);
      const rows = (await q) as Array<Record<string, string | number>>;
      if (!rows.length) return count;
      await this.db.transaction(async (trx) => {
        for (const row of rows) {
          const stored = String(row[column]);
          const plain = this.cipher.open(stored, sealContext(t.table, column));
          // Compared with what we read: a value the server rewrote meanwhile is already sealed.
          const changed = await trx(t.table).where(t.key, row[t.key] as string | number).andWhere(column, stored)
            .update({ [column]: this.cipher.seal(plain, sealContext(t.table, column)), ...this.index(t, column, plain), ...this.kept(t) });
          if (changed) count.sealed++;
          else count.skipped++;
        }
      });
      after = rows[rows.length - 1]?.[t.key];
    }
  }

  /**
   * Gives blind indexes to sealed values that have none: rows stored before the index
   * column existed. Run at every boot (cheap when there is nothing to do).
   */
  async fillIndexes(t: SealedTable, batchSize: number): Promise<number> {
    let filled = 0;
    for (const [column, index] of Object.entries(t.indexed ?? {})) {
      for (;;) {
        const rows = (await this.db(t.table).whereNotNull(column).whereNull(index).orderBy(t.key).limit(batchSize).select(t.key, column)) as Array<Record<string, string | number>>;
        let wrote = 0;
        for (const row of rows) {
          const stored = String(row[column]);
          const plain = this.cipher.open(stored, sealContext(t.table, column));
          // An empty value has no index: the sentinel keeps it from being read again.
          const value = this.cipher.blindIndex(plain, sealContext(t.table, column)) ?? '';
          wrote += await this.db(t.table).where(t.key, row[t.key] as string | number).andWhere(column, stored).update({ [index]: value, ...this.kept(t) });
        }
        filled += wrote;
        if (rows.length < batchSize || !wrote) break;
      }
    }
    return filled;
  }

  private index(t: SealedTable, column: string, plain: string): Record<string, string> {
    const index = t.indexed?.[column];
    return index ? { [index]: this.cipher.blindIndex(plain, sealContext(t.table, column)) ?? '' } : {};
  }

  /** Assigning a column to itself keeps MariaDB's ON UPDATE timestamp from moving: sealing is no edit. */
  private kept(t: SealedTable): Record<string, Knex.Raw> {
    return Object.fromEntries((t.unchanged ?? []).map((c) => [c, this.db.raw('??', [c])]));
  }
}
