import type { Knex } from '../core/db.js';
import { fromRow, type CallEventRowLike } from './kpi/events.js';
import { KPI_EVENT_TYPES, type KpiEvent } from './kpi/fold.js';
import { HANDLING_EVENT_TYPES, type AnsweredCall } from './kpi/handling.js';
import type { StateChange } from './kpi/agent-time.js';

const EVENT_TYPES = [...KPI_EVENT_TYPES, ...HANDLING_EVENT_TYPES];

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
   * change (none yet: still in wrap-up, counted once it ends). The `n.at >= s.at` keeps the
   * lookup a range on (agent_id, at): an OR alone made MariaDB read all of the agent's rows.
   */
  async wrapMs(ids: readonly string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows: Array<{ interaction_id: string; ms: number | string | null }> = await this.db('agent_state_log as s')
      .whereIn('s.interaction_id', ids).andWhere('s.to_state', 'wrap_up')
      .select('s.interaction_id', this.db.raw(`TIMESTAMPDIFF(MICROSECOND, s.at, (SELECT n.at FROM agent_state_log n
        WHERE n.agent_id = s.agent_id AND n.at >= s.at AND (n.at > s.at OR n.seq > s.seq) ORDER BY n.at, n.seq LIMIT 1)) / 1000 AS ms`));
    const out = new Map<string, number>();
    for (const r of rows) if (r.ms !== null) out.set(r.interaction_id, (out.get(r.interaction_id) ?? 0) + Math.round(Number(r.ms)));
    return out;
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
