import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { CustomerExport, EraseBody, EraseResult, type Requester } from '../../privacy/index.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type Params = Static<typeof Params>;

export const requesterOf = (request: FastifyRequest): Requester => {
  const user = currentUser(request);
  return { userId: user.id, username: user.username, ip: request.ip };
};

/** An export is a file the admin keeps: named after the customer id and the day. */
export const exportFilename = (id: number) => `customer-${id}-${new Date().toISOString().slice(0, 10)}.json`;

/**
 * A customer's rights over their data (issue 6, PIPL; docs/privacy.md): export everything
 * held about them, and erase it. Admins only. POST for the export too: it is a sensitive read
 * that writes an audit row, and a GET could be fetched by a link or a prefetch.
 */
export default async function apiCustomerPrivacyRoutes(app: FastifyInstance): Promise<void> {
  const route = { onRequest: requireRole('admin'), preValidation: csrfUnlessJson(app), ...docsOnlyBody };
  const tags = ['customers'];

  app.post<{ Params: Params }>('/api/v1/customers/:id/export', {
    ...route,
    schema: { tags, summary: 'Everything held about one customer as JSON: the customer, notes, interactions, call events, wrap-up, callbacks, survey scores, recording metadata (audited)', params: Params, response: { 200: CustomerExport, ...errorResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const doc = await app.privacy.export(request.params.id, requesterOf(request));
    return reply.header('content-disposition', `attachment; filename="${exportFilename(request.params.id)}"`).header('cache-control', 'no-store').send(doc);
  });

  app.post<{ Params: Params }>('/api/v1/customers/:id/erase', {
    ...route,
    schema: {
      tags, summary: "Erase a customer: delete them, their numbers, notes and recordings; anonymise their calls (kept for the counts). Confirm with the customer's name (audited)",
      params: Params, body: EraseBody, response: { 200: EraseResult, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => app.privacy.erase(request.params.id, request.body));
}
