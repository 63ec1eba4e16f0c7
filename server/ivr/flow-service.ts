import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { withDefaults as defaultsKeepingKinds } from '../core/validate.js';
import { conflict, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { invalidFlow } from './errors.js';
import { assertValidFlow, type FlowContext, type FlowProblem } from './flow-validation.js';
import type { FlowRepository } from './flow-repository.js';
import { promptsOfStep, type PromptService } from './prompt-service.js';
import { FlowBody, Step, type Flow } from './schemas.js';

/** What flows need to know of queues; the acd room answers it. */
export interface QueueDirectory {
  names(): Promise<string[]>;
  idOf(name: string): Promise<number | undefined>;
  /** Queues whose overflow or diversions send callers to this flow. */
  usingFlow(flow: string): Promise<string[]>;
}

export interface FlowDeps {
  repo: FlowRepository;
  prompts: Pick<PromptService, 'warm' | 'list'>;
  queues: QueueDirectory;
  agents: { numbers(): Promise<string[]> };
  /** Ids of the named schedules an hours step may use. */
  scheduleIds(): Promise<number[]>;
  log: Logger;
}

export const flowNotFound = (name: string) => notFound('flow-not-found', `no flow named ${name}`);

// The Step union's errors only say "no branch matched"; checking a step against the
// schema of its own `type` names the field that is wrong.
const STEP_SCHEMAS = new Map<string, TSchema>(Step.anyOf.map((s) => [String(s.properties.type.const), s]));

function schemaProblems(input: unknown): FlowProblem[] {
  const problems = new Map<string, FlowProblem>();
  const add = (path: string, message: string) => {
    const step = /^\/steps\/([^/]+)/.exec(path)?.[1];
    if (!problems.has(path)) problems.set(path, { ...(step ? { step } : {}), code: 'schema', message: `${path || '/'}: ${message}` });
  };
  const steps = (input as { steps?: unknown }).steps;
  for (const [id, step] of Object.entries(isObject(steps) ? steps : {})) {
    const schema = STEP_SCHEMAS.get(String((step as { type?: unknown })?.type));
    if (!schema) add(`/steps/${id}/type`, `must be one of ${[...STEP_SCHEMAS.keys()].join(', ')}`);
    else for (const e of Value.Errors(schema, step)) add(`/steps/${id}${e.path}`, e.message);
  }
  for (const e of Value.Errors(FlowBody, input)) if (!e.path.startsWith('/steps/')) add(e.path, e.message);
  return [...problems.values()].slice(0, 30);
}

/** The schema's defaults, step by step: TypeBox fills no defaults inside a union. */
function withDefaults(input: Record<string, unknown>): unknown {
  const body = structuredClone(input);
  if (isObject(body.steps)) {
    const steps = body.steps;
    for (const [id, step] of Object.entries(steps)) {
      const schema = STEP_SCHEMAS.get(String((step as { type?: unknown })?.type));
      if (schema && isObject(step)) steps[id] = defaultsKeepingKinds(schema, step);
    }
  }
  return defaultsKeepingKinds(FlowBody, body);
}

/** Flows: stored, versioned, and checked for meaning before every save. */
export class FlowService {
  constructor(private readonly d: FlowDeps) {}

  list(): Promise<Flow[]> {
    return this.d.repo.list();
  }

  async get(name: string): Promise<Flow> {
    const flow = await this.d.repo.byName(name);
    if (!flow) throw flowNotFound(name);
    return flow;
  }

  async getById(id: number): Promise<Flow> {
    const flow = await this.d.repo.byId(id);
    if (!flow) throw notFound('flow-not-found', `no flow with id ${id}`);
    return flow;
  }

  async names(): Promise<string[]> {
    return (await this.d.repo.list()).map((f) => f.name);
  }

  /** Flows with a step that hands calls to this queue. */
  async usingQueue(queue: string): Promise<string[]> {
    return (await this.d.repo.list()).filter((f) => Object.values(f.steps).some((s) => s.type === 'queue' && s.queue === queue)).map((f) => f.name);
  }

  /** Flows with an hours step that names this schedule. */
  async usingSchedule(id: number): Promise<string[]> {
    return (await this.d.repo.list()).filter((f) => Object.values(f.steps).some((s) => s.type === 'hours' && s.scheduleId === id)).map((f) => f.name);
  }

  /** Flows that play this uploaded prompt. */
  async usingUpload(promptId: number): Promise<string[]> {
    const plays = (f: Flow) => Object.values(f.steps).some((s) => promptsOfStep(s).some((p) => 'upload' in p && p.upload === promptId));
    return (await this.d.repo.list()).filter(plays).map((f) => f.name);
  }

  async create(input: unknown): Promise<Flow> {
    const body = await this.checked(input);
    if (await this.d.repo.byName(body.name)) throw conflict('flow-exists', `a flow named ${body.name} already exists`);
    try {
      await this.d.repo.insert(body);
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw conflict('flow-exists', `a flow named ${body.name} already exists`);
      throw err;
    }
    this.d.log.info({ flow: body.name }, 'flow created');
    await this.d.prompts.warm(body);
    return this.get(body.name);
  }

  /**
   * Saves a new version of the flow; the name cannot change, since other flows, queues
   * and DIDs refer to it. With `expectedVersion`, a save over someone else's is refused.
   */
  async update(name: string, input: unknown, expectedVersion?: number): Promise<Flow> {
    const current = await this.get(name);
    const body = await this.checked(isObject(input) && input.name === undefined ? { ...input, name } : input);
    if (body.name !== name) throw invalidFlow(name, [{ code: 'rename', message: `The name must stay "${name}": a flow cannot be renamed.` }]);
    if (!(await this.d.repo.update(current.id, body, expectedVersion))) {
      throw conflict('flow-version-conflict', `flow ${name} was saved by someone else since version ${expectedVersion}; reload it and try again`);
    }
    const saved = await this.get(name);
    this.d.log.info({ flow: name, version: saved.version }, 'flow saved');
    await this.d.prompts.warm(body);
    return saved;
  }

  /** Refused while a DID, another flow or a queue still sends calls into it. */
  async delete(name: string): Promise<void> {
    const flow = await this.get(name);
    const others = (await this.d.repo.list()).filter((f) => f.name !== name && Object.values(f.steps).some((s) => s.type === 'flow' && s.flow === name));
    const users = [
      ...(await this.d.repo.didsUsing(flow.id)).map((n) => `DID ${n}`),
      ...others.map((f) => `flow ${f.name}`),
      ...(await this.d.queues.usingFlow(name)).map((q) => `queue ${q}`),
    ];
    if (users.length) throw conflict('flow-in-use', `flow ${name} is still used by ${users.join(', ')}; route those elsewhere first`);
    await this.d.repo.delete(flow.id);
    this.d.log.info({ flow: name }, 'flow deleted');
  }

  /** The schema first (with its defaults), then meaning against what is stored now. */
  private async checked(input: unknown): Promise<FlowBody> {
    const name = isObject(input) && typeof input.name === 'string' ? input.name : '(unnamed)';
    if (!isObject(input)) throw invalidFlow(name, [{ code: 'schema', message: '/: expected a JSON object' }]);
    const body = withDefaults(input);
    if (!Value.Check(FlowBody, body)) throw invalidFlow(name, schemaProblems(body));
    assertValidFlow(body, await this.context());
    return body;
  }

  private async context(): Promise<FlowContext> {
    const [queues, flows, agents, prompts, schedules] = await Promise.all([
      this.d.queues.names(), this.d.repo.list(), this.d.agents.numbers(), this.d.prompts.list(), this.d.scheduleIds(),
    ]);
    const scheduleSet = new Set(schedules);
    const queueSet = new Set(queues);
    const flowMap = new Map<string, FlowBody>(flows.map((f) => [f.name, f]));
    const agentSet = new Set(agents);
    const uploads = new Set(prompts.filter((p) => p.kind === 'upload').map((p) => p.id));
    return {
      queueExists: (n) => queueSet.has(n),
      flowExists: (n) => flowMap.has(n),
      agentExists: (n) => agentSet.has(n),
      uploadExists: (id) => uploads.has(id),
      scheduleExists: (id) => scheduleSet.has(id),
      flows: (n) => flowMap.get(n),
    };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
