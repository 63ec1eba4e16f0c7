import type { Knex } from '../../core/db.js';
import { KPI_EVENT_TYPES, type KpiEvent } from './fold.js';
import { fromRow, type CallEventRowLike } from './events.js';
import type { Interval } from '../../core/time-zone.js';

/**
 * Read-only: the call events the KPI fold needs for entries made in an interval. Every
 * event of those interactions from the interval's start on is read, however late it
 * came (a call that entered at 23:59 and was answered at 00:01 counts on its entry's day).
 * Reports may point this at a read replica.
 */
export class KpiRepository {
  constructor(private readonly db: Knex) {}

  async eventsForEntries(interval: Interval): Promise<KpiEvent[]> {
    const from = new Date(interval.from);
    const to = new Date(interval.to);
    const entered = this.db('call_events').distinct('interaction_id').where({ type: 'enter-queue' }).andWhere('at', '>=', from).andWhere('at', '<', to);
    const rows: CallEventRowLike[] = await this.db('call_events')
      .whereIn('interaction_id', entered)
      .whereIn('type', [...KPI_EVENT_TYPES])
      .andWhere('at', '>=', from)
      .orderBy([{ column: 'interaction_id' }, { column: 'seq' }])
      .select('interaction_id', 'seq', 'type', 'at', 'queue', 'agent_id', 'data');
    return rows.map(fromRow);
  }
}
