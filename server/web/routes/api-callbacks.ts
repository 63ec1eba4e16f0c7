import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole, currentUser } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import type { CallbackRecord } from '../../acd/index.js';
import { CallbackRequest } from '../../acd/schemas.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);

const STATUSES = ['scheduled', 'waiting', 'offering', 'dialing', 'connected', 'completed', 'failed', 'expired', 'cancelled'] as const;
const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)));
const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Callback = Type.Object({
  interactionId: Type.String(),
  queue: Type.String(),
  number: Type.String(),
  did: Type.String(),
  source: Type.Union([Type.Literal('caller'), Type.Literal('api')]),
  status: Status,
  attempts: Type.Integer(),
  requestedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  nextAttemptAt: When,
  agentId: Type.Union([Type.Integer(), Type.Null()]),
  connectedAt: When,
  endedAt: When,
  talkMs: Type.Union([Type.Integer(), Type.Null()]),
  lastResult: Type.Union([Type.String(), Type.Null()]),
});
const Params = Type.Object({ interactionId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const Query = Type.Object({
  status: Type.Optional(Status),
  queue: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const view = (r: CallbackRecord) => ({
  ...r, requestedAt: r.requestedAt.toISOString(), expiresAt: r.expiresAt.toISOString(),
  nextAttemptAt: iso(r.nextAttemptAt), connectedAt: iso(r.connectedAt), endedAt: iso(r.endedAt),
});

/** /api/v1/callbacks: callbacks callers asked for, and ones scheduled from outside (a web form, the CRM). */
export default async function apiCallbacksRoutes(app: FastifyInstance): Promise<void> {
  const route = { onRequest: requireRole('admin', 'supervisor'), ...docsOnlyBody };
  const write = { ...route, preValidation: csrfUnlessJson(app) };
  const tags = ['callbacks'];

  app.get<{ Querystring: Static<typeof Query> }>('/api/v1/callbacks', {
    ...route, schema: { tags, summary: 'Callbacks, newest first', querystring: Query, response: { 200: Type.Array(Callback), ...errors } },
  }, async (request) => (await app.acd.callbacks.list(request.query)).map(view));

  app.get<{ Params: Static<typeof Params> }>('/api/v1/callbacks/:interactionId', {
    ...route, schema: { tags, summary: 'One callback', params: Params, response: { 200: Callback, ...errors } },
  }, async (request) => view(await app.acd.callbacks.get(request.params.interactionId)));

  app.post('/api/v1/callbacks', {
    ...write, schema: { tags, summary: 'Schedule a callback (a new interaction at the back of the queue)', body: CallbackRequest, response: { 201: Type.Object({ interactionId: Type.String() }), ...errors } },
  }, async (request, reply) => {
    const cb = await app.acd.callbacks.createFromApi(request.body);
    return reply.code(201).send({ interactionId: cb.id });
  });

  app.delete<{ Params: Static<typeof Params> }>('/api/v1/callbacks/:interactionId', {
    ...route, schema: { tags, summary: 'Cancel a callback that is not being made right now', params: Params, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.acd.callbacks.cancel(request.params.interactionId, currentUser(request).username);
    return reply.code(204).send();
  });
}
