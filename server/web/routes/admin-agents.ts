import type { FastifyInstance } from 'fastify';
import { AGENT_STATES, type AgentStateUpdate, type AgentView, type DeviceUpdate } from '../../agents/schemas.js';
import { t, type Locale } from '../i18n/index.js';
import { requireRole } from '../plugins/auth.js';

/** Labels the live script needs to write translated text into cells it updates. */
function liveLabels(locale: Locale): Record<string, unknown> {
  return {
    states: Object.fromEntries(AGENT_STATES.map((s) => [s, t(locale, `agents.state.${s}`)])),
    registeredYes: t(locale, 'agents.registered.yes'),
    registeredNo: t(locale, 'agents.registered.no'),
  };
}

function row(agent: AgentView, locale: Locale) {
  return {
    id: agent.id,
    number: agent.number,
    name: agent.name,
    extension: agent.extension,
    state: agent.state,
    stateLabel: t(locale, `agents.state.${agent.state}`),
    registered: agent.registered,
    registeredLabel: t(locale, agent.registered ? 'agents.registered.yes' : 'agents.registered.no'),
  };
}

// Only these fields go to the browser, whatever else a publisher puts on the bus.
const deviceEvent = (d: DeviceUpdate) => ({ extension: d.extension, registered: d.registered, deviceState: d.deviceState });
const agentEvent = (a: AgentStateUpdate) => ({ agentId: a.agentId, state: a.state, since: a.since, pauseReason: a.pauseReason });
const snapshotEvent = (agents: AgentView[]) =>
  agents.map((a) => ({ id: a.id, extension: a.extension, state: a.state, registered: a.registered }));

/** GET /admin/agents (the board) and GET /admin/agents/events (its live feed). */
export default async function adminAgentsRoutes(app: FastifyInstance): Promise<void> {
  const guard = requireRole('admin', 'supervisor');

  app.get('/admin/agents', { onRequest: guard }, async (request, reply) => {
    const agents = await app.agents.listWithDevices();
    return reply.page('admin/agents', {
      titleKey: 'agents.title',
      agents: agents.map((a) => row(a, request.locale)),
      labelsJson: JSON.stringify(liveLabels(request.locale)),
      scripts: ['agents-live.js', 'monitor-actions.js'],
    });
  });

  app.get('/admin/agents/events', { onRequest: guard }, async (request, reply) => {
    const stream = reply.eventStream();
    // Subscribe first, then send the snapshot: a change landing between the two
    // is sent twice (harmless) rather than lost.
    const unsubscribers = await Promise.all([
      app.live.subscribe('devices', (p) => stream.send('device', deviceEvent(p as DeviceUpdate))),
      app.live.subscribe('agents', (p) => stream.send('agent', agentEvent(p as AgentStateUpdate))),
    ]);
    stream.onClose(() => unsubscribers.forEach((unsubscribe) => unsubscribe()));
    try {
      stream.send('snapshot', snapshotEvent(await app.agents.listWithDevices()));
    } catch (err) {
      // The page already shows the rendered state; live updates still flow without the snapshot.
      request.log.warn({ err: (err as Error).message }, 'agents snapshot for event stream failed');
    }
  });
}
