import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { FlowRepository } from './flow-repository.js';
import { FlowService } from './flow-service.js';
import { PromptRepository } from './prompt-repository.js';
import { ASTERISK_SOUNDS_DIR, PromptService } from './prompt-service.js';
import { ChannelWatch } from './channel-watch.js';
import { IvrService } from './ivr-service.js';

export { FlowService, flowNotFound } from './flow-service.js';
export { IvrService, type IvrRun } from './ivr-service.js';
export { CallerGone, type IvrIo, type IvrLanguage } from './ivr-io.js';
export { isOpen } from './business-hours.js';
export type { Schedule } from './schemas.js';
export type { FlowOutcome, PathEntry } from './schemas.js';
export { PromptService, ASTERISK_SOUNDS_DIR } from './prompt-service.js';
export type { DidRoute } from './flow-repository.js';
export type { PromptRecord, PromptLanguage } from './prompt-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    flows: FlowService;
    prompts: PromptService;
    /** Runs callers through flows on their channels. */
    ivr: IvrService;
  }
}

/** Flows, prompts and the DIDs that enter them. Call handling in flows is wired elsewhere. */
async function ivr(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'ivr' });
  // Prompts and flows know each other: a flow plays prompts, and an uploaded prompt
  // may not be deleted while a flow plays it. The closure is only called after both exist.
  const prompts = new PromptService({
    repo: new PromptRepository(app.db),
    soundsDir: asteriskHostPath(app.config, ASTERISK_SOUNDS_DIR),
    usedBy: (id: number): Promise<string[]> => flows.usingUpload(id),
    log,
  });
  const flows: FlowService = new FlowService({
    repo: new FlowRepository(app.db),
    prompts,
    queues: app.queues,
    agents: { numbers: async () => (await app.agents.listWithDevices()).map((a) => a.number) },
    log,
  });
  app.decorate('prompts', prompts);
  app.decorate('flows', flows);
  app.decorate('ivr', new IvrService({ calls: app.calls, flows, prompts, watch: new ChannelWatch(app.calls), log }));
}

export default fp(ivr, { name: 'ivr', dependencies: ['core', 'telephony', 'agents', 'acd-queues'] });
