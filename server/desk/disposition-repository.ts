import type { Knex } from '../core/db.js';
import type { Disposition } from './schemas.js';

interface Row {
  id: number;
  queue: string | null;
  code: string;
  label: string;
  active: number | boolean;
  sort: number;
}

const toDisposition = (r: Row): Disposition => ({ id: r.id, queue: r.queue, code: r.code, label: r.label, active: !!r.active, sort: r.sort });

/** Disposition codes; a row without a queue is offered in every queue. */
export class DispositionRepository {
  constructor(private readonly db: Knex) {}

  private select() {
    return this.db('dispositions as d').leftJoin('queues as q', 'q.id', 'd.queue_id')
      .select('d.id', 'q.name as queue', 'd.code', 'd.label', 'd.active', 'd.sort')
      .orderBy([{ column: 'd.sort' }, { column: 'd.code' }]);
  }

  async all(): Promise<Disposition[]> {
    return ((await this.select()) as Row[]).map(toDisposition);
  }

  /** The codes an agent may pick after a call of `queue`: the queue's own and the global ones. */
  async forQueue(queue: string | null): Promise<Disposition[]> {
    const rows = (await this.select().where((w) => {
      w.whereNull('d.queue_id');
      if (queue) w.orWhere('q.name', queue);
    }).andWhere('d.active', true)) as Row[];
    return rows.map(toDisposition);
  }

  async get(id: number): Promise<Disposition | undefined> {
    const row = (await this.select().where('d.id', id).first()) as Row | undefined;
    return row ? toDisposition(row) : undefined;
  }

  async queueId(name: string): Promise<number | undefined> {
    const row = await this.db('queues').where({ name }).first('id');
    return row?.id as number | undefined;
  }

  /** Inserts; false when the code already exists for that queue. */
  async insert(d: { queueId: number | null; code: string; label: string; active: boolean; sort: number }): Promise<number | false> {
    const clash = await this.db('dispositions').where({ code: d.code }).andWhere((w) => (d.queueId === null ? w.whereNull('queue_id') : w.where('queue_id', d.queueId))).first('id');
    if (clash) return false;
    const [id] = await this.db('dispositions').insert({ queue_id: d.queueId, code: d.code, label: d.label, active: d.active, sort: d.sort });
    return id as number;
  }

  async update(id: number, patch: { label?: string; active?: boolean; sort?: number }): Promise<boolean> {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) row[k] = v;
    if (!Object.keys(row).length) return !!(await this.get(id));
    return (await this.db('dispositions').where({ id }).update(row)) > 0;
  }

  async remove(id: number): Promise<boolean> {
    return (await this.db('dispositions').where({ id }).delete()) > 0;
  }
}
