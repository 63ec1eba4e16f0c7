import type { Knex } from '../core/db.js';
import type { FieldCipher } from '../core/field-crypto.js';

export interface InteractionPatch {
  queue?: string | null;
  agentId?: number | null;
  queuedAt?: Date | null;
  answeredAt?: Date | null;
  endedAt?: Date | null;
  outcome?: string | null;
  waitMs?: number | null;
  talkMs?: number | null;
  /** The steps the caller took through IVR flows (server/ivr PathEntry[]). */
  ivrPath?: unknown[] | null;
  /** Call attributes set by the IVR or the CRM (language, level, topic, collected digits). */
  attrs?: Record<string, string> | null;
  /** The agent's wrap-up (server/desk): disposition code, note, follow-up flag, when and by whom. */
  disposition?: string | null;
  wrapNote?: string | null;
  followUp?: boolean;
  wrappedAt?: Date | null;
  wrappedBy?: number | null;
  /** The CRM customer the call is about (server/crm), once known. */
  customerId?: number | null;
  /** Time the caller spent on hold, summed over every hold of the call. */
  holdMs?: number | null;
  /** Agents who handled the call in order (a transfer adds one). */
  handledBy?: number[] | null;
  /** The caller's post-call survey score, 1 to 5 (server/acd/survey). */
  csatScore?: number | null;
}

export interface NewInteraction {
  id: string;
  direction: 'inbound' | 'outbound' | 'internal';
  callerNumber: string;
  callerName: string | null;
  did: string | null;
  linkedid: string | null;
  asteriskSystem: string | null;
  enteredAt: Date;
}

export interface CallEvent {
  interactionId: string;
  seq: number;
  type: string;
  at: Date;
  queue?: string | null;
  agentId?: number | null;
  data?: Record<string, unknown> | null;
}

/** One call_events row as read back (data: JSON, parsed or as text; see core/db.ts jsonColumn). */
export interface CallEventRow {
  seq: number;
  type: string;
  at: Date;
  queue: string | null;
  agent_id: number | null;
  data: unknown;
}

export interface InteractionRow {
  id: string;
  direction: string;
  caller_number: string;
  caller_name: string | null;
  did: string | null;
  queue: string | null;
  agent_id: number | null;
  linkedid: string | null;
  entered_at: Date;
  queued_at: Date | null;
  answered_at: Date | null;
  ended_at: Date | null;
  outcome: string | null;
  wait_ms: number | null;
  talk_ms: number | null;
  ivr_path: unknown;
  attrs: unknown;
  disposition: string | null;
  wrap_note: string | null;
  follow_up: number | boolean;
  hold_ms?: number | null;
  handled_by?: unknown;
  csat_score?: number | null;
}

const COLUMNS: Record<keyof InteractionPatch, string> = {
  queue: 'queue', agentId: 'agent_id', queuedAt: 'queued_at', answeredAt: 'answered_at',
  endedAt: 'ended_at', outcome: 'outcome', waitMs: 'wait_ms', talkMs: 'talk_ms', ivrPath: 'ivr_path', attrs: 'attrs',
  disposition: 'disposition', wrapNote: 'wrap_note', followUp: 'follow_up', wrappedAt: 'wrapped_at', wrappedBy: 'wrapped_by', customerId: 'customer_id',
  holdMs: 'hold_ms', handledBy: 'handled_by', csatScore: 'csat_score',
};

/** Every write is idempotent, so the outbox can replay it after a database outage. */
export class InteractionRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  async insert(i: NewInteraction): Promise<void> {
    await this.db('interactions')
      .insert({
        id: i.id, direction: i.direction, caller_number: i.callerNumber, caller_name: i.callerName, did: i.did,
        linkedid: i.linkedid, asterisk_system: i.asteriskSystem, entered_at: i.enteredAt,
      })
      .onConflict('id')
      .ignore();
  }

  async update(id: string, patch: InteractionPatch): Promise<void> {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      // The agent's wrap-up note is sealed at rest (server/core/field-crypto.ts).
      if (k === 'wrapNote') {
        row.wrap_note = this.cipher.sealOrNull(v as string | null, 'interactions.wrap_note');
        continue;
      }
      // JSON columns get text: mysql2 would expand an object into `key = value` pairs.
      row[COLUMNS[k as keyof InteractionPatch]] = v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
    }
    if (Object.keys(row).length) await this.db('interactions').where({ id }).update(row);
  }

  async addEvent(e: CallEvent): Promise<void> {
    await this.db('call_events')
      .insert({ interaction_id: e.interactionId, seq: e.seq, type: e.type, at: e.at, queue: e.queue ?? null, agent_id: e.agentId ?? null, data: e.data ? JSON.stringify(e.data) : null })
      .onConflict(['interaction_id', 'seq'])
      .ignore();
  }

  async get(id: string): Promise<InteractionRow | undefined> {
    const row = await this.db<InteractionRow>('interactions').where({ id }).first();
    return row && { ...row, wrap_note: this.cipher.openOrNull(row.wrap_note, 'interactions.wrap_note') };
  }

  async events(id: string): Promise<CallEventRow[]> {
    return this.db('call_events').where({ interaction_id: id }).orderBy('seq').select('seq', 'type', 'at', 'queue', 'agent_id', 'data');
  }
}
