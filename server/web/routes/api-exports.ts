import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { exportRange, MAX_RANGE_DAYS } from '../../reports/queue-log/index.js';
import { requireRole } from '../plugins/auth.js';
import { maskNumber } from '../../core/number-mask.js';
import { errorResponses } from '../api-errors.js';

const ISO = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$';
const Range = Type.Object({
  from: Type.String({ pattern: ISO, description: 'start (included), ISO date and time with a time zone' }),
  to: Type.String({ pattern: ISO, description: `end (excluded); at most ${MAX_RANGE_DAYS} days after from` }),
}, { additionalProperties: false });

/** GET /api/v1/exports/queue_log: the period's call events and agent states as Asterisk queue_log lines. */
export default async function apiExportsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof Range> }>('/api/v1/exports/queue_log', {
    onRequest: requireRole('admin', 'supervisor', 'reports'),
    schema: {
      tags: ['reports'],
      summary: 'Queue events in the format of Asterisk\'s queue_log (epoch|callid|queue|agent|event|data...), oldest first, streamed',
      description: 'callid is the interaction id; agent is Agent/<agent number>; agent log-in and pause lines carry the queue NONE. The mapping is documented in server/reports/CONTEXT.md.',
      querystring: Range,
      response: { 200: Type.String({ description: 'text/plain, one line per event' }), ...errorResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    // Checked before the first byte: once streaming has begun, an error can no longer be a 400.
    const range = exportRange(request.query.from, request.query.to);
    const name = `queue_log-${range.from.toISOString().slice(0, 10)}.txt`;
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(app.queueLog.lines(range, request.seesNumbers() ? undefined : maskNumber)));
  });
}
