import type { Knex } from '../core/db.js';
import { fromRow, type CallEventRowLike } from './kpi/events.js';
import { KPI_EVENT_TYPES, type KpiEvent } from './kpi/fold.js';
import { HANDLING_EVENT_TYPES, type AnsweredCall } from './kpi/handling.js';
import type { StateChange } from './kpi/agent-time.js';

const EVENT_TYPES = [...KPI_EVENT_TYPES, ...HANDLING_EVENT_TYPES];
/** How far past the last wrap-up of a batch the next changes are read in one go. */
const WRAP_LOOKAHEAD_MS = 2 * 3_600_000;

/**
 * Read-only: the raw rows the summary is folded from (call_events, interactions,
 * agent_state_log, pause_reasons). Reports may point this at a read replica.
 */
export class RawRepository {
  constructor(private readonly db: Knex) {}

  /** Interactions with an enter-queue event in [from, to) (epoch ms). */
  async enteredBetween(from: number, to: number): Promise<string[]> {
    const rows: Array<{ interaction_id: string }> = await this.db('call_events')
      .distinct('interaction_id').where({ type: 'enter-queue' }).andWhere('at', '>=', new Date(from)).andWhere('at', '<', new Date(to));
    return rows.map((r) => r.interaction_id);
  }

  /** The 15-minute buckets (epoch seconds) these interactions entered a queue in. */
  async entryBuckets(ids: readonly string[]): Promise<number[]> {
    if (!ids.length) return [];
    const rows: Array<{ b: number | string }> = await this.db('call_events').whereIn('interaction_id', ids).andWhere({ type: 'enter-queue' })
      .distinct(this.db.raw("FLOOR(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', at) / 900) * 900 AS b"));
    return rows.map((r) => Number(r.b));
  }

  /** Every event the KPIs read of these interactions, each interaction's in seq order. */
  async events(ids: readonly string[]): Promise<KpiEvent[]> {
    if (!ids.length) return [];
    const rows: CallEventRowLike[] = await this.db('call_events')
      .whereIn('interaction_id', ids).whereIn('type', EVENT_TYPES)
      .orderBy([{ column: 'interaction_id' }, { column: 'seq' }])
      .select('interaction_id', 'seq', 'type', 'at', 'queue', 'agent_id', 'data');
    return rows.map(fromRow);
  }

  /** DID and caller key of each interaction. */
  async facts(ids: readonly string[]): Promise<Map<string, { did: string; callerKey: string | null }>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; did: string | null; caller_key: string | null }> = await this.db('interactions').whereIn('id', ids).select('id', 'did', 'caller_key');
    return new Map(rows.map((r) => [r.id, { did: r.did ?? '', callerKey: r.caller_key }]));
  }

  /**
   * After-call work per interaction: each wrap_up row of it lasts until the agent's next
   * change (none yet: still in wrap-up, counted once it ends). The next changes are read in
   * one range per batch and matched here: a correlated "next row" subquery made MariaDB read
   * every row of the agent for each wrap-up (a minute for one day at 500k interactions).
   */
  async wrapMs(ids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!ids.length) return out;
    const wraps: Array<{ interaction_id: string; agent_id: number; at: Date; seq: number }> = await this.db('agent_state_log')
      .whereIn('interaction_id', ids).andWhere('to_state', 'wrap_up').select('interaction_id', 'agent_id', 'at', 'seq');
    if (!wraps.length) return out;
    const from = Math.min(...wraps.map((w) => w.at.getTime()));
    const to = Math.max(...wraps.map((w) => w.at.getTime())) + WRAP_LOOKAHEAD_MS;
    const rows: Array<{ agent_id: number; at: Date; seq: number }> = await this.db('agent_state_log')
      .whereIn('agent_id', [...new Set(wraps.map((w) => w.agent_id))]).andWhere('at', '>=', new Date(from)).andWhere('at', '<=', new Date(to))
      .orderBy([{ column: 'agent_id' }, { column: 'at' }, { column: 'seq' }]).select('agent_id', 'at', 'seq');
    const byAgent = new Map<number, Array<{ at: number; seq: number }>>();
    for (const r of rows) {
      let list = byAgent.get(r.agent_id);
      if (!list) byAgent.set(r.agent_id, (list = []));
      list.push({ at: r.at.getTime(), seq: r.seq });
    }
    for (const w of wraps) {
      const start = w.at.getTime();
      const next = byAgent.get(w.agent_id)?.find((r) => r.at > start || (r.at === start && r.seq > w.seq)) ?? (await this.nextChange(w.agent_id, start, w.seq));
      if (next) out.set(w.interaction_id, (out.get(w.interaction_id) ?? 0) + (next.at - start));
    }
    return out;
  }

  /** The change after (at, seq) of an agent, for a wrap-up longer than the lookahead. */
  private async nextChange(agentId: number, at: number, seq: number): Promise<{ at: number } | undefined> {
    const r: { at: Date } | undefined = await this.db('agent_state_log').where({ agent_id: agentId }).andWhere('at', '>=', new Date(at))
      .andWhere((w) => w.where('at', '>', new Date(at)).orWhere('seq', '>', seq)).orderBy([{ column: 'at' }, { column: 'seq' }]).first('at');
    return r ? { at: r.at.getTime() } : undefined;
  }

  /** Answered calls of these callers in [from, to) (epoch ms), for repeat calls. */
  async answeredByCallers(callerKeys: readonly string[], from: number, to: number): Promise<AnsweredCall[]> {
    if (!callerKeys.length) return [];
    const rows: Array<{ id: string; caller_key: string; answered_at: Date }> = await this.db('interactions')
      .whereIn('caller_key', callerKeys).andWhere('answered_at', '>=', new Date(from)).andWhere('answered_at', '<', new Date(to))
      .select('id', 'caller_key', 'answered_at');
    return rows.map((r) => ({ interactionId: r.id, callerKey: r.caller_key, at: r.answered_at.getTime() }));
  }

  /** An agent's changes from the last one before `from` to the first one at or after `to`. */
  async stateChanges(agentId: number, from: number, to: number): Promise<StateChange[]> {
    const q = () => this.db('agent_state_log').where({ agent_id: agentId }).select('at', 'to_state', 'reason');
    const [before, inside, after] = await Promise.all([
      q().andWhere('at', '<', new Date(from)).orderBy([{ column: 'at', order: 'desc' }, { column: 'seq', order: 'desc' }]).first(),
      q().andWhere('at', '>=', new Date(from)).andWhere('at', '<', new Date(to)).orderBy([{ column: 'at' }, { column: 'seq' }]),
      q().andWhere('at', '>=', new Date(to)).orderBy([{ column: 'at' }, { column: 'seq' }]).first(),
    ]);
    const rows = [...(before ? [before] : []), ...inside, ...(after ? [after] : [])] as Array<{ at: Date; to_state: string; reason: string | null }>;
    return rows.map((r) => ({ at: r.at.getTime(), state: r.to_state, reason: r.reason }));
  }

  /** Interactions of an agent's wrap-ups that began in [from, to] (epoch ms). */
  async wrapUpsBetween(agentId: number, from: number, to: number): Promise<string[]> {
    const rows: Array<{ interaction_id: string }> = await this.db('agent_state_log').distinct('interaction_id')
      .where({ agent_id: agentId, to_state: 'wrap_up' }).whereNotNull('interaction_id').andWhere('at', '>=', new Date(from)).andWhere('at', '<=', new Date(to));
    return rows.map((r) => r.interaction_id);
  }

  /** The change before and the change after an instant, each with its interaction. */
  async neighbours(agentId: number, at: number): Promise<{ before?: StateChange & { interactionId: string | null }; after?: StateChange }> {
    const q = () => this.db('agent_state_log').where({ agent_id: agentId }).select('at', 'to_state', 'reason', 'interaction_id');
    const [b, a] = await Promise.all([
      q().andWhere('at', '<', new Date(at)).orderBy([{ column: 'at', order: 'desc' }, { column: 'seq', order: 'desc' }]).first(),
      q().andWhere('at', '>', new Date(at)).orderBy([{ column: 'at' }, { column: 'seq' }]).first(),
    ]);
    const map = (r: { at: Date; to_state: string; reason: string | null }) => ({ at: r.at.getTime(), state: r.to_state, reason: r.reason });
    return { before: b ? { ...map(b), interactionId: b.interaction_id } : undefined, after: a ? map(a) : undefined };
  }

  /** Each agent's latest change: the segment it opens is still running. */
  async lastChanges(): Promise<Map<number, StateChange>> {
    const rows: Array<{ agent_id: number; at: Date; to_state: string; reason: string | null }> = await this.db('agent_state_log as s')
      .join(this.db('agent_state_log').groupBy('agent_id').select('agent_id', this.db.raw('MAX(at) AS at')).as('m'), (j) => j.on('s.agent_id', 'm.agent_id').andOn('s.at', 'm.at'))
      .orderBy([{ column: 's.agent_id' }, { column: 's.seq' }])
      .select('s.agent_id', 's.at', 's.to_state', 's.reason');
    return new Map(rows.map((r) => [r.agent_id, { at: r.at.getTime(), state: r.to_state, reason: r.reason }]));
  }

  async paidReasons(): Promise<Set<string>> {
    const rows: Array<{ name: string }> = await this.db('pause_reasons').where({ paid: true }).select('name');
    return new Set(rows.map((r) => r.name));
  }

  async agentNames(ids: readonly number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: number; name: string }> = await this.db('agents').whereIn('id', ids).select('id', 'name');
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
