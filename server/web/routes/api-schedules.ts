import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ScheduleBody } from '../../ivr/index.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const ScheduleView = Type.Object({
  ...ScheduleBody.properties,
  id: Type.Integer(),
  version: Type.Integer({ description: 'incremented on every save' }),
  updatedAt: Type.String(),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const VersionQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'refuse the save (409) unless this is still the stored version' })),
});

/**
 * /api/v1/schedules: named business hours with holidays, which flows' hours steps and
 * queues' callback calling hours name by id. Admins only; the service checks bodies.
 */
export default async function apiScheduleRoutes(app: FastifyInstance): Promise<void> {
  const admin = { onRequest: requireRole('admin'), ...docsOnlyBody };
  const write = { ...admin, preValidation: csrfUnlessJson(app) };
  const tags = ['schedules'];

  app.get('/api/v1/schedules', { ...admin, schema: { tags, summary: 'All named schedules', response: { 200: Type.Array(ScheduleView), ...errors } } },
    async () => app.schedules.list());

  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/schedules/:id', {
    ...admin, schema: { tags, summary: 'One schedule', params: IdParams, response: { 200: ScheduleView, ...errors } },
  }, async (request) => app.schedules.get(request.params.id));

  app.post('/api/v1/schedules', {
    ...write,
    schema: { tags, summary: 'Add a schedule: IANA time zone, weekly ranges (ISO weekdays 1-7, HH:MM, end exclusive, 24:00 = end of day), closed dates', body: ScheduleBody, response: { 201: ScheduleView, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.schedules.create(request.body)));

  app.put<{ Params: Static<typeof IdParams>; Querystring: Static<typeof VersionQuery> }>('/api/v1/schedules/:id', {
    ...write,
    schema: { tags, summary: 'Replace a schedule; flows using it follow from their next call', params: IdParams, querystring: VersionQuery, body: ScheduleBody, response: { 200: ScheduleView, ...errors } },
  }, async (request) => app.schedules.update(request.params.id, request.body, request.query.version));

  // No CSRF token for DELETE, as for flows: no HTML form can send one.
  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/schedules/:id', {
    ...admin, schema: { tags, summary: 'Delete a schedule no flow or queue uses (409 names who does)', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.schedules.delete(request.params.id);
    return reply.code(204).send();
  });
}
