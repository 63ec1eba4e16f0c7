import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { withDefaults } from '../core/validate.js';
import { AppError, conflict, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { SkillHolder, SkillRepository } from '../agents/skill-repository.js';
import { membershipRule, type QueueRepository, type StoredQueue } from './queue-repository.js';
import { QueueBody, type Diversion, type OverflowAction, type Skills } from './schemas.js';

/** One thing wrong with a queue or a skill set, named by its JSON path. */
export interface ConfigProblem {
  path: string;
  code: string;
  message: string;
}

export const SkillsBody = Type.Record(
  Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
  Type.Integer({ minimum: 1, maximum: 5 }),
  { additionalProperties: false, maxProperties: 50, description: 'skill -> level 1..5' },
);

export const queueNotFound = (name: string) => notFound('queue-not-found', `no queue named ${name}`);
// 422 like flows: the request was well-formed JSON, but it does not describe a usable queue.
export const invalidQueue = (problems: ConfigProblem[]) =>
  new AppError(422, 'invalid-queue', `the queue is not valid: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, { problems });
export const invalidSkills = (problems: ConfigProblem[]) =>
  new AppError(422, 'invalid-skills', `the skills are not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { problems });

/** What queues need to know of IVR flows; the ivr room answers it. */
export interface FlowDirectory {
  names(): Promise<string[]>;
  /** Flows with a step that hands calls to this queue. */
  usingQueue(queue: string): Promise<string[]>;
}

export interface QueueDeps {
  repo: QueueRepository;
  skills: SkillRepository;
  flows: FlowDirectory;
  /** Throws agent-not-found (404) for an unknown agent. */
  agents: { get(agentId: number): Promise<unknown> };
  /** Whether a stored prompt exists (a survey may name one); the ivr room answers it. */
  prompts: { exists(id: number): Promise<boolean> };
  /** Whether a named schedule exists (calling hours may name one); the ivr room answers it. */
  schedules: { exists(id: number): Promise<boolean> };
  /** Callbacks of a queue not yet made: they would be stranded if it went. */
  openCallbacks(queue: string): Promise<number>;
  log: Logger;
}

/** Problems from a TypeBox check, one per path, at most 20. */
export function schemaProblems(schema: TSchema, value: unknown): ConfigProblem[] {
  const seen = new Map<string, ConfigProblem>();
  for (const e of Value.Errors(schema, value)) {
    if (!seen.has(e.path)) seen.set(e.path, { path: e.path, code: 'schema', message: e.message });
    if (seen.size >= 20) break;
  }
  return [...seen.values()];
}

/** A queue or flow a queue sends callers to, and where in the queue's settings it is named. */
export interface QueueTarget {
  path: string;
  queue?: string;
  flow?: string;
}

/** Every queue and flow named by a queue's overflow stages and diversions. */
export function queueTargets(q: QueueBody): QueueTarget[] {
  const actions: Array<[string, OverflowAction | Diversion | undefined]> = [
    ...q.overflow.map((r, i): [string, OverflowAction] => [`/overflow/${i}/action`, r.action]),
    ['/whenNoAgents', q.whenNoAgents],
    ['/whenFull', q.whenFull],
  ];
  return actions.flatMap(([path, a]): QueueTarget[] => {
    if (a?.type === 'also_queue' || a?.type === 'queue') return [{ path, queue: a.queue }];
    if (a?.type === 'flow') return [{ path, flow: a.flow }];
    return [];
  });
}

/** A saved edit that changes who may take which calls; the ACD re-syncs its live routing. */
export type RoutingChange = { kind: 'queue'; queue: string } | { kind: 'skills'; agentId: number };

const isDuplicate = (err: unknown) => (err as { code?: string }).code === 'ER_DUP_ENTRY';

/**
 * Queues (skill groups) and agent skills. Membership is by skill: an agent belongs to
 * every queue whose skill they hold at or above the queue's minLevel, and queue_agents
 * is rebuilt from that rule on every change of a queue or of an agent's skills.
 */
export class QueueService {
  private readonly listeners: Array<(change: RoutingChange) => Promise<void>> = [];

  constructor(private readonly d: QueueDeps) {}

  /** Called after every committed edit of a queue or of an agent's skills (the acd room listens). */
  onRoutingChange(listener: (change: RoutingChange) => Promise<void>): void {
    this.listeners.push(listener);
  }

  list(): Promise<StoredQueue[]> {
    return this.d.repo.list();
  }

  async get(name: string): Promise<StoredQueue> {
    const q = await this.d.repo.byName(name);
    if (!q) throw queueNotFound(name);
    return q;
  }

  async names(): Promise<string[]> {
    return (await this.d.repo.list()).map((q) => q.name);
  }

  async idOf(name: string): Promise<number | undefined> {
    return (await this.d.repo.byName(name))?.id;
  }

  /** Queues whose callback calling hours are this named schedule. */
  async usingSchedule(id: number): Promise<string[]> {
    return (await this.d.repo.list()).filter((q) => q.callback.hoursScheduleId === id).map((q) => q.name);
  }

  /** Queues whose overflow or diversions send callers to this flow. */
  async usingFlow(flow: string): Promise<string[]> {
    return (await this.d.repo.list()).filter((q) => queueTargets(q).some((t) => t.flow === flow)).map((q) => q.name);
  }

  async create(input: unknown): Promise<StoredQueue> {
    const body = await this.checked(input);
    try {
      await this.d.repo.transaction(async (trx) => {
        const id = await this.d.repo.insert(body, trx);
        await this.d.skills.syncQueues([{ queueId: id, skill: body.skill, minLevel: body.minLevel }], trx);
      });
    } catch (err) {
      if (isDuplicate(err)) throw conflict('queue-exists', `a queue named ${body.name} already exists`);
      throw err;
    }
    this.d.log.info({ queue: body.name, skill: body.skill }, 'queue created');
    await this.changed({ kind: 'queue', queue: body.name });
    return this.get(body.name);
  }

  /** Replaces the queue's settings. The name is the queue's identity and cannot change. */
  async update(name: string, input: unknown): Promise<StoredQueue> {
    const current = await this.get(name);
    const withName = isObject(input) && input.name === undefined ? { ...input, name } : input;
    const body = await this.checked(withName);
    if (body.name !== name) throw invalidQueue([{ path: '/name', code: 'rename', message: `must be ${name}: a queue cannot be renamed` }]);
    await this.d.repo.transaction(async (trx) => {
      await this.d.repo.update(current.id, body, trx);
      await this.d.skills.syncQueues([membershipRule({ ...body, id: current.id })], trx);
    });
    this.d.log.info({ queue: name, skill: body.skill, minLevel: body.minLevel }, 'queue updated');
    await this.changed({ kind: 'queue', queue: name });
    return this.get(name);
  }

  /** Refused while a DID, a flow or another queue still sends calls here, or callbacks wait in it. */
  async delete(name: string): Promise<void> {
    const q = await this.get(name);
    const users = [
      ...(await this.d.repo.didsUsing(q.id)).map((n) => `DID ${n}`),
      ...(await this.d.flows.usingQueue(name)).map((f) => `flow ${f}`),
      ...(await this.d.repo.list()).filter((o) => o.id !== q.id && queueTargets(o).some((t) => t.queue === name)).map((o) => `queue ${o.name}`),
    ];
    const callbacks = await this.d.openCallbacks(name);
    if (callbacks) users.push(`${callbacks} callback${callbacks === 1 ? '' : 's'} still to be made`);
    if (users.length) throw conflict('queue-in-use', `queue ${name} is still used by ${users.join(', ')}; route those elsewhere first`);
    await this.d.repo.delete(q.id);
    this.d.log.info({ queue: name }, 'queue deleted');
    await this.changed({ kind: 'queue', queue: name });
  }

  /** The queue's agents: those holding its skill at or above its minimum level, best first. */
  async members(name: string): Promise<SkillHolder[]> {
    const q = await this.get(name);
    return this.d.skills.holders(q.skill, q.minLevel);
  }

  /** Agents holding `skill` at any level (overflow may widen a queue down to level 1). */
  skillHolders(skill: string): Promise<SkillHolder[]> {
    return this.d.skills.holders(skill, 1);
  }

  async skillsOf(agentId: number): Promise<Skills> {
    await this.d.agents.get(agentId);
    return this.d.skills.of(agentId);
  }

  /** Replaces all of an agent's skills; their queues follow at once. */
  async setSkills(agentId: number, input: unknown): Promise<Skills> {
    await this.d.agents.get(agentId);
    if (!Value.Check(SkillsBody, input)) throw invalidSkills(schemaProblems(SkillsBody, input));
    const skills = input as Skills;
    await this.d.repo.transaction(async (trx) => {
      const queues = await this.d.repo.lockAll(trx);
      await this.d.skills.replace(agentId, skills, trx);
      await this.d.skills.syncAgent(agentId, queues.map(membershipRule), trx);
    });
    this.d.log.info({ agentId, skills }, 'agent skills set');
    await this.changed({ kind: 'skills', agentId });
    return this.d.skills.of(agentId);
  }

  /**
   * The edit is committed whatever happens here, so a listener's failure is logged, not
   * thrown: an error reply would make the admin think the edit was lost.
   */
  private async changed(change: RoutingChange): Promise<void> {
    for (const listener of this.listeners) {
      await listener(change).catch((err: Error) => this.d.log.error({ ...change, err: err.message }, 'live routing not updated after an edit'));
    }
  }

  /** Schema, then meaning: every queue and flow the queue sends callers to must exist. */
  private async checked(input: unknown): Promise<QueueBody> {
    if (!isObject(input)) throw invalidQueue([{ path: '', code: 'schema', message: 'expected a JSON object' }]);
    // Lenient on the two lists a simple queue leaves empty; everything else as the schema says.
    const candidate = withDefaults(QueueBody, { overflow: [], priority: {}, callback: {}, survey: {}, ...input });
    if (!Value.Check(QueueBody, candidate)) throw invalidQueue(schemaProblems(QueueBody, candidate));
    const body = candidate as QueueBody;
    const problems = await this.referenceProblems(body);
    if (problems.length) throw invalidQueue(problems);
    return body;
  }

  private async referenceProblems(body: QueueBody): Promise<ConfigProblem[]> {
    const targets = queueTargets(body);
    const queueNames = new Set(await this.names());
    const flowNames = new Set(targets.some((t) => t.flow) ? await this.d.flows.names() : []);
    const problems: ConfigProblem[] = [];
    const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
    for (const { path, queue, flow } of targets) {
      if (queue === body.name) add(path, 'self-reference', `sends callers back to this queue (${queue})`);
      else if (queue !== undefined && !queueNames.has(queue)) add(path, 'missing-queue', `names queue ${queue}, which does not exist`);
      if (flow !== undefined && !flowNames.has(flow)) add(path, 'missing-flow', `names flow ${flow}, which does not exist`);
    }
    if (body.exitKey?.to === 'voicemail' && !body.exitKey.mailbox) {
      add('/exitKey/mailbox', 'missing-mailbox', 'is required when the exit key leads to voicemail');
    }
    const { hours, hoursScheduleId } = body.callback;
    if (hours && hoursScheduleId !== undefined) add('/callback/hoursScheduleId', 'bad-schedule', 'give either hours or hoursScheduleId, not both');
    if (hoursScheduleId !== undefined && !(await this.d.schedules.exists(hoursScheduleId))) {
      add('/callback/hoursScheduleId', 'missing-schedule', `names schedule ${hoursScheduleId}, which does not exist`);
    }
    if (body.survey.promptId !== undefined && !(await this.d.prompts.exists(body.survey.promptId))) {
      add('/survey/promptId', 'missing-prompt', `names prompt ${body.survey.promptId}, which does not exist`);
    }
    return problems;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
