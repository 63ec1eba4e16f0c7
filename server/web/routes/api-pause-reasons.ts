import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { PauseReasonInput, PauseReasonView } from '../../agents/schemas.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
type PauseReasonView = Static<typeof PauseReasonView>;

/** /api/v1/pause-reasons: everyone signed in reads them (the desk lists them), admins edit. */
export default async function apiPauseReasonsRoutes(app: FastifyInstance): Promise<void> {
  const signedIn = requireRole('admin', 'supervisor', 'agent');
  const admin = requireRole('admin');
  const write = { onRequest: admin, preValidation: csrfUnlessJson(app) };

  app.get<{ Reply: PauseReasonView[] }>('/api/v1/pause-reasons', {
    onRequest: signedIn,
    schema: { tags: ['pause-reasons'], summary: 'Pause reasons, active or not', response: { 200: Type.Array(PauseReasonView), ...errors } },
  }, async () => app.pauseReasons.list());

  app.post<{ Body: PauseReasonInput; Reply: PauseReasonView }>('/api/v1/pause-reasons', {
    ...write,
    schema: { tags: ['pause-reasons'], summary: 'Add a pause reason', body: PauseReasonInput, response: { 201: PauseReasonView, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.pauseReasons.create(request.body)));

  app.put<{ Params: IdParams; Body: PauseReasonInput; Reply: PauseReasonView }>('/api/v1/pause-reasons/:id', {
    ...write,
    schema: { tags: ['pause-reasons'], summary: 'Change a pause reason (the system reason keeps its name and stays active)', params: IdParams, body: PauseReasonInput, response: { 200: PauseReasonView, ...errors } },
  }, async (request) => app.pauseReasons.update(request.params.id, request.body));

  app.delete<{ Params: IdParams }>('/api/v1/pause-reasons/:id', {
    // No CSRF token for DELETE (as for flows): no HTML form can send one, and another
    // site's script needs a CORS preflight for it, which this server never answers.
    onRequest: admin,
    schema: { tags: ['pause-reasons'], summary: 'Remove a pause reason (logged pauses keep its name)', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.pauseReasons.remove(request.params.id);
    return reply.code(204).send();
  });
}
