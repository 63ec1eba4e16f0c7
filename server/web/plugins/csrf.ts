import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';

function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/**
 * CSRF check for API writes, used as `preValidation`. A request whose body is
 * `application/json` passes without a token: a page on another site cannot send
 * that content type to us without a CORS preflight, and we answer no preflight,
 * so such a request can only come from our own pages or a non-browser client.
 * Anything else (a form post, text/plain, no body) can be forged by a plain HTML
 * form on any site while the victim's session cookie rides along, so it must
 * carry the session's CSRF token like every form does.
 */
export function csrfUnlessJson(app: FastifyInstance): preValidationHookHandler {
  return function apiCsrf(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    if (mediaType(request) === 'application/json') return done();
    app.csrfProtection(request, reply, done);
  };
}
