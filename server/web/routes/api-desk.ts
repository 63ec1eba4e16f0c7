import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AgentDay, AgentView, RequestedState } from '../../agents/schemas.js';
import { ScreenPopCard, WrapUpInput } from '../../desk/schemas.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { deskAgentId } from './desk.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const Desk = Type.Object({ agent: AgentView, interactionId: Type.Union([Type.String(), Type.Null()]), card: Type.Union([ScreenPopCard, Type.Null()]) });
const WrapUpResult = Type.Object({ interactionId: Type.String(), disposition: Type.Union([Type.String(), Type.Null()]), followUp: Type.Boolean(), done: Type.Boolean() });
const Params = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const AttachBody = Type.Object({
  customerId: Type.Integer({ minimum: 1 }),
  addCallerNumber: Type.Optional(Type.Boolean({ description: "also add the call's caller id to the customer's numbers (the desk's new-customer form: agents may see it masked)" })),
}, { additionalProperties: false });

/** The contact center's date now, YYYY-MM-DD (en-CA formats dates that way). */
const today = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** /api/v1/desk: the signed-in agent's own desk (state, the call on screen) and wrap-up. */
export default async function apiDeskRoutes(app: FastifyInstance): Promise<void> {
  const agentOnly = requireRole('agent');
  const tags = ['desk'];

  app.get('/api/v1/desk', {
    onRequest: agentOnly, schema: { tags, summary: 'My desk: my state and the card of the call I am busy with', response: { 200: Desk, ...errors } },
  }, async (request) => {
    const agentId = await deskAgentId(app, request);
    const [agent, live] = await Promise.all([app.agents.get(agentId), app.agents.liveState(agentId)]);
    const card = live.interactionId ? await app.desk.cards.get(live.interactionId) : undefined;
    return { agent, interactionId: live.interactionId ?? null, card: card ?? null };
  });

  app.post<{ Body: RequestedState }>('/api/v1/desk/state', {
    onRequest: agentOnly, preValidation: csrfUnlessJson(app),
    schema: { tags, summary: 'Set my own state: ready, paused (with a reason) or logged out', body: RequestedState, response: { 200: AgentView, ...errors } },
  }, async (request) => app.agentSessions.requestState(await deskAgentId(app, request), request.body, currentUser(request).username));

  app.post('/api/v1/desk/login', {
    onRequest: agentOnly, preValidation: csrfUnlessJson(app),
    schema: { tags, summary: 'Log in on my own desk phone (paused until I say ready)', response: { 200: AgentView, ...errors } },
  }, async (request) => app.agentSessions.login(await deskAgentId(app, request), { pauseReason: 'break' }, currentUser(request).username));

  app.get('/api/v1/desk/day', {
    onRequest: agentOnly, schema: { tags, summary: 'My day so far: calls handled, average handle time, time in each state', response: { 200: AgentDay, ...errors } },
  }, async (request) => app.agentDays.day(await deskAgentId(app, request), today(app.config.timezone)));

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof AttachBody> }>('/api/v1/interactions/:id/customer', {
    onRequest: agentOnly, preValidation: csrfUnlessJson(app),
    schema: { tags, summary: 'File the call I am on under a customer (one I just created); my desk gets the new card', params: Params, body: AttachBody, response: { 200: ScreenPopCard, ...errors } },
  }, async (request) => app.desk.cards.attachCustomer(await deskAgentId(app, request), request.params.id, request.body.customerId, { addCallerNumber: request.body.addCallerNumber }));

  app.post<{ Params: Static<typeof Params> }>('/api/v1/interactions/:id/wrap-up', {
    onRequest: requireRole('agent', 'supervisor', 'admin'), preValidation: csrfUnlessJson(app), ...docsOnlyBody,
    schema: { tags, summary: 'Wrap up a call: disposition, note, follow-up; done ends the wrap-up', params: Params, body: WrapUpInput, response: { 200: WrapUpResult, ...errors } },
  }, async (request) => {
    const user = currentUser(request);
    const agentId = user.role === 'agent' ? await deskAgentId(app, request) : undefined;
    return app.desk.wrapUp.save(request.params.id, request.body, { userId: user.id, username: user.username, agentId });
  });
}
