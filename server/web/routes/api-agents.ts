import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AgentView, RequestedState } from '../../agents/schemas.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';

const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable kebab-case id, e.g. agent-not-found' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

const AgentParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type AgentParams = Static<typeof AgentParams>;
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** /api/v1/agents: the agents and their desk phones, and state changes, over the session cookie. */
export default async function apiAgentsRoutes(app: FastifyInstance): Promise<void> {
  const signedIn = requireRole('admin', 'supervisor', 'agent');
  // Later an agent may change their own state too; that needs the agent-to-user link in the agents room.
  const supervises = requireRole('admin', 'supervisor');

  app.get<{ Reply: AgentView[] }>('/api/v1/agents', {
    onRequest: signedIn,
    schema: { tags: ['agents'], summary: 'All agents with their desk phone', response: { 200: Type.Array(AgentView), ...errors } },
  }, async () => app.agents.listWithDevices());

  app.get<{ Params: AgentParams; Reply: AgentView }>('/api/v1/agents/:id', {
    onRequest: signedIn,
    schema: { tags: ['agents'], summary: 'One agent', params: AgentParams, response: { 200: AgentView, ...errors } },
  }, async (request) => app.agents.get(request.params.id));

  app.post<{ Params: AgentParams; Body: RequestedState; Reply: AgentView }>('/api/v1/agents/:id/state', {
    onRequest: supervises,
    preValidation: csrfUnlessJson(app),
    schema: {
      tags: ['agents'],
      summary: 'Ask for an agent state (ready, paused, logged_out)',
      params: AgentParams,
      body: RequestedState,
      response: { 200: AgentView, ...errors, 409: ErrorResponse },
    },
  }, async (request) => app.agents.requestState(request.params.id, request.body, currentUser(request).username));
}
