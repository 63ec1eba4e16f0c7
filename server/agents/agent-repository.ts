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
