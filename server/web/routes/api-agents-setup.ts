import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AgentInput, AgentSetup } from '../../agents/schemas.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;

/** Adding, changing and removing agents (admin only); skills and PIN have routes of their own under /api/v1/agents/:id. */
export default async function apiAgentsSetupRoutes(app: FastifyInstance): Promise<void> {
  const write = { onRequest: requireRole('admin'), preValidation: csrfUnlessJson(app), ...docsOnlyBody };
  const tags = ['agents'];

  app.post('/api/v1/agents', {
    ...write, schema: { tags, summary: 'Add an agent: number, name, own desk phone, and the user (role agent) who works as it', body: AgentInput, response: { 201: AgentSetup, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.agentSetup.create(request.body)));

  app.put<{ Params: IdParams }>('/api/v1/agents/:id', {
    ...write, schema: { tags, summary: 'Change an agent (the whole of it, as POST takes it)', params: IdParams, body: AgentInput, response: { 200: AgentSetup, ...errors } },
  }, async (request) => app.agentSetup.update(request.params.id, request.body));

  // No CSRF token for DELETE: no HTML form can send one, and a cross-site script needs a preflight we never answer.
  app.delete<{ Params: IdParams }>('/api/v1/agents/:id', {
    onRequest: write.onRequest, schema: { tags, summary: 'Remove a logged-out agent that never handled a call', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.agentSetup.remove(request.params.id);
    return reply.code(204).send();
  });
}
