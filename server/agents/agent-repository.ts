import type { Knex } from '../core/db.js';

export interface AgentRecord {
  id: number;
  number: string;
  name: string;
  extension: string;
  userId: number | null;
}

interface AgentRow {
  id: number;
  number: string;
  name: string;
  extension: string;
  user_id: number | null;
}

const toAgent = (r: AgentRow): AgentRecord => ({ id: r.id, number: r.number, name: r.name, extension: r.extension, userId: r.user_id });

export class AgentRepository {
  constructor(private readonly db: Knex) {}

  async list(): Promise<AgentRecord[]> {
    const rows = await this.db<AgentRow>('agents').select('*').orderBy('number');
    return rows.map(toAgent);
  }

  async get(id: number): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('agents').where({ id }).first();
    return row ? toAgent(row) : undefined;
  }

  async byExtension(extension: string): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('agents').where({ extension }).first();
    return row ? toAgent(row) : undefined;
  }

  /** A new agent; the unique agent number makes a concurrent duplicate fail here, not later. */
  async create(a: Omit<AgentRecord, 'id'>): Promise<number> {
    const [id] = await this.db('agents').insert({ number: a.number, name: a.name, extension: a.extension, user_id: a.userId });
    return id as number;
  }

  async update(id: number, a: Omit<AgentRecord, 'id'>): Promise<void> {
    await this.db('agents').where({ id }).update({ number: a.number, name: a.name, extension: a.extension, user_id: a.userId });
  }

  /** Skills and queue membership go with it (foreign keys cascade); history keeps the id. */
  async remove(id: number): Promise<void> {
    await this.db('agents').where({ id }).delete();
  }

  /** Whether the agent ever changed state: reports name it, so its row must stay. */
  async hasHistory(id: number): Promise<boolean> {
    return Boolean(await this.db('agent_state_log').where({ agent_id: id }).first('agent_id'));
  }

  async linkUser(agentId: number, userId: number): Promise<void> {
    await this.db('agents').where({ id: agentId }).update({ user_id: userId });
  }

  async byNumber(number: string): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('agents').where({ number }).first();
    return row ? toAgent(row) : undefined;
  }

  /** The agent that a user account is linked to. */
  async byUser(userId: number): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('agents').where({ user_id: userId }).first();
    return row ? toAgent(row) : undefined;
  }

  /** The stored scrypt hash of the agent's phone PIN; kept out of AgentRecord on purpose. */
  async pinHash(id: number): Promise<string | null> {
    const row = await this.db('agents').where({ id }).first('pin_hash');
    return (row?.pin_hash as string | null | undefined) ?? null;
  }

  async setPinHash(id: number, hash: string | null): Promise<void> {
    await this.db('agents').where({ id }).update({ pin_hash: hash });
  }

  /** Agents that serve a queue, by the queue's name. */
  async inQueue(queue: string): Promise<AgentRecord[]> {
    const rows = await this.db<AgentRow>('agents')
      .join('queue_agents', 'queue_agents.agent_id', 'agents.id')
      .join('queues', 'queues.id', 'queue_agents.queue_id')
      .where('queues.name', queue)
      .select('agents.*');
    return rows.map(toAgent);
  }
}
