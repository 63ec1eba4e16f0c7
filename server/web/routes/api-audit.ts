import type { FastifyInstance } from 'fastify';
import { requireRole } from '../plugins/auth.js';
import { AuditPage, AuditQuery } from '../../audit/schemas.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403);

/** GET /api/v1/audit: the audit log, newest first, for admins only (it names every supervisor's actions). */
export default async function apiAuditRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: AuditQuery; Reply: AuditPage }>('/api/v1/audit', {
    onRequest: requireRole('admin'),
    schema: {
      tags: ['audit'],
      summary: 'Search the audit log by actor, action, target and time, newest first',
      querystring: AuditQuery,
      response: { 200: AuditPage, ...errors },
    },
  }, async (request) => app.audit.search(request.query));
}
