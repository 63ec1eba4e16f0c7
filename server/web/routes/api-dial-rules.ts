import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { DialRuleInput, DialRuleView } from '../../acd/outbound/schemas.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** /api/v1/dial-rules: which international and premium prefixes may be dialled out (admin only). */
export default async function apiDialRulesRoutes(app: FastifyInstance): Promise<void> {
  const admin = { onRequest: requireRole('admin'), ...docsOnlyBody };
  const write = { ...admin, preValidation: csrfUnlessJson(app) };
  const tags = ['dial-rules'];

  app.get('/api/v1/dial-rules', {
    ...admin, schema: { tags, summary: 'Dial rules; the longest matching prefix decides, and without one international and premium numbers are refused', response: { 200: Type.Array(DialRuleView), ...errors } },
  }, async () => app.dialPolicy.rules());

  app.post('/api/v1/dial-rules', {
    ...write, schema: { tags, summary: 'Add a rule for a prefix (as dialled, e.g. 0044)', body: DialRuleInput, response: { 201: DialRuleView, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.dialPolicy.create(request.body)));

  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/dial-rules/:id', {
    ...write, schema: { tags, summary: 'Remove a rule', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.dialPolicy.remove(request.params.id);
    return reply.code(204).send();
  });
}
