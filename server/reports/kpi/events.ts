import type { KpiEvent } from './fold.js';
import { eventData as parseData } from '../../core/db.js';

/** A call event as published on the live 'calls' topic (interactions' CallEventNotice). */
export interface NoticeLike {
  interactionId: string;
  seq: number;
  type: string;
  at: string;
  queue?: string;
  agentId?: number;
  data?: Record<string, unknown>;
}

export const fromNotice = (n: NoticeLike): KpiEvent => ({
  interactionId: n.interactionId, seq: n.seq, type: n.type, at: Date.parse(n.at), queue: n.queue ?? null, agentId: n.agentId ?? null, data: n.data ?? null,
});

/** A call_events row as mysql2 returns it (data may come parsed or as text). */
export interface CallEventRowLike {
  interaction_id: string;
  seq: number;
  type: string;
  at: Date;
  queue: string | null;
  agent_id?: number | null;
  data: unknown;
}


export const fromRow = (r: CallEventRowLike): KpiEvent => ({
  interactionId: r.interaction_id, seq: Number(r.seq), type: r.type, at: r.at.getTime(), queue: r.queue, agentId: r.agent_id ?? null, data: parseData(r.data),
});
