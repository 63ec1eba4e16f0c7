import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { asteriskHostPath } from '../core/config.js';
import { FlowRepository } from './flow-repository.js';
import { FlowService } from './flow-service.js';
import { PromptRepository } from './prompt-repository.js';
import { ASTERISK_SOUNDS_DIR, PromptService } from './prompt-service.js';
import { ChannelWatch } from './channel-watch.js';
import { IvrService } from './ivr-service.js';
import { DidRepository } from './did-repository.js';
import { DidService } from './did-service.js';
import { ScheduleRepository } from './schedule-repository.js';
import { ScheduleService } from './schedule-service.js';

export { FlowService, flowNotFound } from './flow-service.js';
export { IvrService, type IvrRun } from './ivr-service.js';
export { CallerGone, type IvrIo, type IvrLanguage } from './ivr-io.js';
export { isOpen } from './business-hours.js';
export type { Schedule } from './schemas.js';
export type { FlowOutcome, PathEntry } from './schemas.js';
export { PromptService, ASTERISK_SOUNDS_DIR } from './prompt-service.js';
export type { DidRoute } from './did-repository.js';
export { DidService, DidSettings, NewDid } from './did-service.js';
export { ScheduleService } from './schedule-service.js';
export { ScheduleBody, type NamedSchedule } from './schemas.js';
export type { PromptRecord, PromptLanguage } from './prompt-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    flows: FlowService;
    prompts: PromptService;
    /** Numbers (DIDs): where their calls go, recording, consent announcement. */
    dids: DidService;
    /** Named business hours with holidays, which flows' hours steps may use. */
    schedules: ScheduleService;
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
    numbersUsing: (id: number): Promise<string[]> => dids.usingPrompt(id),
    log,
  });
  const schedules = new ScheduleService({
    repo: new ScheduleRepository(app.db),
    usedBy: async (id) => [
      ...(await flows.usingSchedule(id)).map((f) => `flow ${f}`),
      ...(await app.queues.usingSchedule(id)).map((q) => `queue ${q}`),
    ],
    changed: (id) => app.live.publish('schedules', { id }),
    log,
  });
  await app.live.subscribe('schedules', (p) => schedules.forget(Number((p as { id?: unknown }).id)));
  const flows: FlowService = new FlowService({
    repo: new FlowRepository(app.db),
    prompts,
    queues: app.queues,
    agents: { numbers: async () => (await app.agents.listWithDevices()).map((a) => a.number) },
    scheduleIds: async () => (await schedules.list()).map((s) => s.id),
    log,
  });
  const dids = new DidService({
    repo: new DidRepository(app.db),
    flowId: async (name) => (await flows.get(name).catch(() => undefined))?.id,
    queueId: (name) => app.queues.idOf(name),
    prompts,
    log,
  });
  app.decorate('prompts', prompts);
  app.decorate('flows', flows);
  app.decorate('dids', dids);
  app.decorate('schedules', schedules);
  app.decorate('ivr', new IvrService({ calls: app.calls, flows, prompts, schedules, watch: new ChannelWatch(app.calls), log }));
}

export default fp(ivr, { name: 'ivr', dependencies: ['core', 'live', 'telephony', 'agents', 'acd-queues'] });
