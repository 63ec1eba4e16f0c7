import { eventData as parseData, type Knex } from '../../core/db.js';
import type { CallEventRow } from '../../interactions/index.js';
import { QUEUE_LOG_CALL_EVENTS, type QlCallEvent } from './call-lines.js';
import type { AgentContext, QlStateChange } from './agent-lines.js';

// Read-only, for the queue_log export: call events and agent state changes in a period, in
// time order, streamed from MariaDB (an export of millions of rows is never held in memory),
// and the little the mapping needs from before the period. May point at a read replica.

/** A call that entered its queue this long before the period may still be in it. */
const OPEN_CALL_LOOKBACK_MS = 86_400_000;

type EventRow = CallEventRow & { interaction_id: string; caller_number: string | null };

interface StateRow {
  agent_id: number;
  at: Date;
  from_state: string;
  to_state: string;
  reason: string | null;
  phone: string | null;
}


const toEvent = (r: EventRow): QlCallEvent => ({
  interactionId: r.interaction_id, seq: Number(r.seq), type: r.type, at: r.at.getTime(), queue: r.queue,
  agentId: r.agent_id, data: parseData(r.data), callerNumber: r.caller_number,
});

const toChange = (r: StateRow): QlStateChange => ({
  agentId: r.agent_id, at: r.at.getTime(), from: r.from_state, to: r.to_state, reason: r.reason, phone: r.phone,
});

export class QueueLogRepository {
  constructor(private readonly db: Knex) {}

  /** agent id -> agent number. */
  async agentNumbers(): Promise<Map<number, string>> {
    const rows: Array<{ id: number; number: string }> = await this.db('agents').select('id', 'number');
    return new Map(rows.map((r) => [r.id, r.number]));
  }

  private events(): Knex.QueryBuilder {
    return this.db('call_events as e')
      .leftJoin('interactions as i', 'i.id', 'e.interaction_id')
      .whereIn('e.type', [...QUEUE_LOG_CALL_EVENTS])
      .select('e.interaction_id', 'e.seq', 'e.type', 'e.at', 'e.queue', 'e.agent_id', 'e.data', 'i.caller_number');
  }

  /** The call events of [from, to), oldest first (a call's own events in their order). */
  async *callEvents(from: Date, to: Date): AsyncGenerator<QlCallEvent> {
    const rows = this.events().where('e.at', '>=', from).andWhere('e.at', '<', to)
      .orderBy([{ column: 'e.at' }, { column: 'e.interaction_id' }, { column: 'e.seq' }]).stream();
    for await (const r of rows) yield toEvent(r as EventRow);
  }

  /** Earlier events of the calls still in progress at `from`: their queue entry, offers, answer. */
  async openCallEvents(from: Date): Promise<QlCallEvent[]> {
    const open = this.db('interactions').select('id')
      .where('entered_at', '>=', new Date(from.getTime() - OPEN_CALL_LOOKBACK_MS)).andWhere('entered_at', '<', from)
      .andWhere((q) => q.whereNull('ended_at').orWhere('ended_at', '>=', from));
    const rows: EventRow[] = await this.events().whereIn('e.interaction_id', open).andWhere('e.at', '<', from)
      .orderBy([{ column: 'e.at' }, { column: 'e.interaction_id' }, { column: 'e.seq' }]);
    return rows.map(toEvent);
  }

  /** Agent state changes of [from, to), oldest first. */
  async *stateChanges(from: Date, to: Date): AsyncGenerator<QlStateChange> {
    const rows = this.db('agent_state_log').where('at', '>=', from).andWhere('at', '<', to)
      .orderBy([{ column: 'at' }, { column: 'agent_id' }, { column: 'seq' }])
      .select('agent_id', 'at', 'from_state', 'to_state', 'reason', 'phone').stream();
    for await (const r of rows) yield toChange(r as StateRow);
  }

  /** Agents logged in at `from`: since when, on which phone, and why paused if they were. */
  async agentsAt(from: Date): Promise<Map<number, AgentContext>> {
    const last = this.db('agent_state_log').select('agent_id').max('at as at').where('at', '<', from).groupBy('agent_id').as('m');
    const rows: StateRow[] = await this.db('agent_state_log as l')
      .join(last, (j) => j.on('l.agent_id', 'm.agent_id').andOn('l.at', 'm.at'))
      .select('l.agent_id', 'l.at', 'l.from_state', 'l.to_state', 'l.reason', 'l.phone');
    const logins: Array<{ agent_id: number; at: Date }> = await this.db('agent_state_log')
      .select('agent_id').max('at as at').where({ from_state: 'logged_out' }).andWhere('at', '<', from).groupBy('agent_id');
    const loginAt = new Map(logins.map((l) => [l.agent_id, new Date(l.at).getTime()]));
    const agents = new Map<number, AgentContext>();
    for (const r of rows) {
      if (r.to_state === 'logged_out') continue;
      agents.set(r.agent_id, {
        loginAt: loginAt.get(r.agent_id), channel: r.phone ? `PJSIP/${r.phone}` : undefined,
        pauseReason: r.to_state === 'paused' ? r.reason ?? undefined : undefined,
      });
    }
    return agents;
  }
}
