import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { TrunkInput, TrunkView, TrunkWithStatus } from '../../trunks/index.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 503);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;

/**
 * /api/v1/trunks: SIP trunks added from the pages or the API, admins only. The service
 * checks every body itself (docsOnlyBody), the same way for the page's forms, and applies
 * each change to Asterisk before the answer. The password is write-only.
 */
export default async function apiTrunksRoutes(app: FastifyInstance): Promise<void> {
  const admin = { onRequest: requireRole('admin'), ...docsOnlyBody };
  const write = { ...admin, preValidation: csrfUnlessJson(app) };
  const tags = ['trunks'];

  app.get('/api/v1/trunks', {
    ...admin, schema: { tags, summary: 'Trunks added from the pages or the API, with each registering trunk\'s registration state', response: { 200: Type.Array(TrunkWithStatus), ...errors } },
  }, async () => app.trunks.listWithStatus());

  app.get<{ Params: IdParams }>('/api/v1/trunks/:id', {
    ...admin, schema: { tags, summary: 'One trunk (never its password)', params: IdParams, response: { 200: TrunkWithStatus, ...errors } },
  }, async (request) => app.trunks.getWithStatus(request.params.id));

  app.post('/api/v1/trunks', {
    ...write, schema: { tags, summary: 'Add a trunk (by IP, or registering with a username and password); Asterisk takes it at once', body: TrunkInput, response: { 201: TrunkView, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.trunks.create(request.body)));

  app.put<{ Params: IdParams }>('/api/v1/trunks/:id', {
    ...write,
    schema: { tags, summary: 'Change a trunk; optional fields left out (the password above all) keep their value', params: IdParams, body: TrunkInput, response: { 200: TrunkView, ...errors } },
  }, async (request) => app.trunks.update(request.params.id, request.body));

  app.delete<{ Params: IdParams }>('/api/v1/trunks/:id', {
    // No CSRF token for DELETE (as for phones): no HTML form can send one.
    ...admin, schema: { tags, summary: 'Remove a trunk (refused for the outbound trunk); Asterisk drops it at once', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.trunks.remove(request.params.id);
    return reply.code(204).send();
  });
}
