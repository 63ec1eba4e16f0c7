import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { FloorSnapshotSchema } from '../../wallboard/schemas.js';
import { AlertRule, AlertRuleBody, AlertView } from '../../alerts/index.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 422);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const AlertsQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('all')], { default: 'all', description: 'active: only alerts not ended yet' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
});

/** /api/v1/wallboard (the floor now), /api/v1/alerts (active and past) and /api/v1/alert-rules (admin). */
export default async function apiWallboardRoutes(app: FastifyInstance): Promise<void> {
  const watch = { onRequest: requireRole('admin', 'supervisor'), ...docsOnlyBody };
  const admin = { onRequest: requireRole('admin'), ...docsOnlyBody };
  const write = { ...admin, preValidation: csrfUnlessJson(app) };

  app.get('/api/v1/wallboard', {
    ...watch, schema: { tags: ['wallboard'], summary: 'The floor now: per queue waiting callers, agents by state and today\'s KPIs; per agent state and current call', response: { 200: FloorSnapshotSchema, ...errors } },
  }, async () => app.wallboard.snapshot());

  app.get<{ Querystring: Static<typeof AlertsQuery> }>('/api/v1/alerts', {
    ...watch, schema: { tags: ['alerts'], summary: 'Alerts, newest first (active ones have endedAt null)', querystring: AlertsQuery, response: { 200: Type.Array(AlertView), ...errors } },
  }, async (request) => (request.query.state === 'active' ? app.alerts.active() : app.alerts.history(request.query.limit ?? 200)));

  const tags = ['alert-rules'];
  app.get('/api/v1/alert-rules', { ...admin, schema: { tags, summary: 'Alert rules', response: { 200: Type.Array(AlertRule), ...errors } } }, async () => app.alerts.rules());

  app.get<{ Params: Static<typeof IdParams> }>('/api/v1/alert-rules/:id', {
    ...admin, schema: { tags, summary: 'One alert rule', params: IdParams, response: { 200: AlertRule, ...errors } },
  }, async (request) => app.alerts.rule(request.params.id));

  app.post('/api/v1/alert-rules', {
    ...write, schema: { tags, summary: 'Create an alert rule', body: AlertRuleBody, response: { 201: AlertRule, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.alerts.createRule(request.body)));

  app.put<{ Params: Static<typeof IdParams> }>('/api/v1/alert-rules/:id', {
    ...write, schema: { tags, summary: 'Replace an alert rule', params: IdParams, body: AlertRuleBody, response: { 200: AlertRule, ...errors } },
  }, async (request) => app.alerts.updateRule(request.params.id, request.body));

  app.delete<{ Params: Static<typeof IdParams> }>('/api/v1/alert-rules/:id', {
    ...write, schema: { tags, summary: 'Delete an alert rule (its alerts stay as history)', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.alerts.deleteRule(request.params.id);
    return reply.code(204).send();
  });
}
