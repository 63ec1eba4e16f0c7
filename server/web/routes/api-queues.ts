import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { QueueBody } from '../../acd/schemas.js';
import { SkillsBody } from '../../acd/queues-plugin.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';

const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable kebab-case id, e.g. invalid-queue, queue-in-use' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown({ description: 'for invalid-queue and invalid-skills: { problems: [{ path, code, message }] }' })),
  }),
});
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

const Queue = Type.Object({ ...QueueBody.properties, id: Type.Integer(), updatedAt: Type.String() });
const QueueParams = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const Member = Type.Object({
  agentId: Type.Integer(),
  number: Type.String(),
  name: Type.String(),
  extension: Type.String(),
  level: Type.Integer({ minimum: 1, maximum: 5 }),
});
const AgentParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/**
 * /api/v1/queues (skill groups) and /api/v1/agents/:id/skills. Admins only. An agent is
 * a member of every queue whose skill they hold at or above the queue's minLevel.
 */
export default async function apiQueuesRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const csrf = csrfUnlessJson(app);
  const tags = ['queues'];
  const route = { onRequest: admin, ...docsOnlyBody };
  const write = { ...route, preValidation: csrf };

  app.get('/api/v1/queues', { ...route, schema: { tags, summary: 'All queues', response: { 200: Type.Array(Queue), ...errors } } },
    async () => app.queues.list());

  app.post('/api/v1/queues', {
    ...write, schema: { tags, summary: 'Create a queue (422 lists every problem, by path)', body: QueueBody, response: { 201: Queue, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.queues.create(request.body)));

  app.get<{ Params: Static<typeof QueueParams> }>('/api/v1/queues/:name', {
    ...route, schema: { tags, summary: 'One queue', params: QueueParams, response: { 200: Queue, ...errors } },
  }, async (request) => app.queues.get(request.params.name));

  app.put<{ Params: Static<typeof QueueParams> }>('/api/v1/queues/:name', {
    ...write, schema: { tags, summary: 'Replace a queue\'s settings (the name cannot change)', params: QueueParams, body: QueueBody, response: { 200: Queue, ...errors } },
  }, async (request) => app.queues.update(request.params.name, request.body));

  app.delete<{ Params: Static<typeof QueueParams> }>('/api/v1/queues/:name', {
    // No CSRF token for DELETE: no HTML form can send one, and another site's script
    // needs a CORS preflight for it, which this server never answers.
    ...route, schema: { tags, summary: 'Delete a queue no DID, flow or queue uses', params: QueueParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.queues.delete(request.params.name);
    return reply.code(204).send();
  });

  app.get<{ Params: Static<typeof QueueParams> }>('/api/v1/queues/:name/agents', {
    ...route, schema: { tags, summary: 'The queue\'s agents: its skill at or above its minimum level, best first', params: QueueParams, response: { 200: Type.Array(Member), ...errors } },
  }, async (request) => app.queues.members(request.params.name));

  app.get<{ Params: Static<typeof AgentParams> }>('/api/v1/agents/:id/skills', {
    ...route, schema: { tags: ['agents'], summary: 'An agent\'s skills (skill -> level 1..5)', params: AgentParams, response: { 200: SkillsBody, ...errors } },
  }, async (request) => app.queues.skillsOf(request.params.id));

  app.put<{ Params: Static<typeof AgentParams> }>('/api/v1/agents/:id/skills', {
    ...write,
    schema: { tags: ['agents'], summary: 'Replace an agent\'s skills; their queues follow at once', params: AgentParams, body: SkillsBody, response: { 200: SkillsBody, ...errors } },
  }, async (request) => app.queues.setSkills(request.params.id, request.body));
}
