import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { requireRole } from '../plugins/auth.js';
import { AuditPage, AuditQuery } from '../../audit/schemas.js';

const ErrorResponse = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

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
