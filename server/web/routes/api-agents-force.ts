import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { AgentView } from '../../agents/schemas.js';
import { ForcePause } from '../../supervision/schemas.js';
import { requester } from './api-monitor.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type Params = Static<typeof Params>;

/** Supervisors forcing an agent's state; refused with 409 agent-on-call during a call. Audited. */
export default async function apiAgentsForceRoutes(app: FastifyInstance): Promise<void> {
  const write = { onRequest: requireRole('admin', 'supervisor'), preValidation: csrfUnlessJson(app) };
  const tags = ['agents'];

  app.post<{ Params: Params; Body: ForcePause | undefined; Reply: AgentView }>('/api/v1/agents/:id/force-pause', {
    ...write,
    schema: { tags, summary: 'Force an agent into pause (refused during a call)', params: Params, body: Type.Optional(ForcePause), response: { 200: AgentView, ...errors } },
  }, async (request) => app.force.pause(request.params.id, request.body?.reason ?? 'supervisor', requester(request)));

  app.post<{ Params: Params; Reply: AgentView }>('/api/v1/agents/:id/force-logout', {
    ...write,
    schema: { tags, summary: 'Force an agent to log out (refused during a call)', params: Params, body: Type.Optional(Type.Object({})), response: { 200: AgentView, ...errors } },
  }, async (request) => app.force.logout(request.params.id, requester(request)));
}
