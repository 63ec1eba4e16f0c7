import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { parseRange } from '../../records/index.js';

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type Params = Static<typeof Params>;

/** A Range that does not start at byte 0 (a later start, or the last N bytes) is a seek inside a play: the access log counts the play once. */
function isSeek(range: string | undefined): boolean {
  const start = /^bytes=(\d*)-/.exec(range ?? '')?.[1];
  return start !== undefined && (start === '' || Number(start) > 0);
}

async function send(app: FastifyInstance, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, action: 'play' | 'download') {
  const user = currentUser(request);
  const range = action === 'play' ? request.headers.range : undefined;
  let opened;
  try {
    opened = await app.playback.open(request.params.id, action, { userId: user.id, username: user.username, ip: request.ip }, { continuing: isSeek(range) });
  } catch (err) {
    // The <audio> element and scripts read these: JSON that says why, never an error page.
    if (err instanceof AppError && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details } });
    throw err;
  }
  const { file, size, recording } = opened;
  reply.type('audio/wav').header('accept-ranges', 'bytes').header('cache-control', 'private, no-store');
  if (action === 'download') reply.header('content-disposition', `attachment; filename="${recording.interactionId}-${recording.id}.wav"`);
  const r = parseRange(range, size);
  if (r === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
  if (r) {
    return reply.code(206).header('content-range', `bytes ${r.start}-${r.end}/${size}`).header('content-length', r.end - r.start + 1)
      .send(createReadStream(file, { start: r.start, end: r.end }));
  }
  return reply.header('content-length', size).send(createReadStream(file));
}

/**
 * GET /recordings/:id/play (inline, with byte ranges so the player can seek) and
 * /recordings/:id/download (an attachment). The only way to a recording's audio: the role
 * check here, the file found from its row alone, and every play or download logged.
 */
export default async function recordingRoutes(app: FastifyInstance): Promise<void> {
  // No automatic HEAD: it would log a play that sent nothing.
  const route = { onRequest: requireRole('admin', 'supervisor', 'quality'), exposeHeadRoute: false, schema: { params: Params, hide: true } };
  app.get<{ Params: Params }>('/recordings/:id/play', route, (request, reply) => send(app, request, reply, 'play'));
  app.get<{ Params: Params }>('/recordings/:id/download', route, (request, reply) => send(app, request, reply, 'download'));
}
