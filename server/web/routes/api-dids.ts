import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DidSettings, NewDid } from '../../ivr/index.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const DidView = Type.Object({
  number: Type.String(),
  flow: Nullable(Type.String()),
  queue: Nullable(Type.String()),
  recording: Type.Boolean({ description: 'false: calls to this number are never recorded' }),
  consentPrompt: Nullable(Type.Integer({ description: 'id of the recording-consent prompt callers hear first' })),
  consentPromptName: Nullable(Type.String()),
  consentOptOutKey: Nullable(Type.String({ description: 'pressed during the announcement, the call is not recorded' })),
});
const DidParams = Type.Object({ number: Type.String({ maxLength: 32 }) });

/**
 * /api/v1/dids: the numbers we answer, where their calls go, recording and the consent
 * announcement. Admins only. Bodies are checked by the DID service (docs-only schemas), so
 * the API and the numbers page refuse the same things with the same words.
 */
export default async function apiDidRoutes(app: FastifyInstance): Promise<void> {
  const admin = { onRequest: requireRole('admin'), ...docsOnlyBody };
  const write = { ...admin, preValidation: csrfUnlessJson(app) };
  const tags = ['dids'];

  app.get('/api/v1/dids', { ...admin, schema: { tags, summary: 'Each DID and where its calls go', response: { 200: Type.Array(DidView), ...errors } } },
    async () => app.dids.list());

  app.get<{ Params: Static<typeof DidParams> }>('/api/v1/dids/:number', {
    ...admin, schema: { tags, summary: 'One DID', params: DidParams, response: { 200: DidView, ...errors } },
  }, async (request) => app.dids.get(request.params.number));

  app.post('/api/v1/dids', {
    ...write,
    schema: { tags, summary: 'Add a DID with a flow or a queue (409 if it exists; 422 for a malformed number or a target that does not exist)', body: NewDid, response: { 201: DidView, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.dids.create(request.body)));

  app.put<{ Params: Static<typeof DidParams> }>('/api/v1/dids/:number', {
    ...write,
    schema: {
      tags, summary: 'Change a DID: its flow or queue (creates the DID if new), recording, consent announcement; fields left out are kept', params: DidParams, body: DidSettings,
      response: { 200: DidView, ...errors },
    },
  }, async (request) => app.dids.update(request.params.number, request.body));

  // No CSRF token for DELETE, as for flows: no HTML form can send one.
  app.delete<{ Params: Static<typeof DidParams> }>('/api/v1/dids/:number', {
    ...admin, schema: { tags, summary: 'Stop answering a number (its calls then hear no-service)', params: DidParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.dids.delete(request.params.number);
    return reply.code(204).send();
  });
}
