import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AgentDay, AgentView, LoginRequest, PinRequest, RequestedState } from '../../agents/schemas.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { ErrorResponse, errorResponses } from '../api-errors.js';

const AgentParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type AgentParams = Static<typeof AgentParams>;
const errors = errorResponses(400, 401, 403, 404);

/** /api/v1/agents: the agents and their desk phones, and state changes, over the session cookie. */
export default async function apiAgentsRoutes(app: FastifyInstance): Promise<void> {
  const signedIn = requireRole('admin', 'supervisor', 'agent');
  const admin = requireRole('admin');
  // An agent user acts on its own agent only (agents.user_id); the check needs the row, so it runs after the role.
  // At onRequest the params are still the raw strings of the URL (validation comes later).
  const ownAgent = async (request: FastifyRequest<{ Params: AgentParams }>) => app.agentSessions.assertMayAct(currentUser(request), Number(request.params.id));
  const actor = (request: FastifyRequest) => currentUser(request).username;

  app.get<{ Reply: AgentView[] }>('/api/v1/agents', {
    onRequest: signedIn,
    schema: { tags: ['agents'], summary: 'All agents with their desk phone', response: { 200: Type.Array(AgentView), ...errors } },
  }, async () => app.agents.listWithDevices());

  app.get<{ Params: AgentParams; Reply: AgentView }>('/api/v1/agents/:id', {
    onRequest: signedIn,
    schema: { tags: ['agents'], summary: 'One agent', params: AgentParams, response: { 200: AgentView, ...errors } },
  }, async (request) => app.agents.get(request.params.id));

  app.post<{ Params: AgentParams; Body: RequestedState; Reply: AgentView }>('/api/v1/agents/:id/state', {
    onRequest: [signedIn, ownAgent],
    preValidation: csrfUnlessJson(app),
    schema: {
      tags: ['agents'],
      summary: 'Ask for an agent state (ready, paused with an active reason, logged_out); an agent user only for itself',
      params: AgentParams,
      body: RequestedState,
      response: { 200: AgentView, ...errors, 409: ErrorResponse },
    },
  }, async (request) => app.agents.requestState(request.params.id, request.body, actor(request)));

  app.post<{ Params: AgentParams; Body: LoginRequest; Reply: AgentView }>('/api/v1/agents/:id/session', {
    onRequest: [signedIn, ownAgent],
    preValidation: csrfUnlessJson(app),
    schema: {
      tags: ['agents'],
      summary: 'Log the agent in on a desk phone (default: its own extension); another agent on that phone is logged out',
      params: AgentParams,
      body: LoginRequest,
      response: { 200: AgentView, ...errors, 409: ErrorResponse },
    },
  }, async (request) => app.agentSessions.login(request.params.id, { phone: request.body.extension, pauseReason: request.body.pauseReason }, actor(request)));

  // No CSRF token for DELETE: no HTML form can send one, and a cross-site script needs a preflight we never answer.
  app.delete<{ Params: AgentParams; Reply: AgentView }>('/api/v1/agents/:id/session', {
    onRequest: [signedIn, ownAgent],
    schema: { tags: ['agents'], summary: 'Log the agent out (not during a call)', params: AgentParams, response: { 200: AgentView, ...errors, 409: ErrorResponse } },
  }, async (request) => app.agentSessions.logout(request.params.id, actor(request)));

  app.put<{ Params: AgentParams; Body: PinRequest }>('/api/v1/agents/:id/pin', {
    onRequest: admin,
    preValidation: csrfUnlessJson(app),
    schema: { tags: ['agents'], summary: 'Set the PIN the agent keys on a desk phone to log in (*70); stored hashed', params: AgentParams, body: PinRequest, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.agentSessions.setPin(request.params.id, request.body.pin);
    return reply.code(204).send();
  });

  app.get<{ Params: AgentParams; Querystring: DayQuery; Reply: AgentDay }>('/api/v1/agents/:id/day', {
    onRequest: [signedIn, ownAgent],
    schema: {
      tags: ['agents'],
      summary: "The agent's day: calls handled, average handle time, time in each state and pause reason",
      params: AgentParams,
      querystring: DayQuery,
      response: { 200: AgentDay, ...errors },
    },
  }, async (request) => app.agentDays.day(request.params.id, request.query.date ?? today(app.config.timezone)));
}

const DayQuery = Type.Object({ date: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: "default: today in the contact center's time zone" })) });
type DayQuery = Static<typeof DayQuery>;

/** Today's date in a time zone, as YYYY-MM-DD (en-CA formats dates that way). */
const today = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
