import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { Disposition, DispositionInput, DispositionPatch } from '../../desk/schemas.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Query = Type.Object({ queue: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })) });

/** /api/v1/dispositions: the codes agents pick at wrap-up, per queue or for every queue. */
export default async function apiDispositionsRoutes(app: FastifyInstance): Promise<void> {
  const read = { onRequest: requireRole('admin', 'supervisor', 'agent') };
  const write = { onRequest: requireRole('admin'), preValidation: csrfUnlessJson(app), ...docsOnlyBody };
  const tags = ['dispositions'];

  app.get<{ Querystring: Static<typeof Query> }>('/api/v1/dispositions', {
    ...read, schema: { tags, summary: 'All codes, or the active ones offered in one queue', querystring: Query, response: { 200: Type.Array(Disposition), ...errors } },
  }, async (request) => (request.query.queue ? app.desk.dispositions.forQueue(request.query.queue) : app.desk.dispositions.list()));

  app.post('/api/v1/dispositions', {
    ...write, schema: { tags, summary: 'Add a code (queue null or absent: every queue)', body: DispositionInput, response: { 201: Disposition, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.desk.dispositions.create(request.body)));

  app.patch<{ Params: Static<typeof Params> }>('/api/v1/dispositions/:id', {
    ...write, schema: { tags, summary: 'Change a code\'s label, order or whether it is offered', params: Params, body: DispositionPatch, response: { 200: Disposition, ...errors } },
  }, async (request) => app.desk.dispositions.update(request.params.id, request.body));

  // No CSRF token: a form cannot send DELETE, and a cross-site fetch of one needs a preflight we never answer.
  app.delete<{ Params: Static<typeof Params> }>('/api/v1/dispositions/:id', {
    onRequest: requireRole('admin'), schema: { tags, summary: 'Remove a code (interactions keep the code they were given)', params: Params, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.desk.dispositions.remove(request.params.id);
    return reply.code(204).send();
  });
}
