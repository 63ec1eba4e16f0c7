import type { Knex } from '../core/db.js';
import type { Flow, FlowBody } from './schemas.js';

interface FlowRow {
  id: number;
  name: string;
  body: string | FlowBody;
  version: number;
  updated_at: Date;
}

/** Where a DID sends its calls: a flow if it has one, else straight to its queue. */
export interface DidRoute {
  number: string;
  flow: string | null;
  queue: string | null;
  /** False: calls to this number are never recorded, whatever their queue says. */
  recording: boolean;
}

interface DidRow extends Omit<DidRoute, 'recording'> {
  recording: number | boolean;
}

const toDid = (r: DidRow): DidRoute => ({ number: r.number, flow: r.flow, queue: r.queue, recording: !!r.recording });

export type DidTarget = { flowId: number } | { queueId: number };

function toFlow(row: FlowRow): Flow {
  // mysql2 parses MariaDB JSON columns itself when the server flags them; older servers send text.
  const body = typeof row.body === 'string' ? (JSON.parse(row.body) as FlowBody) : row.body;
  return { ...body, name: row.name, id: row.id, version: row.version, updatedAt: row.updated_at.toISOString() };
}

/**
 * ivr_flows and the DIDs that enter them. A flow's name is also stored inside its body;
 * the column is the one that counts (unique, and what other flows and queues name).
 */
export class FlowRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Flow[]> {
    const rows: FlowRow[] = await this.db('ivr_flows').orderBy('name').select('*');
    return rows.map(toFlow);
  }

  async byName(name: string): Promise<Flow | undefined> {
    const row: FlowRow | undefined = await this.db('ivr_flows').where({ name }).first();
    return row ? toFlow(row) : undefined;
  }

  async byId(id: number): Promise<Flow | undefined> {
    const row: FlowRow | undefined = await this.db('ivr_flows').where({ id }).first();
    return row ? toFlow(row) : undefined;
  }

  async insert(body: FlowBody): Promise<number> {
    const [id] = await this.db('ivr_flows').insert({ name: body.name, body: JSON.stringify(body), version: 1 });
    return Number(id);
  }

  /**
   * Saves a new version. The increment happens in SQL, so two saves racing each get
   * their own number. With `expectedVersion` the save only happens if nobody saved in
   * between; returns false when that check failed.
   */
  async update(id: number, body: FlowBody, expectedVersion?: number): Promise<boolean> {
    const q = this.db('ivr_flows').where({ id });
    if (expectedVersion !== undefined) q.andWhere({ version: expectedVersion });
    const changed = await q.update({ body: JSON.stringify(body), version: this.db.raw('version + 1') });
    return changed > 0;
  }

  async delete(id: number): Promise<void> {
    await this.db('ivr_flows').where({ id }).delete();
  }

  async didsUsing(flowId: number): Promise<string[]> {
    const rows: Array<{ number: string }> = await this.db('dids').where({ flow_id: flowId }).orderBy('number').select('number');
    return rows.map((r) => r.number);
  }

  async dids(): Promise<DidRoute[]> {
    return ((await this.routes().orderBy('dids.number')) as DidRow[]).map(toDid);
  }

  async did(number: string): Promise<DidRoute | undefined> {
    const row = (await this.routes().where('dids.number', number).first()) as DidRow | undefined;
    return row ? toDid(row) : undefined;
  }

  private routes(): Knex.QueryBuilder {
    return this.db('dids')
      .leftJoin('ivr_flows', 'ivr_flows.id', 'dids.flow_id')
      .leftJoin('queues', 'queues.id', 'dids.queue_id')
      .select('dids.number as number', 'ivr_flows.name as flow', 'queues.name as queue', 'dids.recording as recording');
  }

  /** Creates the DID or changes its route; a DID goes to a flow or to a queue, never both. */
  async routeDid(number: string, target: DidTarget, recording?: boolean): Promise<void> {
    const route = 'flowId' in target ? { flow_id: target.flowId, queue_id: null } : { flow_id: null, queue_id: target.queueId };
    // A new DID records by default (the column's default); an existing one keeps its switch unless told.
    const row = recording === undefined ? { number, ...route } : { number, ...route, recording };
    await this.db('dids').insert(row).onConflict('number').merge(Object.keys(row).filter((k) => k !== 'number'));
  }

  /** False when there is no such DID. */
  async setDidRecording(number: string, recording: boolean): Promise<boolean> {
    return (await this.db('dids').where({ number }).update({ recording })) > 0;
  }
}
