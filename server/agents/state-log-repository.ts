import type { Knex } from '../core/db.js';
import type { AgentState } from './schemas.js';

/** One agent state change as the log keeps it. */
export interface StateLogEntry {
  agentId: number;
  seq: number;
  from: AgentState;
  to: AgentState;
  reason?: string | null;
  interactionId?: string | null;
  phone?: string | null;
  actor?: string | null;
  at: Date;
}

interface Row {
  agent_id: number;
  seq: number;
  from_state: string;
  to_state: string;
  reason: string | null;
  interaction_id: string | null;
  phone: string | null;
  actor: string | null;
  at: Date;
}

const toEntry = (r: Row): StateLogEntry => ({
  agentId: r.agent_id, seq: r.seq, from: r.from_state as AgentState, to: r.to_state as AgentState,
  reason: r.reason, interactionId: r.interaction_id, phone: r.phone, actor: r.actor, at: r.at,
});

/** agent_state_log: append-only; the insert is idempotent so the outbox may replay it. */
export class StateLogRepository {
  constructor(private readonly db: Knex) {}

  async append(e: StateLogEntry): Promise<void> {
    await this.db('agent_state_log')
      .insert({
        agent_id: e.agentId, seq: e.seq, from_state: e.from, to_state: e.to, reason: e.reason ?? null,
        interaction_id: e.interactionId ?? null, phone: e.phone ?? null, actor: e.actor ?? null, at: e.at,
      })
      .onConflict(['agent_id', 'at', 'seq'])
      .ignore();
  }

  /** The changes in [from, to), and the last one before `from` (the state the period opened in). */
  async between(agentId: number, from: Date, to: Date): Promise<{ before?: StateLogEntry; entries: StateLogEntry[] }> {
    const [before, rows] = await Promise.all([
      this.db<Row>('agent_state_log').where({ agent_id: agentId }).andWhere('at', '<', from).orderBy([{ column: 'at', order: 'desc' }, { column: 'seq', order: 'desc' }]).first(),
      this.db<Row>('agent_state_log').where({ agent_id: agentId }).andWhere('at', '>=', from).andWhere('at', '<', to).orderBy([{ column: 'at' }, { column: 'seq' }]).select('*'),
    ]);
    return { before: before ? toEntry(before) : undefined, entries: rows.map(toEntry) };
  }
}

/** Read-only: the agent's answered calls of a period, from the interactions room's table. */
export class HandledCallsQuery {
  constructor(private readonly db: Knex) {}

  /** Calls the agent answered in [from, to) that have ended, with their talk time. */
  async handled(agentId: number, from: Date, to: Date): Promise<{ calls: number; talkMs: number }> {
    const row = (await this.db('interactions')
      .where({ agent_id: agentId })
      .andWhere('answered_at', '>=', from)
      .andWhere('answered_at', '<', to)
      .whereNotNull('talk_ms')
      .first(this.db.raw('COUNT(*) AS calls'), this.db.raw('COALESCE(SUM(talk_ms), 0) AS talkMs'))) as { calls: number | string; talkMs: number | string } | undefined;
    return { calls: Number(row?.calls ?? 0), talkMs: Number(row?.talkMs ?? 0) };
  }
}
