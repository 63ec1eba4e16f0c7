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

  async byUser(userId: number): Promise<AgentRecord | undefined> {
    const row = await this.db<AgentRow>('agents').where({ user_id: userId }).first();
    return row ? toAgent(row) : undefined;
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
