import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { SkillRepository } from '../agents/skill-repository.js';
import { QueueRepository } from './queue-repository.js';
import { QueueService, type FlowDirectory } from './queue-service.js';
import { CallbackRepository } from './callbacks/callback-repository.js';

export { QueueService, queueTargets, SkillsBody, type ConfigProblem, type RoutingChange } from './queue-service.js';
export type { StoredQueue } from './queue-repository.js';
export type { SkillHolder } from '../agents/skill-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Queue (skill group) settings and agent skills; the ACD's own wiring stays in index.ts. */
    queues: QueueService;
  }
}

/** Only "no such prompt" is an answer; a database failure is an error, not a missing prompt. */
async function promptExists(app: FastifyInstance, id: number): Promise<boolean> {
  try {
    await app.getDecorator<{ get(id: number): Promise<unknown> }>('prompts').get(id);
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/**
 * Queue configuration, kept apart from the ACD's call handling in index.ts. Queues and
 * flows name each other (overflow to a flow, a flow step into a queue), so the flow
 * directory is looked up when used: the ivr room registers after this one.
 */
async function acdQueues(app: FastifyInstance): Promise<void> {
  const flows: FlowDirectory = {
    names: () => app.getDecorator<FlowDirectory>('flows').names(),
    usingQueue: (queue) => app.getDecorator<FlowDirectory>('flows').usingQueue(queue),
  };
  const callbacks = new CallbackRepository(app.db);
  app.decorate('queues', new QueueService({
    repo: new QueueRepository(app.db),
    skills: new SkillRepository(app.db),
    flows,
    agents: app.agents,
    prompts: { exists: (id) => promptExists(app, id) },
    schedules: { exists: async (id) => (await app.getDecorator<{ list(): Promise<Array<{ id: number }>> }>('schedules').list()).some((s) => s.id === id) },
    openCallbacks: (queue) => callbacks.openIn(queue),
    log: app.log.child({ room: 'acd-queues' }),
  }));
}

export default fp(acdQueues, { name: 'acd-queues', dependencies: ['core', 'agents'] });
