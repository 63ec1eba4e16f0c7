import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { BOARD_STATES, type FloorSnapshot } from '../../wallboard/index.js';
import { AGENT_STATES } from '../../agents/schemas.js';
import type { AlertNotice } from '../../alerts/index.js';
import { t, type Locale } from '../i18n/index.js';
import { requireRole } from '../plugins/auth.js';
import { alertRow, agentRow, queueCard } from './wallboard-view.js';

/** Texts the page scripts write into cells they update (they never build markup from data). */
function liveLabels(locale: Locale): Record<string, unknown> {
  return {
    states: Object.fromEntries(AGENT_STATES.map((s) => [s, t(locale, `agents.state.${s}`)])),
    boardStates: Object.fromEntries(BOARD_STATES.map((s) => [s, t(locale, `wallboard.agents.${s}`)])),
    registeredYes: t(locale, 'agents.registered.yes'),
    registeredNo: t(locale, 'agents.registered.no'),
    ringing: t(locale, 'wallboard.supervisor.call.ringing'),
    alertKinds: Object.fromEntries(['waiting_over', 'longest_wait_over', 'service_level_under', 'agent_paused_over', 'phone_unregistered'].map((k) => [k, t(locale, `alerts.kind.${k}`)])),
    none: '—',
  };
}

const TvQuery = Type.Object({ tv: Type.Optional(Type.String({ maxLength: 8 })) });

/**
 * GET /wallboard (and /wallboard/tv, the large-screen mode), GET /supervisor/agents, and
 * their one live feed GET /wallboard/events: a whole floor snapshot on connect (so a
 * reconnecting page is right at once) and after every change, plus alerts as they come.
 */
export default async function wallboardRoutes(app: FastifyInstance): Promise<void> {
  const guard = requireRole('admin', 'supervisor');

  const board = async (request: FastifyRequest, reply: FastifyReply, tv: boolean) => {
    const [snap, alerts] = await Promise.all([app.wallboard.snapshot(), app.alerts.active()]);
    const locale = request.locale;
    return reply.page('wallboard/board', {
      titleKey: 'wallboard.title', tv, bare: tv, bodyClass: tv ? 'tv' : undefined, styles: ['wallboard.css'],
      day: snap.day, emptyCard: {}, queues: snap.queues.map((q) => queueCard(q, snap.at)), alerts: alerts.map((a) => alertRow(a, locale)),
      labelsJson: JSON.stringify(liveLabels(locale)), scripts: ['live-feed.js', 'wallboard-live.js'],
    });
  };

  app.get<{ Querystring: Static<typeof TvQuery> }>('/wallboard', { onRequest: guard, schema: { querystring: TvQuery } }, async (request, reply) =>
    board(request, reply, request.query.tv === '1' || request.query.tv === 'true'));
  app.get('/wallboard/tv', { onRequest: guard }, async (request, reply) => board(request, reply, true));

  app.get('/supervisor/agents', { onRequest: guard }, async (request, reply) => {
    const [snap, alerts] = await Promise.all([app.wallboard.snapshot(), app.alerts.active()]);
    return reply.page('supervisor/agents', {
      titleKey: 'wallboard.supervisor.title', styles: ['wallboard.css'],
      agents: snap.agents.map((a) => agentRow(a, request.locale)), alerts: alerts.map((a) => alertRow(a, request.locale)),
      labelsJson: JSON.stringify(liveLabels(request.locale)), scripts: ['live-feed.js', 'supervisor-agents-live.js', 'monitor-actions.js'],
    });
  });

  app.get('/wallboard/events', { onRequest: guard }, async (request, reply) => {
    const stream = reply.eventStream();
    // Subscribe first, then send the snapshot: a change between the two is sent twice, never lost.
    const unsubscribers = await Promise.all([
      app.wallboard.watch((snap: FloorSnapshot) => stream.send('board', snap)),
      app.live.subscribe('alerts', (p) => stream.send('alert', p as AlertNotice)),
    ]);
    stream.onClose(() => unsubscribers.forEach((u) => u()));
    try {
      const [snap, alerts] = await Promise.all([app.wallboard.snapshot(), app.alerts.active()]);
      stream.send('board', snap);
      stream.send('alerts', alerts);
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'wallboard snapshot for event stream failed');
    }
  });
}
