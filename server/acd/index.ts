import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AcdRepository } from './acd-repository.js';
import { AcdService } from './acd-service.js';
import { LiveCalls } from './live-calls.js';
import { AcdStasisHandler } from './stasis-handler.js';
import type { AgentStateUpdate } from '../agents/schemas.js';

export { AcdService } from './acd-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    acd: AcdService;
  }
}

async function acd(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'acd' });
  const live = new LiveCalls(app.redis);
  const { routing, instanceName } = app.config;
  const service = new AcdService({
    calls: app.calls, agents: app.agents, interactions: app.interactions, recordings: app.recordings,
    repo: new AcdRepository(app.db), live, log,
    settings: { greeting: routing.greeting, ringTimeoutSec: routing.ringTimeoutSec, wrapUpSec: routing.wrapUpSec, instanceName },
  });
  app.decorate('acd', service);
  new AcdStasisHandler({ calls: app.calls, acd: service, live, log }).attach();

  const safeMatch = () => (app.calls.isUp() ? service.match().catch((err: Error) => log.warn({ err: err.message }, 'match failed')) : undefined);
  // An agent turning ready on any instance is a reason to match now, not at the next tick.
  await app.live.subscribe('agents', (u) => {
    if ((u as AgentStateUpdate).state === 'ready') void safeMatch();
  });
  await app.live.subscribe('devices', () => void safeMatch());
  const tick = setInterval(() => void safeMatch(), routing.matchTickMs);
  tick.unref();
  app.addHook('onClose', async () => clearInterval(tick));
}

export default fp(acd, { name: 'acd', dependencies: ['core', 'live', 'telephony', 'agents', 'interactions', 'recordings'] });
