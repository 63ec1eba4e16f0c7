import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { wantsJson } from '../request-kind.js';

/** What a client is told about a failed request. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'not-signed-in',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

const CSRF_CODES = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/** Turns anything thrown into a status and a body safe to show a client. */
export function describeError(err: FastifyError | AppError | Error, bodyLimit: number): { status: number; body: ErrorBody } {
  const fe = err as FastifyError;
  if (err instanceof AppError && err.statusCode < 500) {
    return { status: err.statusCode, body: { code: err.code, message: err.message, details: err.details } };
  }
  if (fe.validation) {
    const details = fe.validation.map((v) => ({ path: v.instancePath, message: v.message }));
    return { status: 400, body: { code: 'invalid-request', message: fe.message, details } };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { code: 'payload-too-large', message: `the request body is larger than the ${bodyLimit}-byte limit` } };
  }
  if (CSRF_CODES.has(fe.code)) {
    return { status: 403, body: { code: 'csrf-token-invalid', message: 'missing or invalid CSRF token; reload the page and try again' } };
  }
  const status = err instanceof AppError ? err.statusCode : (fe.statusCode ?? 500);
  if (status >= 400 && status < 500) {
    return { status, body: { code: CODE_BY_STATUS[status] ?? 'request-error', message: fe.message } };
  }
  // 5xx: the real message may name hosts, SQL or file paths; it goes to the log only.
  const code = err instanceof AppError ? err.code : 'internal-error';
  const message = status === 503 ? 'the service is temporarily unavailable' : 'internal server error';
  return { status: status >= 500 && status < 600 ? status : 500, body: { code, message } };
}

function messageKey(status: number, code: string): string {
  if (code === 'csrf-token-invalid') return 'error.csrf';
  return [400, 401, 403, 404, 413, 429].includes(status) ? `error.${status}` : 'error.generic';
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  if (wantsJson(request)) return reply.code(status).send({ error: body });
  return reply.page('error', {
    titleKey: 'error.title',
    status,
    messageKey: messageKey(status, body.code),
    // Client errors say what was wrong (e.g. which field); server errors say nothing more.
    detail: status < 500 ? body.message : undefined,
    code: body.code,
  }, status);
}

/** The one error handler and the one 404: JSON for /api and /healthz, a page for everything else. */
async function errors(app: FastifyInstance): Promise<void> {
  const bodyLimit = app.initialConfig.bodyLimit ?? 1048576;
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const { status, body } = describeError(err, bodyLimit);
    if (status >= 500) request.log.error({ err, url: request.url, method: request.method }, 'request failed');
    else request.log.info({ status, code: body.code, url: request.url, method: request.method }, 'request refused');
    return sendError(request, reply, status, body);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, { code: 'not-found', message: `no route for ${request.method} ${request.url.split('?', 1)[0]}` }),
  );
}

export default fp(errors, { name: 'web-errors', dependencies: ['web-views'] });
