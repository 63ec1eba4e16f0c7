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
}

const toStored = (r: RecordingRow): StoredRecording => ({
  id: Number(r.id), interactionId: r.interaction_id, agentId: r.agent_id, path: r.path, sizeBytes: Number(r.size_bytes),
  durationMs: r.duration_ms, startedAt: r.started_at, deletedAt: r.deleted_at ?? null,
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
