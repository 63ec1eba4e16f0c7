import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { PERIOD_KINDS, REPORT_LANGUAGES, type Schedule } from '../../reports/index.js';
import type { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';
import { LOCALE_NAMES, t, type Locale } from '../i18n/index.js';

const ScheduleForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.String({ maxLength: 200 }),
  period: Type.String({ maxLength: 20 }),
  sendTime: Type.String({ maxLength: 10 }),
  recipients: Type.String({ maxLength: 4000 }),
  language: Type.Optional(Type.String({ maxLength: 10 })),
  enabled: Type.Optional(Type.String()),
});
type ScheduleForm = Static<typeof ScheduleForm>;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** A schedule body from the form (recipients separated by commas, semicolons or spaces); the service checks it. */
const fromForm = (f: ScheduleForm) => ({
  name: f.name, period: f.period, sendTime: f.sendTime, recipients: f.recipients.split(/[\s,;]+/).filter(Boolean),
  language: f.language || 'en', enabled: f.enabled === 'on',
});

const options = (values: readonly string[], label: (v: string) => string, selected?: string) => values.map((value) => ({ value, label: label(value), selected: value === selected }));

function row(s: Schedule, locale: Locale) {
  return {
    ...s, recipientsText: s.recipients.join(', '),
    periods: options(PERIOD_KINDS, (k) => t(locale, `report.kind.${k}`), s.period),
    languages: options(REPORT_LANGUAGES, (l) => LOCALE_NAMES[l as Locale], s.language),
  };
}

/** GET /admin/report-schedules: each schedule editable in place, and a form for a new one. */
export default async function adminReportSchedulesRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, locale: Locale, problem?: string, status = 200) => reply.page('admin/report-schedules', {
    titleKey: 'report.schedules.title', problem, csrfToken: reply.generateCsrf(), timeZone: app.config.timezone,
    schedules: (await app.reportSchedules.list()).map((s) => row(s, locale)),
    periods: options(PERIOD_KINDS, (k) => t(locale, `report.kind.${k}`)),
    languages: options(REPORT_LANGUAGES, (l) => LOCALE_NAMES[l as Locale], locale),
  }, status);

  const attempt = async (reply: FastifyReply, locale: Locale, fn: () => Promise<unknown>) => {
    try {
      await fn();
      return reply.redirect('/admin/report-schedules', 303);
    } catch (err) {
      const e = err as AppError;
      if (e.statusCode !== 422 && e.statusCode !== 404) throw err;
      return page(reply, locale, e.message, e.statusCode);
    }
  };

  app.get('/admin/report-schedules', { onRequest: admin }, async (request, reply) => page(reply, request.locale));

  app.post<{ Body: ScheduleForm }>('/admin/report-schedules', { ...post, schema: { body: ScheduleForm } }, async (request, reply) =>
    attempt(reply, request.locale, () => app.reportSchedules.create(fromForm(request.body))));

  app.post<{ Params: Static<typeof IdParams>; Body: ScheduleForm }>('/admin/report-schedules/:id', { ...post, schema: { params: IdParams, body: ScheduleForm } }, async (request, reply) =>
    attempt(reply, request.locale, () => app.reportSchedules.update(request.params.id, fromForm(request.body))));

  app.post<{ Params: Static<typeof IdParams> }>('/admin/report-schedules/:id/delete', { ...post, schema: { params: IdParams } }, async (request, reply) =>
    attempt(reply, request.locale, () => app.reportSchedules.remove(request.params.id)));
}
