import type { Knex } from '../core/db.js';

export type PromptKind = 'upload' | 'tts';
export type PromptLanguage = 'en' | 'zh';

/** A sound the IVR can play: uploaded by an admin, or text spoken by espeak-ng and cached. */
export interface PromptRecord {
  id: number;
  name: string;
  kind: PromptKind;
  language: PromptLanguage;
  /** The spoken text (tts only). */
  text: string | null;
  /** tts: hash of language and text (the cache key); upload: hash of the uploaded bytes. */
  sha256: string;
  /** Media name below the Asterisk sounds directory, without extension, e.g. `cc/prompts/12`. */
  path: string;
  durationMs: number;
  createdAt: string;
}

interface PromptRow {
  id: number;
  name: string;
  kind: PromptKind;
  language: string;
  text: string | null;
  sha256: string;
  path: string;
  duration_ms: number;
  created_at: Date;
}

export type NewPrompt = Omit<PromptRecord, 'id' | 'createdAt'>;

const toPrompt = (r: PromptRow): PromptRecord => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  language: r.language === 'zh' ? 'zh' : 'en',
  text: r.text,
  sha256: r.sha256,
  path: r.path,
  durationMs: r.duration_ms,
  createdAt: r.created_at.toISOString(),
});

export class PromptRepository {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async list(): Promise<PromptRecord[]> {
    const rows: PromptRow[] = await this.db('prompts').orderBy('id').select('*');
    return rows.map(toPrompt);
  }

  async get(id: number): Promise<PromptRecord | undefined> {
    const row: PromptRow | undefined = await this.db('prompts').where({ id }).first();
    return row ? toPrompt(row) : undefined;
  }

  async byHash(kind: PromptKind, sha256: string, trx: Knex = this.db): Promise<PromptRecord | undefined> {
    const row: PromptRow | undefined = await trx('prompts').where({ kind, sha256 }).first();
    return row ? toPrompt(row) : undefined;
  }

  async uploadIds(): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db('prompts').where({ kind: 'upload' }).select('id');
    return rows.map((r) => r.id);
  }

  /**
   * Inserts unless a prompt of the same kind and hash exists (two requests racing for
   * the same text both end up here); returns the id and whether this call created it.
   */
  async insertOnce(p: NewPrompt, trx: Knex = this.db): Promise<{ id: number; created: boolean }> {
    const [id] = await trx('prompts')
      .insert({ name: p.name, kind: p.kind, language: p.language, text: p.text, sha256: p.sha256, path: p.path, duration_ms: p.durationMs })
      .onConflict(['kind', 'sha256'])
      .ignore();
    if (id) return { id: Number(id), created: true };
    const existing = await this.byHash(p.kind, p.sha256, trx);
    if (!existing) throw new Error(`prompt ${p.kind}/${p.sha256} neither inserted nor found`);
    return { id: existing.id, created: false };
  }

  async setPath(id: number, path: string, trx: Knex = this.db): Promise<void> {
    await trx('prompts').where({ id }).update({ path });
  }

  async delete(id: number): Promise<void> {
    await this.db('prompts').where({ id }).delete();
  }
}
