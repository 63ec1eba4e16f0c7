import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { Schedule as ScheduleSchema, ScheduleBody } from '../../reports/index.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 422);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
type Schedule = Static<typeof ScheduleSchema>;
const tags = ['report-schedules'];

/**
 * /api/v1/report-schedules: the report emails, as on /admin/report-schedules. A body that
 * breaks the schema gets 400; the service's own checks (a blank name) give 422.
 */
export default async function apiReportSchedulesRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const write = { onRequest: admin, preValidation: csrfUnlessJson(app) };
  const body = ScheduleBody;

  app.get<{ Reply: Schedule[] }>('/api/v1/report-schedules', {
    onRequest: admin,
    schema: { tags, summary: 'Report schedules', response: { 200: Type.Array(ScheduleSchema), ...errors } },
  }, async () => app.reportSchedules.list());

  app.get<{ Params: IdParams; Reply: Schedule }>('/api/v1/report-schedules/:id', {
    onRequest: admin,
    schema: { tags, summary: 'One report schedule', params: IdParams, response: { 200: ScheduleSchema, ...errors } },
  }, async (request) => app.reportSchedules.get(request.params.id));

  app.post<{ Reply: Schedule }>('/api/v1/report-schedules', {
    ...write,
    schema: { tags, summary: 'Add a report schedule (it starts with the next period)', body, response: { 201: ScheduleSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.reportSchedules.create(request.body)));

  app.put<{ Params: IdParams; Reply: Schedule }>('/api/v1/report-schedules/:id', {
    ...write,
    schema: { tags, summary: 'Change a report schedule', params: IdParams, body, response: { 200: ScheduleSchema, ...errors } },
  }, async (request) => app.reportSchedules.update(request.params.id, request.body));

  app.delete<{ Params: IdParams }>('/api/v1/report-schedules/:id', {
    // No CSRF token for DELETE (as for pause reasons): no HTML form can send one.
    onRequest: admin,
    schema: { tags, summary: 'Remove a report schedule', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.reportSchedules.remove(request.params.id);
    return reply.code(204).send();
  });
}
