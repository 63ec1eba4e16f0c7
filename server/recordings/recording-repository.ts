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
}
