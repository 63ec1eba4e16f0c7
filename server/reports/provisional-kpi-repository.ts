import type { Knex } from '../core/db.js';
import type { Interval } from './kpi/index.js';

// PROVISIONAL, with provisional-kpi-source.ts: replaced by the KPI engine (app.kpis) at merge.

/**
 * Read-only: which agent each `connect` of the entries made in an interval went to, keyed
 * `<interaction id>:<seq>`. The KPI fold's events carry no agent, and the per-agent table
 * of a report needs one.
 */
export class ProvisionalKpiRepository {
  constructor(private readonly db: Knex) {}

  async connectAgents(interval: Interval): Promise<Map<string, number>> {
    const from = new Date(interval.from);
    const entered = this.db('call_events').distinct('interaction_id').where({ type: 'enter-queue' }).andWhere('at', '>=', from).andWhere('at', '<', new Date(interval.to));
    const rows: Array<{ interaction_id: string; seq: number; agent_id: number }> = await this.db('call_events')
      .whereIn('interaction_id', entered)
      .andWhere({ type: 'connect' })
      .whereNotNull('agent_id')
      .andWhere('at', '>=', from)
      .select('interaction_id', 'seq', 'agent_id');
    return new Map(rows.map((r) => [`${r.interaction_id}:${r.seq}`, Number(r.agent_id)]));
  }
}
