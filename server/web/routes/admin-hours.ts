import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';
import { parseHolidays, parseWeekly, scheduleForm } from '../view-models/schedules.js';

// The business hours page: named schedules with their weekly ranges and holidays, a form
// each, one to add. Plain CSRF-checked forms to the same schedule service as
// /api/v1/schedules; the page only turns its text boxes into ranges and dates.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const ScheduleForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.String({ maxLength: 200 }),
  timezone: Type.String({ maxLength: 100 }),
  weekly: Type.String({ maxLength: 5000 }),
  holidays: Type.String({ maxLength: 40000 }),
  version: Type.Optional(Type.String({ maxLength: 12 })),
});
type ScheduleForm = Static<typeof ScheduleForm>;
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) });

export default async function adminHoursRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean; draft?: ScheduleForm } = {}, status = 200) =>
    reply.page('admin/hours', {
      titleKey: 'hours.title', schedules: (await app.schedules.list()).map(scheduleForm), csrfToken: reply.generateCsrf(), ...extra,
    }, status);
  const refused = (reply: FastifyReply, err: unknown, draft?: ScheduleForm) => {
    if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
    return page(reply, { problem: err.message, draft }, err.statusCode);
  };
  /** The form as a schedule body; undefined (and the page says which lines) when a line does not read. */
  const bodyOf = (reply: FastifyReply, f: ScheduleForm) => {
    const weekly = parseWeekly(f.weekly);
    const holidays = parseHolidays(f.holidays);
    const locale = reply.request.locale;
    const bad = [
      ...weekly.badLines.map((line) => t(locale, 'hours.badWeeklyLine', { line: String(line) })),
      ...holidays.badLines.map((line) => t(locale, 'hours.badHolidayLine', { line: String(line) })),
    ];
    if (bad.length) return { problem: bad.join(' ') };
    return { body: { name: f.name, timezone: f.timezone.trim(), weekly: weekly.value, holidays: holidays.value } };
  };

  app.get<{ Querystring: Static<typeof SavedQuery> }>('/admin/hours', { onRequest: admin, schema: { querystring: SavedQuery } },
    async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: ScheduleForm }>('/admin/hours', { ...post, schema: { body: ScheduleForm } }, async (request, reply) => {
    const { body, problem } = bodyOf(reply, request.body);
    if (problem) return page(reply, { problem, draft: request.body }, 422);
    try {
      await app.schedules.create(body);
      return reply.redirect('/admin/hours?saved=1', 303);
    } catch (err) {
      return refused(reply, err, request.body);
    }
  });

  app.post<{ Params: IdParams; Body: ScheduleForm }>('/admin/hours/:id', { ...post, schema: { params: IdParams, body: ScheduleForm } }, async (request, reply) => {
    const { body, problem } = bodyOf(reply, request.body);
    if (problem) return page(reply, { problem }, 422);
    const version = request.body.version?.trim() ? Number(request.body.version) : undefined;
    try {
      await app.schedules.update(request.params.id, body, Number.isInteger(version) ? version : undefined);
      return reply.redirect('/admin/hours?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: IdParams }>('/admin/hours/:id/delete', { ...post, schema: { params: IdParams, body: CsrfOnly } }, async (request, reply) => {
    try {
      await app.schedules.delete(request.params.id);
      return reply.redirect('/admin/hours?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });
}
