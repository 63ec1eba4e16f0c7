import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AgentsStasisHandler } from './stasis-handler.js';

/**
 * Feature codes from desk phones. Registered after the IVR room, whose caller I/O the
 * dialogs use; the IVR itself needs the agents room, hence a plugin of its own.
 */
async function agentsPhone(app: FastifyInstance): Promise<void> {
  const sessions = app.agentSessions;
  const actor = (phone: string) => `phone ${phone}`;
  new AgentsStasisHandler({
    calls: app.calls,
    withIo: (channelId, fn) => app.ivr.withIo(channelId, fn),
    log: app.log.child({ room: 'agents', part: 'feature-codes' }),
    sessions: {
      agentAt: (phone) => sessions.agentAt(phone),
      checkPin: (number, pin) => sessions.checkPin(number, pin),
      login: async (agentId, phone) => void (await sessions.login(agentId, { phone }, actor(phone))),
      ready: async (agentId) => void (await sessions.ready(agentId, 'phone')),
      pause: async (agentId, reason) => void (await sessions.pause(agentId, reason.name, 'phone')),
      logout: async (agentId) => void (await sessions.logout(agentId, 'phone')),
      reason: (code) => app.pauseReasons.lookup(code),
    },
  }).attach();
}

export default fp(agentsPhone, { name: 'agents-phone', dependencies: ['agents', 'ivr', 'telephony'] });
