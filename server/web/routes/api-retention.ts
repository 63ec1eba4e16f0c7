import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { conflict } from '../../core/errors.js';
import { RetentionLastRun, RetentionResult } from '../../recordings/index.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(401, 403, 409);

/** /api/v1/recordings/retention: the last retention run, and running it now. Admins only. */
export default async function apiRetentionRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const tags = ['recordings'];

  app.get('/api/v1/recordings/retention', {
    onRequest: admin,
    schema: { tags, summary: 'The latest retention run (null before the first)', response: { 200: Type.Union([RetentionLastRun, Type.Null()]), ...errors } },
  }, async () => (await app.retention.lastRun()) ?? null);

  app.post('/api/v1/recordings/retention/run', {
    onRequest: admin, preValidation: csrfUnlessJson(app),
    schema: {
      tags, summary: 'Run retention now: deletes the files of recordings past their queue\'s days and marks their rows (409 while a run is going on)',
      response: { 200: RetentionResult, ...errors },
    },
  }, async (request) => {
    const user = currentUser(request);
    const result = await app.retention.run({ userId: user.id, username: user.username });
    if (!result) throw conflict('retention-running', 'a retention run is already going on; its result shows here when it ends');
    return result;
  });
}
