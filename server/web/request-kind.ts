import type { FastifyRequest } from 'fastify';

/**
 * Whether a request gets JSON (API, health, event streams) or HTML pages for
 * errors and sign-in prompts: one rule, used by auth and the error handler alike.
 */
export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0] ?? '';
  if (path === '/api' || path.startsWith('/api/') || path === '/healthz') return true;
  return (request.headers.accept ?? '').includes('text/event-stream');
}

// Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so
// `/<tab>/evil` or `/<backslash>evil` would leave the site: only printable ASCII
// without backslashes passes, and never a second leading slash.
const LOCAL_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]{0,511}$/;

/** A same-site path to go back to after sign-in; anything else (`//evil`, `https://…`) becomes `/`. */
export function safeLocalPath(next: unknown): string {
  return typeof next === 'string' && LOCAL_PATH.test(next) ? next : '/';
}
