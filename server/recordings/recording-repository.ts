import type { Knex } from '../core/db.js';

export interface RecordingRecord {
  interactionId: string;
  agentId: number | null;
  path: string;
  sizeBytes: number;
  durationMs: number;
  sha256: string;
  startedAt: Date;
}

/** A recording still on disk whose time is up. */
export interface ExpiredRecording {
  id: number;
  path: string;
  sizeBytes: number;
  startedAt: Date;
}

export type DeletedReason = 'retention' | 'missing';
/** A recording's row as playback needs it. */
export interface StoredRecording {
  id: number;
  interactionId: string;
  agentId: number | null;
  /** As Asterisk named it (inside its chroot). */
  path: string;
  sizeBytes: number;
  durationMs: number;
  startedAt: Date;
  /** Set when retention removed the file. */
  deletedAt: Date | null;
  /** Why: 'retention' deleted the file, or it was found 'missing' on disk. */
  deletedReason: string | null;
}

interface RecordingRow {
  id: number | string;
  interaction_id: string;
  agent_id: number | null;
  path: string;
  size_bytes: number | string;
  duration_ms: number;
  started_at: Date;
  deleted_at?: Date | null;
  deleted_reason?: string | null;
}

const toStored = (r: RecordingRow): StoredRecording => ({
  id: Number(r.id), interactionId: r.interaction_id, agentId: r.agent_id, path: r.path, sizeBytes: Number(r.size_bytes),
  durationMs: r.duration_ms, startedAt: r.started_at, deletedAt: r.deleted_at ?? null, deletedReason: r.deleted_reason ?? null,
});

export class RecordingRepository {
  constructor(private readonly db: Knex) {}

  async insert(r: RecordingRecord): Promise<void> {
    await this.db('recordings')
      .insert({ interaction_id: r.interactionId, agent_id: r.agentId, path: r.path, size_bytes: r.sizeBytes, duration_ms: r.durationMs, sha256: r.sha256, started_at: r.startedAt })
      .onConflict('path')
      .merge(['size_bytes', 'duration_ms', 'sha256']);
  }

  async forInteraction(interactionId: string) {
    return this.db('recordings').where({ interaction_id: interactionId });
  }

  /**
   * One batch of a queue's recordings started before `before` and not yet deleted, oldest
   * first, after the (startedAt, id) of the previous batch. Rows the caller marks drop out
   * by themselves; the key only steps over rows it could not delete (they wait for the
   * next run), so a run never loops on them and never holds more than `limit` rows.
   */
  async expired(o: { queue: string; before: Date; after?: { startedAt: Date; id: number }; limit: number }): Promise<ExpiredRecording[]> {
    const q = this.db('recordings')
      .join('interactions', 'interactions.id', 'recordings.interaction_id')
      .whereNull('recordings.deleted_at')
      .where('recordings.started_at', '<', o.before)
      .where('interactions.queue', o.queue)
      .orderBy([{ column: 'recordings.started_at' }, { column: 'recordings.id' }])
      .limit(o.limit)
      .select('recordings.id as id', 'recordings.path as path', 'recordings.size_bytes as size', 'recordings.started_at as startedAt');
    const after = o.after;
    if (after) {
      q.where((w) => w.where('recordings.started_at', '>', after.startedAt)
        .orWhere((same) => same.where('recordings.started_at', after.startedAt).where('recordings.id', '>', after.id)));
    }
    const rows: Array<{ id: number | string; path: string; size: number | string; startedAt: Date }> = await q;
    return rows.map((r) => ({ id: Number(r.id), path: r.path, sizeBytes: Number(r.size), startedAt: r.startedAt }));
  }

  /** Marks rows whose file is gone; a row already marked keeps its first mark. */
  async markDeleted(ids: number[], reason: DeletedReason, at: Date): Promise<void> {
    if (!ids.length) return;
    await this.db('recordings').whereIn('id', ids).whereNull('deleted_at').update({ deleted_at: at, deleted_reason: reason });
  }

  async get(id: number): Promise<StoredRecording | undefined> {
    const row = (await this.db('recordings').where({ id }).first()) as RecordingRow | undefined;
    return row && toStored(row);
  }

  /** The recordings of one interaction, oldest first (a callback may add a second). */
  async ofInteraction(interactionId: string): Promise<StoredRecording[]> {
    const rows = (await this.db('recordings').where({ interaction_id: interactionId }).orderBy(['started_at', 'id'])) as RecordingRow[];
    return rows.map(toStored);
  }
}
