import { Value } from '@sinclair/typebox/value';
import { jsonColumn, type Knex } from '../core/db.js';
import type { MembershipRule } from '../agents/skill-repository.js';
import { QueueBody, type QueueConfig } from './schemas.js';

// ring_timeout_s and wrap_up_s stay columns, and are the only home of those two values:
// the running ACD reads them there. `config` (JSON) holds the rest of QueueBody except
// the name. With one home per value there is nothing to keep in sync.

interface QueueRow {
  id: number;
  name: string;
  ring_timeout_s: number;
  wrap_up_s: number;
  config: string | Record<string, unknown> | null;
  updated_at: Date;
}

export interface StoredQueue extends QueueConfig {
  updatedAt: string;
}

/** A skill for a queue stored before skills existed (or inserted by hand without config). */
const fallbackSkill = (name: string) => name.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 40) || 'general';

function parseJson(v: QueueRow['config']): Record<string, unknown> {
  // mysql2 parses MariaDB JSON columns itself when the server flags them; older servers send text.
  if (v === null) return {};
  return jsonColumn(v);
}

function toQueue(row: QueueRow): StoredQueue {
  const stored = parseJson(row.config);
  const body = Value.Default(QueueBody, {
    strategy: 'longest_idle',
    skill: fallbackSkill(row.name),
    overflow: [],
    priority: {},
    callback: {},
    survey: {},
    ...stored,
    name: row.name,
    ringTimeoutSec: row.ring_timeout_s,
    wrapUpSec: row.wrap_up_s,
  }) as QueueBody;
  return { ...body, id: row.id, updatedAt: row.updated_at.toISOString() };
}

function toRow(body: QueueBody): Omit<QueueRow, 'id' | 'updated_at'> {
  const { name, ringTimeoutSec, wrapUpSec, ...config } = body;
  return { name, ring_timeout_s: ringTimeoutSec, wrap_up_s: wrapUpSec, config: JSON.stringify(config) };
}

/** The rule that makes agents members of this queue (see SkillRepository). */
export function membershipRule(q: QueueConfig): MembershipRule {
  return { queueId: q.id, skill: q.skill, minLevel: q.minLevel };
}

export class QueueRepository {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async list(trx: Knex = this.db): Promise<StoredQueue[]> {
    const rows: QueueRow[] = await trx('queues').orderBy('name').select('*');
    return rows.map(toQueue);
  }

  /**
   * Every queue, with its row locked until the transaction ends. Changing skills takes
   * these locks first and changing a queue locks its row first, so the two serialise
   * and membership is always rebuilt from what the other has committed.
   */
  async lockAll(trx: Knex.Transaction): Promise<StoredQueue[]> {
    const rows: QueueRow[] = await trx('queues').orderBy('id').forUpdate().select('*');
    return rows.map(toQueue);
  }

  async byName(name: string, trx: Knex = this.db): Promise<StoredQueue | undefined> {
    const row: QueueRow | undefined = await trx('queues').where({ name }).first();
    return row ? toQueue(row) : undefined;
  }

  async insert(body: QueueBody, trx: Knex): Promise<number> {
    const [id] = await trx('queues').insert(toRow(body));
    return Number(id);
  }

  async update(id: number, body: QueueBody, trx: Knex): Promise<void> {
    await trx('queues').where({ id }).update(toRow(body));
  }

  /** queue_agents rows go with it (ON DELETE CASCADE). */
  async delete(id: number): Promise<void> {
    await this.db('queues').where({ id }).delete();
  }

  /** Numbers of the DIDs whose calls go straight to this queue. */
  async didsUsing(id: number): Promise<string[]> {
    const rows: Array<{ number: string }> = await this.db('dids').where({ queue_id: id }).orderBy('number').select('number');
    return rows.map((r) => r.number);
  }
}
