import type { Knex } from '../core/db.js';

export interface QueueRecord {
  id: number;
  name: string;
  ringTimeoutS: number;
  wrapUpS: number;
}

export class AcdRepository {
  constructor(private readonly db: Knex) {}

  async queueForDid(did: string): Promise<QueueRecord | undefined> {
    const row = await this.db('dids').join('queues', 'queues.id', 'dids.queue_id').where('dids.number', did).first('queues.*');
    return row ? { id: row.id, name: row.name, ringTimeoutS: row.ring_timeout_s, wrapUpS: row.wrap_up_s } : undefined;
  }

  async queues(): Promise<QueueRecord[]> {
    const rows = await this.db('queues').select('*');
    return rows.map((row) => ({ id: row.id, name: row.name, ringTimeoutS: row.ring_timeout_s, wrapUpS: row.wrap_up_s }));
  }
}
