import type { Knex } from '../core/db.js';

/** An agent's skills: skill -> level 1..5 (the same shape as `Skills` in acd/schemas.ts). */
export type SkillLevels = Record<string, number>;

/** An agent who holds a skill, with the level they hold it at. */
export interface SkillHolder {
  agentId: number;
  number: string;
  name: string;
  extension: string;
  level: number;
}

/** What makes an agent a member of a queue: the queue's skill at or above its minimum level. */
export interface MembershipRule {
  queueId: number;
  skill: string;
  minLevel: number;
}

/**
 * agent_skills, and queue_agents derived from it. Membership is by skill: an agent
 * belongs to every queue whose skill they hold at or above the queue's minLevel.
 * queue_agents is kept only as that rule's materialised result, for listing a queue's
 * members with a join (AgentService.inQueue); routing reads agent_skills itself, so that
 * it can widen below minLevel. Nothing else should write queue_agents.
 */
export class SkillRepository {
  constructor(private readonly db: Knex) {}

  async of(agentId: number, trx: Knex = this.db): Promise<SkillLevels> {
    const rows: Array<{ skill: string; level: number }> = await trx('agent_skills').where({ agent_id: agentId }).orderBy('skill').select('skill', 'level');
    return Object.fromEntries(rows.map((r) => [r.skill, r.level]));
  }

  /** Replaces every skill of the agent. */
  async replace(agentId: number, skills: SkillLevels, trx: Knex): Promise<void> {
    await trx('agent_skills').where({ agent_id: agentId }).delete();
    const rows = Object.entries(skills).map(([skill, level]) => ({ agent_id: agentId, skill, level }));
    if (rows.length) await trx('agent_skills').insert(rows);
  }

  /** Adds a skill the agent does not hold yet; an existing level is left as it is. */
  async grant(agentId: number, skill: string, level: number, trx: Knex = this.db): Promise<void> {
    await trx('agent_skills').insert({ agent_id: agentId, skill, level }).onConflict(['agent_id', 'skill']).ignore();
  }

  /** Agents holding the skill at `minLevel` or above, best first. */
  async holders(skill: string, minLevel: number, trx: Knex = this.db): Promise<SkillHolder[]> {
    const rows: Array<{ agent_id: number; number: string; name: string; extension: string; level: number }> = await trx('agent_skills')
      .join('agents', 'agents.id', 'agent_skills.agent_id')
      .where('agent_skills.skill', skill)
      .andWhere('agent_skills.level', '>=', minLevel)
      .orderBy([{ column: 'agent_skills.level', order: 'desc' }, { column: 'agents.number' }])
      .select('agent_skills.agent_id', 'agents.number', 'agents.name', 'agents.extension', 'agent_skills.level');
    return rows.map((r) => ({ agentId: r.agent_id, number: r.number, name: r.name, extension: r.extension, level: r.level }));
  }

  /** Rebuilds the members of these queues from skills. */
  async syncQueues(rules: MembershipRule[], trx: Knex): Promise<void> {
    for (const rule of rules) {
      await trx('queue_agents').where({ queue_id: rule.queueId }).delete();
      // INSERT ... SELECT reads agent_skills with locks, so it sees skills committed a moment ago.
      await trx.raw(
        'INSERT INTO queue_agents (queue_id, agent_id) SELECT ?, agent_id FROM agent_skills WHERE skill = ? AND level >= ?',
        [rule.queueId, rule.skill, rule.minLevel],
      );
    }
  }

  /** Rebuilds the queues of one agent from their skills, given every queue's rule. */
  async syncAgent(agentId: number, rules: MembershipRule[], trx: Knex): Promise<void> {
    const skills = await this.of(agentId, trx);
    await trx('queue_agents').where({ agent_id: agentId }).delete();
    const rows = rules
      .filter((r) => (skills[r.skill] ?? 0) >= r.minLevel)
      .map((r) => ({ queue_id: r.queueId, agent_id: agentId }));
    if (rows.length) await trx('queue_agents').insert(rows);
  }
}
