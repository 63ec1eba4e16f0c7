import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ALERT_KINDS, type AlertRule } from '../../alerts/index.js';
import type { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';
import type { Locale } from '../i18n/index.js';
import { t } from '../i18n/index.js';

const RuleForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.String({ maxLength: 200 }),
  kind: Type.String({ maxLength: 40 }),
  queue: Type.Optional(Type.String({ maxLength: 64 })),
  threshold: Type.Optional(Type.String({ maxLength: 20 })),
  enabled: Type.Optional(Type.String()),
  notifyWebhook: Type.Optional(Type.String()),
  notifyEmail: Type.Optional(Type.String()),
});
type RuleForm = Static<typeof RuleForm>;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** A rule body from the form; the service checks it and answers with what is wrong. */
const fromForm = (f: RuleForm) => ({
  name: f.name.trim(), kind: f.kind, queue: f.queue ? f.queue : null, threshold: f.threshold?.trim() ? Number(f.threshold) : 0,
  enabled: f.enabled === 'on', notifyWebhook: f.notifyWebhook === 'on', notifyEmail: f.notifyEmail === 'on',
});

function ruleRow(r: AlertRule, queues: string[], locale: Locale) {
  return {
    ...r, kindLabel: t(locale, `alerts.kind.${r.kind}`), queueLabel: r.queue ?? t(locale, 'alerts.everyQueue'),
    kinds: ALERT_KINDS.map((k) => ({ value: k, label: t(locale, `alerts.kind.${k}`), selected: k === r.kind })),
    queues: queues.map((q) => ({ name: q, selected: q === r.queue })),
  };
}

/** GET /admin/alert-rules: the rules, each editable in place, and a form for a new one. */
export default async function adminAlertsRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, locale: Locale, problem?: string, status = 200) => {
    const [rules, queues, history] = await Promise.all([app.alerts.rules(), app.queues.names(), app.alerts.history(50)]);
    return reply.page('admin/alert-rules', {
      titleKey: 'alerts.rules.title', problem, csrfToken: reply.generateCsrf(),
      rules: rules.map((r) => ruleRow(r, queues, locale)),
      kinds: ALERT_KINDS.map((k) => ({ value: k, label: t(locale, `alerts.kind.${k}`) })),
      queues, history: history.map((a) => ({ ...a, kindLabel: t(locale, `alerts.kind.${a.kind}`), endedAt: a.endedAt ?? '' })),
    }, status);
  };

  const attempt = async (reply: FastifyReply, locale: Locale, fn: () => Promise<unknown>) => {
    try {
      await fn();
      return reply.redirect('/admin/alert-rules', 303);
    } catch (err) {
      const e = err as AppError;
      if (e.statusCode !== 422 && e.statusCode !== 404) throw err;
      return page(reply, locale, e.message, e.statusCode);
    }
  };

  app.get('/admin/alert-rules', { onRequest: admin }, async (request, reply) => page(reply, request.locale));

  app.post<{ Body: RuleForm }>('/admin/alert-rules', { ...post, schema: { body: RuleForm } }, async (request, reply) =>
    attempt(reply, request.locale, () => app.alerts.createRule(fromForm(request.body))));

  app.post<{ Params: Static<typeof IdParams>; Body: RuleForm }>('/admin/alert-rules/:id', { ...post, schema: { params: IdParams, body: RuleForm } }, async (request, reply) =>
    attempt(reply, request.locale, () => app.alerts.updateRule(request.params.id, fromForm(request.body))));

  app.post<{ Params: Static<typeof IdParams> }>('/admin/alert-rules/:id/delete', { ...post, schema: { params: IdParams } }, async (request, reply) =>
    attempt(reply, request.locale, () => app.alerts.deleteRule(request.params.id)));
}
