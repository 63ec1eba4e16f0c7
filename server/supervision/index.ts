import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { LiveMonitors } from './live-monitors.js';
import { MonitorService } from './monitor-service.js';
import { ForceService } from './force-service.js';
import { MonitorStasisHandler } from './stasis-handler.js';

export { MonitorService, type Requester } from './monitor-service.js';
export { ForceService } from './force-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    monitors: MonitorService;
    force: ForceService;
  }
}

async function supervision(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'supervision' });
  const live = new LiveMonitors(app.redis);
  const monitors = new MonitorService({
    calls: app.calls, live, audit: app.audit, bus: app.live, log,
    liveCall: (id) => app.acd.deps.live.get(id),
    agentCall: async (agentId) => {
      const cur = await app.agents.liveState(agentId);
      return cur.state === 'on_call' ? cur.interactionId : undefined;
    },
    agentExtension: async (agentId) => (await app.agents.get(agentId).catch(() => undefined))?.extension,
  });
  app.decorate('monitors', monitors);
  app.decorate('force', new ForceService({ agents: app.agents, audit: app.audit }));
  new MonitorStasisHandler({ calls: app.calls, monitors, live, log }).attach();
}

export default fp(supervision, { name: 'supervision', dependencies: ['core', 'live', 'telephony', 'agents', 'acd', 'audit'] });
