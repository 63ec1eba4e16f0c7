import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AGENT_STATES } from '../../agents/schemas.js';
import { noAgentForUser } from '../../desk/errors.js';
import { LEVELS } from '../../crm/index.js';
import { t, catalogKeys, type Locale } from '../i18n/index.js';
import { currentUser, requireRole } from '../plugins/auth.js';

/** The desk's strings the script writes into the page (every desk.* key, and the state names). */
function deskLabels(locale: Locale): Record<string, unknown> {
  const keys = catalogKeys('en').filter((k) => k.startsWith('desk.'));
  return {
    ...Object.fromEntries(keys.map((k) => [k.slice('desk.'.length), t(locale, k)])),
    states: Object.fromEntries(AGENT_STATES.map((s) => [s, t(locale, `agents.state.${s}`)])),
    levels: Object.fromEntries(LEVELS.map((l) => [l, t(locale, `crm.level.${l}`)])),
  };
}

/** The agent a desk request is for: the signed-in agent's own. */
export async function deskAgentId(app: FastifyInstance, request: FastifyRequest): Promise<number> {
  const agent = await app.agents.byUser(currentUser(request).id);
  if (!agent) throw noAgentForUser();
  return agent.id;
}

/** GET /desk (the agent's page beside the desk phone) and GET /desk/events (its live feed). */
export default async function deskRoutes(app: FastifyInstance): Promise<void> {
  const guard = requireRole('agent');

  app.get('/desk', { onRequest: guard }, async (request, reply) => {
    const agentId = await deskAgentId(app, request);
    const agent = await app.agents.get(agentId);
    return reply.page('desk/desk', {
      titleKey: 'desk.title',
      agent,
      stateLabel: t(request.locale, `agents.state.${agent.state}`),
      labelsJson: JSON.stringify(deskLabels(request.locale)),
      levels: LEVELS.map((code) => ({ code, label: t(request.locale, `crm.level.${code}`) })),
      // The reasons an agent may pick; the system's own (no-answer) is set by the ACD only.
      pauseReasons: (await app.pauseReasons.list()).filter((r) => r.active && !r.system).map((r) => ({ code: r.name, label: r.label })),
      scripts: ['desk.js'],
    });
  });

  app.get('/desk/events', { onRequest: guard }, async (request, reply) => {
    const agentId = await deskAgentId(app, request);
    const stream = reply.eventStream();
    const close = await app.desk.feed.open(agentId, (event, data) => stream.send(event, data));
    stream.onClose(close);
  });
}
