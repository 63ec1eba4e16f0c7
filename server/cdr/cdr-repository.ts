import type { Knex } from '../core/db.js';
import type { CdrRecord } from './cdr-record.js';

export class CdrRepository {
  constructor(private readonly db: Knex) {}

  /**
   * INSERT IGNORE on UNIQUE(uniqueid, sequence): the AMI event and the journal both
   * deliver every leg, and whichever lands first wins; the other is a no-op.
   * Returns how many rows were new.
   */
  async insertMany(records: CdrRecord[], source: 'ami' | 'journal'): Promise<number> {
    if (!records.length) return 0;
    const [result] = (await this.db('cdrs')
      .insert(records.map((r) => ({ ...r, source })))
      .onConflict(['uniqueid', 'sequence'])
      .ignore()) as unknown as [number | { affectedRows?: number }];
    return typeof result === 'object' && result ? result.affectedRows ?? 0 : records.length;
  }

  async byLinkedId(linkedid: string): Promise<Array<CdrRecord & { source: string }>> {
    return this.db('cdrs').where({ linkedid }).orderBy('sequence');
  }

  async journalOffset(path: string): Promise<{ inode: number; offset: number } | undefined> {
    const row = await this.db('cdr_journal_state').where({ path }).first();
    return row ? { inode: Number(row.inode), offset: Number(row.offset) } : undefined;
  }

  async saveJournalOffset(path: string, inode: number, offset: number): Promise<void> {
    await this.db('cdr_journal_state').insert({ path, inode, offset }).onConflict('path').merge(['inode', 'offset']);
  }
}
