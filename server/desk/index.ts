import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { DispositionRepository } from './disposition-repository.js';
import { DispositionService } from './disposition-service.js';
import { CardService } from './card-service.js';
import { WrapUpService } from './wrap-up-service.js';
import { DeskFeed } from './desk-feed.js';
import type { CallFacts } from './card-builder.js';
import { crmSource } from './crm-source.js';
import { CallAccess } from './call-access.js';

export { DispositionService } from './disposition-service.js';
// Pure: the interaction records page shows the IVR path the way the screen pop does.
export { ivrSteps } from './card-builder.js';
export type { WrapUpActor } from './wrap-up-service.js';

export interface Desk {
  dispositions: DispositionService;
  cards: CardService;
  wrapUp: WrapUpService;
  feed: DeskFeed;
}

declare module 'fastify' {
  interface FastifyInstance {
    desk: Desk;
  }
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

async function desk(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'desk' });
  const dispositions = new DispositionService(new DispositionRepository(app.db));
  const liveCall = async (id: string): Promise<CallFacts | undefined> => {
    const c = await app.acd.snapshot(id);
    if (!c) return undefined;
    return {
      interactionId: c.id, direction: c.direction ?? 'inbound', callerNumber: c.callerNumber, callerName: c.callerName ?? null, did: c.did,
      queue: c.queue || null, enteredAt: c.enteredAt, queuedAt: c.queuedAt ?? null, ivrPath: c.ivrPath, attrs: c.attrs,
    };
  };
  const storedCall = async (id: string): Promise<CallFacts | undefined> => {
    const r = await app.interactions.get(id);
    if (!r) return undefined;
    return {
      interactionId: r.id, direction: r.direction, callerNumber: r.caller_number, callerName: r.caller_name, did: r.did,
      queue: r.queue, enteredAt: iso(r.entered_at) as string, queuedAt: iso(r.queued_at), ivrPath: r.ivr_path, attrs: r.attrs,
    };
  };
  const access = new CallAccess({ interactions: app.interactions, agents: app.agents });
  const cards = new CardService({ redis: app.redis, liveCall, storedCall, dispositions, customers: crmSource(app.crm), access, bus: app.live, log });
  const wrapUp = new WrapUpService({ interactions: app.interactions, agents: app.agents, dispositions, access, bus: app.live, log });
  app.decorate('desk', { dispositions, cards, wrapUp, feed: new DeskFeed({ bus: app.live, agents: app.agents, cards, log }) });
}

export default fp(desk, { name: 'desk', dependencies: ['core', 'live', 'agents', 'interactions', 'acd', 'crm'] });
