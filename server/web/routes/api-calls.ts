import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { CallParams, CallView, ConferenceRequest, DialRequest, DtmfRequest, TransferRequest } from '../../acd/call-control/schemas.js';
import type { CallView as View } from '../../acd/index.js';
import { errorResponses } from '../api-errors.js';
import { badRequest } from '../../core/errors.js';

// 429: over the outside-call caps (outbound.maxPerAgent, outbound.maxTotal) on a dial or a transfer to a number.
const errors = errorResponses(400, 401, 403, 404, 409, 429, 503);
const Empty = Type.Object({}, { additionalProperties: false });

type Req = FastifyRequest<{ Params: CallParams }>;

/**
 * /api/v1/calls: control of the call on an agent's desk phone. An agent may act only on
 * its own call (agents.user_id); admins and supervisors on any. JSON writes need no CSRF token.
 */
export default async function apiCallsRoutes(app: FastifyInstance): Promise<void> {
  const guard = { onRequest: requireRole('admin', 'supervisor', 'agent'), preValidation: csrfUnlessJson(app) };
  const tags = ['calls'];
  const cc = app.callControl;
  const action = (path: string, summary: string, run: (r: Req) => Promise<View>, body: object = Empty) =>
    app.post(`/api/v1/calls/:interactionId/${path}`, {
      ...guard, schema: { tags, summary, params: CallParams, body, response: { 200: CallView, ...errors } },
    }, (request) => run(request as Req));

  app.get<{ Params: CallParams }>('/api/v1/calls/:interactionId', {
    onRequest: guard.onRequest, schema: { tags, summary: 'The live state of a call in progress', params: CallParams, response: { 200: CallView, ...errors } },
  }, (request) => cc.view(request.params.interactionId, currentUser(request)));

  action('hold', 'Put the caller on hold (music on hold; the hold time is counted)', (r) => cc.hold(r.params.interactionId, currentUser(r)));
  action('resume', 'Take the caller off hold', (r) => cc.resume(r.params.interactionId, currentUser(r)));
  action('transfer', 'Blind or attended transfer to an agent, a queue or a number', (r) =>
    cc.transfer(r.params.interactionId, currentUser(r), r.body as TransferRequest), TransferRequest);
  action('conference', 'Three-way conference: the consulted target joins, or a new target is rung and joins', (r) =>
    cc.conference(r.params.interactionId, currentUser(r), r.body as ConferenceRequest), ConferenceRequest);
  action('complete-transfer', 'Complete an attended transfer (or leave a conference): the agent goes to wrap-up', (r) =>
    cc.completeTransfer(r.params.interactionId, currentUser(r)));
  action('cancel-transfer', 'Cancel an attended transfer (or drop the conference target): back to the caller', (r) =>
    cc.cancelTransfer(r.params.interactionId, currentUser(r)));
  action('hangup', "Hang up the agent's leg, as if the handset were put down", (r) => cc.hangup(r.params.interactionId, currentUser(r)));
  action('recording/pause', 'Pause the recording (silence is recorded), e.g. while a card number is read', (r) =>
    cc.recording(r.params.interactionId, currentUser(r), true));
  action('recording/resume', 'Resume the recording', (r) => cc.recording(r.params.interactionId, currentUser(r), false));
  action('dtmf', 'Send DTMF to the far end (the digits are not stored)', (r) =>
    cc.dtmf(r.params.interactionId, currentUser(r), (r.body as DtmfRequest).digits), DtmfRequest);

  app.post('/api/v1/calls/dial', {
    ...guard,
    schema: {
      tags, summary: "Click to dial: the agent's desk phone rings, then the number (given, or a customer's, or an earlier caller's) is dialled",
      body: DialRequest, response: { 201: Type.Object({ interactionId: Type.String() }), ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
    },
  }, async (request, reply) => {
    const body = request.body as DialRequest;
    const number = await numberOf(app, body);
    return reply.code(201).send(await cc.dial(currentUser(request), { number, agentId: body.agentId }));
  });
}

/** The number a dial request names, typed or by reference (looked up on the server, so a masked number is never needed). */
async function numberOf(app: FastifyInstance, body: DialRequest): Promise<string> {
  const given = [body.number, body.customerId, body.interactionId].filter((v) => v !== undefined).length;
  if (given !== 1) throw badRequest('dial-needs-one-target', 'give exactly one of number, customerId or interactionId');
  if (body.numberIndex !== undefined && body.customerId === undefined) throw badRequest('dial-needs-one-target', 'numberIndex goes with customerId');
  return body.number ?? app.crm.numberToDial(body);
}
