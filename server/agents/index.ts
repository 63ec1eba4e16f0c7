import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AgentRepository } from './agent-repository.js';
import { AgentService } from './agent-service.js';
import { LiveAgents } from './live-agents.js';
import { DeviceTracker } from './device-tracker.js';

export { AgentService } from './agent-service.js';
export type { AgentRecord } from './agent-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    agents: AgentService;
  }
}

async function agents(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'agents' });
  const repo = new AgentRepository(app.db);
  const live = new LiveAgents(app.redis);
  app.decorate('agents', new AgentService({ repo, live, bus: app.live, log }));
  new DeviceTracker({ pbx: app.pbx, repo, live, bus: app.live, log }).attach();

  // Until the agent desk exists, the demo can name agents that are logged in and ready at boot.
  app.addHook('onReady', async () => {
    for (const extension of app.config.demo.readyAgents) {
      const agent = await repo.byExtension(extension);
      if (agent && (await live.get(agent.id)).state === 'logged_out') await app.agents.move(agent.id, 'logged_out', 'ready', { actor: 'demo-config' });
    }
  });
}

export default fp(agents, { name: 'agents', dependencies: ['core', 'live', 'telephony'] });
