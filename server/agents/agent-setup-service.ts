import { checkedBody } from '../core/validate.js';
import type { Logger } from '../core/logger.js';
import type { AgentRecord, AgentRepository } from './agent-repository.js';
import type { LiveAgents } from './live-agents.js';
import { agentHasHistory, agentNotFound, agentNotLoggedOut, agentNumberTaken, userLinked, userNotAgent } from './errors.js';
import { AgentInput, type AgentSetup } from './schemas.js';

export interface AgentSetupDeps {
  repo: AgentRepository;
  live: LiveAgents;
  /** The role of a user account, or undefined when there is none (the users room, asked lazily). */
  roleOf: (userId: number) => Promise<string | undefined>;
  log: Logger;
}

const setupOf = (a: AgentRecord): AgentSetup => ({ id: a.id, number: a.number, name: a.name, extension: a.extension, userId: a.userId });

/**
 * Adding, changing and removing agents (the pages and /api/v1/agents). An agent's skills
 * and PIN have their own services (queues, sessions); this keeps its identity: number,
 * name, own desk phone and the user who works as it.
 */
export class AgentSetupService {
  constructor(private readonly d: AgentSetupDeps) {}

  async list(): Promise<AgentSetup[]> {
    return (await this.d.repo.list()).map(setupOf);
  }

  async get(id: number): Promise<AgentSetup> {
    const agent = await this.d.repo.get(id);
    if (!agent) throw agentNotFound(id);
    return setupOf(agent);
  }

  async create(input: unknown): Promise<AgentSetup> {
    const a = await this.checked(input);
    const id = await this.d.repo.create(a).catch((err: { code?: string }) => {
      // Two admins adding the same number at once: the unique key decides.
      throw err.code === 'ER_DUP_ENTRY' ? agentNumberTaken(a.number) : err;
    });
    this.d.log.info({ agentId: id, number: a.number, extension: a.extension }, 'agent added');
    return this.get(id);
  }

  async update(id: number, input: unknown): Promise<AgentSetup> {
    await this.get(id);
    const a = await this.checked(input, id);
    await this.d.repo.update(id, a);
    this.d.log.info({ agentId: id, number: a.number, extension: a.extension }, 'agent changed');
    return this.get(id);
  }

  /** Only a logged-out agent without call history: reports and live pages name agents by id. */
  async remove(id: number): Promise<void> {
    await this.get(id);
    const { state } = await this.d.live.get(id);
    if (state !== 'logged_out') throw agentNotLoggedOut(id, state);
    if (await this.d.repo.hasHistory(id)) throw agentHasHistory(id);
    await this.d.repo.remove(id);
    this.d.log.info({ agentId: id }, 'agent removed');
  }

  private async checked(input: unknown, self?: number): Promise<Omit<AgentRecord, 'id'>> {
    const body = checkedBody(AgentInput, input);
    const a = { number: body.number, name: body.name.trim(), extension: body.extension, userId: body.userId ?? null };
    const sameNumber = await this.d.repo.byNumber(a.number);
    if (sameNumber && sameNumber.id !== self) throw agentNumberTaken(a.number);
    if (a.userId !== null) {
      if ((await this.d.roleOf(a.userId)) !== 'agent') throw userNotAgent(a.userId);
      const linked = await this.d.repo.byUser(a.userId);
      if (linked && linked.id !== self) throw userLinked(a.userId, linked.id);
    }
    return a;
  }
}
