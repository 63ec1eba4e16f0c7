import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AgentRepository } from './agent-repository.js';
import { AgentService } from './agent-service.js';
import { AgentSetupService } from './agent-setup-service.js';
import { LiveAgents } from './live-agents.js';
import { DeviceTracker } from './device-tracker.js';
import { PauseReasonRepository } from './pause-reason-repository.js';
import { PauseReasonService } from './pause-reason-service.js';
import { SessionService } from './session-service.js';
import { StateLog } from './state-log.js';
import { HandledCallsQuery, StateLogRepository } from './state-log-repository.js';
import { DayService } from './day-service.js';
import { AgentLamp } from './agent-lamp.js';

export { AgentService } from './agent-service.js';
export { AgentSetupService } from './agent-setup-service.js';
export { SessionService, type Actor } from './session-service.js';
export { PauseReasonService } from './pause-reason-service.js';
export { DayService } from './day-service.js';
export type { AgentRecord } from './agent-repository.js';
export type { PauseReason } from './pause-reason-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    agents: AgentService;
    /** Adding, changing and removing agents (admin pages and API). */
    agentSetup: AgentSetupService;
    /** Log in (hot-desking), ready, pause with a reason, log out; phone PINs. */
    agentSessions: SessionService;
    pauseReasons: PauseReasonService;
    agentDays: DayService;
  }
}

async function agents(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ room: 'agents' });
  const repo = new AgentRepository(app.db);
  const live = new LiveAgents(app.redis);
  const logRepo = new StateLogRepository(app.db);
  const stateLog = new StateLog({ repo: logRepo, redis: app.redis, outbox: app.outbox, log });
  const service = new AgentService({ repo, live, bus: app.live, stateLog, log });
  const reasons = new PauseReasonService(new PauseReasonRepository(app.db));
  const phones = () => app.config.phones.map((p) => p.extension);
  service.sessions = new SessionService({ repo, live, agents: service, reasons, phones, log });
  app.decorate('agents', service);
  app.decorate('agentSessions', service.sessions);
  // The users room registers after this one; it is asked only when an admin links a user.
  app.decorate('agentSetup', new AgentSetupService({ repo, live, roleOf: async (id) => (await app.users.find(id))?.role, log }));
  app.decorate('pauseReasons', reasons);
  app.decorate('agentDays', new DayService({ repo, stateLog, logRepo, calls: new HandledCallsQuery(app.db), reasons, timezone: app.config.timezone }));
  new DeviceTracker({ pbx: app.pbx, repo, live, bus: app.live, log }).attach();
  const lamp = new AgentLamp({
    calls: app.calls, bus: app.live, log,
    agents: { list: () => repo.list(), get: (id) => repo.get(id), stateOf: async (id) => (await live.get(id)).state },
  });
  await lamp.attach();
  app.addHook('onClose', () => stateLog.drain());

  // Until the agent desk exists, the demo can name agents that are logged in and ready at boot.
  app.addHook('onReady', async () => {
    for (const extension of app.config.demo.readyAgents) {
      const agent = await repo.byExtension(extension);
      if (agent && (await live.get(agent.id)).state === 'logged_out') await service.sessions.login(agent.id, {}, 'demo-config');
    }
  });
}

export default fp(agents, { name: 'agents', dependencies: ['core', 'live', 'telephony'] });
