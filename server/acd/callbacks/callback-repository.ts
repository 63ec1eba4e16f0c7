import type { Knex } from '../../core/db.js';
import { FINAL_STATES, type CallbackState } from './callback-state.js';

/** The durable record of a callback; Redis holds the live part (live-callbacks.ts). */
export interface CallbackRecord {
  interactionId: string;
  queue: string;
  number: string;
  did: string;
  source: 'caller' | 'api';
  status: CallbackState;
  attempts: number;
  requestedAt: Date;
  expiresAt: Date;
  nextAttemptAt: Date | null;
  agentId: number | null;
  connectedAt: Date | null;
  endedAt: Date | null;
  talkMs: number | null;
  lastResult: string | null;
}

export type CallbackPatch = Partial<Omit<CallbackRecord, 'interactionId' | 'source' | 'requestedAt'>>;

interface Row {
  interaction_id: string;
  queue: string;
  number: string;
  did: string;
  source: 'caller' | 'api';
  status: CallbackState;
  attempts: number;
  requested_at: Date;
  expires_at: Date;
  next_attempt_at: Date | null;
  agent_id: number | null;
  connected_at: Date | null;
  ended_at: Date | null;
  talk_ms: number | null;
  last_result: string | null;
}

const COLUMNS: Record<keyof CallbackRecord, keyof Row> = {
  interactionId: 'interaction_id', queue: 'queue', number: 'number', did: 'did', source: 'source', status: 'status',
  attempts: 'attempts', requestedAt: 'requested_at', expiresAt: 'expires_at', nextAttemptAt: 'next_attempt_at',
  agentId: 'agent_id', connectedAt: 'connected_at', endedAt: 'ended_at', talkMs: 'talk_ms', lastResult: 'last_result',
};

function toRow(fields: Partial<CallbackRecord>): Partial<Row> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) row[COLUMNS[k as keyof CallbackRecord]] = v;
  return row as Partial<Row>;
}

function toRecord(row: Row): CallbackRecord {
  return {
    interactionId: row.interaction_id, queue: row.queue, number: row.number, did: row.did, source: row.source,
    status: row.status, attempts: row.attempts, requestedAt: row.requested_at, expiresAt: row.expires_at,
    nextAttemptAt: row.next_attempt_at, agentId: row.agent_id, connectedAt: row.connected_at, endedAt: row.ended_at,
    talkMs: row.talk_ms, lastResult: row.last_result,
  };
}

export interface CallbackFilter {
  status?: CallbackState;
  queue?: string;
  limit?: number;
}

export class CallbackRepository {
  constructor(private readonly db: Knex) {}

  /** Idempotent: a replayed insert (outbox) leaves the first row as it is. */
  async insert(cb: CallbackRecord): Promise<void> {
    await this.db('callbacks').insert(toRow(cb)).onConflict('interaction_id').ignore();
  }

  async update(interactionId: string, patch: CallbackPatch): Promise<void> {
    const row = toRow(patch);
    if (Object.keys(row).length) await this.db('callbacks').where({ interaction_id: interactionId }).update(row);
  }

  async get(interactionId: string): Promise<CallbackRecord | undefined> {
    const row = (await this.db('callbacks').where({ interaction_id: interactionId }).first()) as Row | undefined;
    return row && toRecord(row);
  }

  /** Newest first. */
  async list(f: CallbackFilter = {}): Promise<CallbackRecord[]> {
    const q = this.db('callbacks').orderBy('requested_at', 'desc').limit(Math.min(f.limit ?? 200, 1000));
    if (f.status) q.where('status', f.status);
    if (f.queue) q.where('queue', f.queue);
    return ((await q) as Row[]).map(toRecord);
  }

  /** Callbacks of this queue still to be made (not completed, failed, expired or cancelled). */
  async openIn(queue: string): Promise<number> {
    const row = (await this.db('callbacks').where({ queue }).whereNotIn('status', FINAL_STATES).count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }
}
