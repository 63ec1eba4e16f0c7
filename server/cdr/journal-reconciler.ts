import { open, stat } from 'node:fs/promises';
import type { Logger } from '../core/logger.js';
import type { CdrRepository } from './cdr-repository.js';
import { fromJournalLine, type CdrRecord } from './cdr-record.js';

const BATCH = 500;
const CHUNK = 1 << 20;

/**
 * Backfills CDRs from Asterisk's local journal. It remembers how far it read (per file
 * and inode, so a rotated journal is read from its start) and only ever moves forward
 * over complete lines, so a half-written last line is read again next time.
 */
export class JournalReconciler {
  private running = false;

  constructor(private readonly d: { repo: CdrRepository; path: string; log: Logger }) {}

  async run(): Promise<{ read: number; inserted: number }> {
    if (this.running) return { read: 0, inserted: 0 };
    this.running = true;
    try {
      return await this.readFrom();
    } finally {
      this.running = false;
    }
  }

  private async readFrom(): Promise<{ read: number; inserted: number }> {
    const info = await stat(this.d.path).catch(() => undefined);
    if (!info) return { read: 0, inserted: 0 };
    const saved = await this.d.repo.journalOffset(this.d.path);
    let offset = saved && saved.inode === info.ino && saved.offset <= info.size ? saved.offset : 0;
    let read = 0;
    let inserted = 0;
    const fh = await open(this.d.path, 'r');
    try {
      while (offset < info.size) {
        const buf = Buffer.alloc(Math.min(CHUNK, info.size - offset));
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        const text = buf.subarray(0, bytesRead).toString('utf8');
        const lastNewline = text.lastIndexOf('\n');
        if (lastNewline === -1) break;
        const records = text.slice(0, lastNewline).split('\n').map(fromJournalLine).filter((r): r is CdrRecord => !!r);
        for (let i = 0; i < records.length; i += BATCH) inserted += await this.d.repo.insertMany(records.slice(i, i + BATCH), 'journal');
        read += records.length;
        offset += Buffer.byteLength(text.slice(0, lastNewline + 1));
        await this.d.repo.saveJournalOffset(this.d.path, info.ino, offset);
      }
    } finally {
      await fh.close();
    }
    if (inserted) this.d.log.info({ read, inserted }, 'CDRs backfilled from journal');
    return { read, inserted };
  }
}
