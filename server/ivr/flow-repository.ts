import type { Knex } from '../core/db.js';
import type { Flow, FlowBody } from './schemas.js';

interface FlowRow {
  id: number;
  name: string;
  body: string | FlowBody;
  version: number;
  updated_at: Date;
}

function toFlow(row: FlowRow): Flow {
  // mysql2 parses MariaDB JSON columns itself when the server flags them; older servers send text.
  const body = typeof row.body === 'string' ? (JSON.parse(row.body) as FlowBody) : row.body;
  return { ...body, name: row.name, id: row.id, version: row.version, updatedAt: row.updated_at.toISOString() };
}

/**
 * ivr_flows. A flow's name is also stored inside its body;
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
}
