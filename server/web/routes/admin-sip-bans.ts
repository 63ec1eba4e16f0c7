import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppError } from '../../core/errors.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';

// The SIP bans page: who is banned now and why, lift one, ban an address by hand, and the
// recent history. Plain forms (CSRF-checked) to the same service as /api/v1/sip-bans.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const BanForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  address: Type.String({ maxLength: 64 }),
  minutes: Type.String({ maxLength: 8 }),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
});
type BanForm = Static<typeof BanForm>;
const LiftForm = Type.Object({ _csrf: Type.Optional(Type.String()) });

export default async function adminSipBansRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean } = {}, status = 200) => {
    const [all, firewall] = await Promise.all([app.sipGuard.list('all'), app.sipGuard.firewallStatus()]);
    const cfg = app.config.sipGuard;
    return reply.page('admin/sip-bans', {
      titleKey: 'sipBans.title', active: all.filter((b) => b.active), history: all.filter((b) => !b.active).slice(0, 100),
      // A count as text: 0 dropped packets is a fact to show, not a missing value.
      firewall: { ...firewall, nftables: firewall.backend === 'nftables', dropped: 'dropped' in firewall && firewall.dropped !== null ? String(firewall.dropped) : '' },
      rule: { failures: cfg.maxFailures, windowMin: Math.round(cfg.windowSec / 60), banMin: Math.round(cfg.banSec / 60) },
      csrfToken: reply.generateCsrf(), ...extra,
    }, status);
  };
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err as AppError).code) throw err;
    return page(reply, { problem: (err as AppError).message }, (err as AppError).statusCode);
  };

  app.get<{ Querystring: { saved?: string } }>('/admin/sip-bans', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: BanForm }>('/admin/sip-bans', { ...post, schema: { body: BanForm } }, async (request, reply) => {
    const minutes = Number(request.body.minutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 43200) return page(reply, { problem: t(request.locale, 'sipBans.badMinutes') }, 422);
    try {
      await app.sipGuard.banByHand({ address: request.body.address, minutes, reason: request.body.reason }, currentUser(request).username);
      return reply.redirect('/admin/sip-bans?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: Static<typeof IdParams> }>('/admin/sip-bans/:id/lift', { ...post, schema: { params: IdParams, body: LiftForm } }, async (request, reply) => {
    try {
      await app.sipGuard.lift(request.params.id, currentUser(request).username);
      return reply.redirect('/admin/sip-bans?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });
}
