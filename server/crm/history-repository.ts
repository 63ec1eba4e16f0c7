import type { Knex } from '../core/db.js';
import type { FieldCipher } from '../core/field-crypto.js';
import type { HistoryItem } from './schemas.js';

// A read-only query module (STYLE.md habit 9, like a report): a customer's history reads
// the interactions, agents and recordings tables in two statements, because it runs while
// the desk phone rings and asking three rooms in turn would cost three round trips.

interface HistoryRow {
  id: string;
  entered_at: Date;
  direction: string;
  caller_number: string;
  queue: string | null;
  agent_id: number | null;
  agent_name: string | null;
  outcome: string | null;
  wait_ms: number | null;
  talk_ms: number | null;
  disposition: string | null;
  wrap_note: string | null;
  follow_up: number | boolean | null;
}

/** Where a page starts: strictly older than this interaction (time, then id for ties). */
export interface Cursor {
  at: Date;
  id: string;
}

export interface HistorySelection {
  customerId?: number;
  /** Caller ids exactly as interactions store them. */
  callerNumbers: string[];
  before?: Cursor;
  excludeInteractionId?: string;
  limit: number;
}

const COLUMNS = [
  'i.id', 'i.entered_at', 'i.direction', 'i.caller_number', 'i.queue', 'i.agent_id', 'a.name as agent_name',
  'i.outcome', 'i.wait_ms', 'i.talk_ms', 'i.disposition', 'i.wrap_note', 'i.follow_up',
];
const NEWEST_FIRST = [{ column: 'entered_at', order: 'desc' as const }, { column: 'id', order: 'desc' as const }];

export class HistoryRepository {
  constructor(private readonly db: Knex, private readonly cipher: FieldCipher) {}

  /**
   * Up to `limit` interactions, newest first. By customer and by number are two branches
   * of a UNION, each ordered and limited on its own index ((customer_id, entered_at) and
   * (caller_number, entered_at)); an OR across the two columns would let MariaDB scan.
   */
  async interactions(s: HistorySelection): Promise<Array<Omit<HistoryItem, 'recordings'>>> {
    const branch = (where: (q: Knex.QueryBuilder) => void) => {
      const q = this.db('interactions as i').leftJoin('agents as a', 'a.id', 'i.agent_id').select(COLUMNS);
      where(q);
      if (s.before) {
        const { at, id } = s.before;
        q.where((w) => w.where('i.entered_at', '<', at).orWhere((t) => t.where('i.entered_at', '=', at).andWhere('i.id', '<', id)));
      }
      if (s.excludeInteractionId) q.whereNot('i.id', s.excludeInteractionId);
      return q.orderBy([{ column: 'i.entered_at', order: 'desc' }, { column: 'i.id', order: 'desc' }]).limit(s.limit);
    };
    const branches: Knex.QueryBuilder[] = [];
    if (s.customerId !== undefined) branches.push(branch((q) => q.where('i.customer_id', s.customerId as number)));
    if (s.callerNumbers.length) branches.push(branch((q) => q.whereIn('i.caller_number', s.callerNumbers)));
    if (!branches.length) return [];
    // UNION (not ALL) drops a call found both ways.
    const rows: HistoryRow[] = branches.length === 1
      ? await branches[0]
      : await this.db.select('*').from(this.db.union(branches, true).as('h')).orderBy(NEWEST_FIRST).limit(s.limit);
    return rows.map((r) => ({
      interactionId: r.id, at: r.entered_at.toISOString(), direction: r.direction, callerNumber: r.caller_number,
      queue: r.queue, agentId: r.agent_id, agentName: r.agent_name, outcome: r.outcome, waitMs: r.wait_ms, talkMs: r.talk_ms,
      disposition: r.disposition, note: this.cipher.openOrNull(r.wrap_note, 'interactions.wrap_note'), followUp: !!r.follow_up,
    }));
  }

  /** The caller id an interaction stored, or undefined when there is no such interaction. */
  async callerNumberOf(interactionId: string): Promise<string | undefined> {
    const row = (await this.db('interactions').where({ id: interactionId }).first('caller_number')) as { caller_number: string } | undefined;
    return row?.caller_number;
  }

  /** Recording ids and durations of these interactions, by interaction id, oldest first. */
  async recordings(interactionIds: string[]): Promise<Map<string, Array<{ id: number; durationMs: number }>>> {
    const byInteraction = new Map<string, Array<{ id: number; durationMs: number }>>();
    if (!interactionIds.length) return byInteraction;
    const rows = await this.db('recordings').whereIn('interaction_id', interactionIds).orderBy(['started_at', 'id']).select('id', 'interaction_id', 'duration_ms');
    for (const r of rows as Array<{ id: number | string; interaction_id: string; duration_ms: number }>) {
      const list = byInteraction.get(r.interaction_id) ?? [];
      list.push({ id: Number(r.id), durationMs: r.duration_ms });
      byInteraction.set(r.interaction_id, list);
    }
    return byInteraction;
  }
}
