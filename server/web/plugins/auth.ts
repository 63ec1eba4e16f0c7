import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Role, User } from '../../users/index.js';
import { wantsJson } from '../request-kind.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null; loaded fresh on every request that has a session. */
    user: User | null;
  }
}

export const notSignedIn = () => new AppError(401, 'not-signed-in', 'sign in first');
export const forbidden = () => new AppError(403, 'forbidden', 'your role does not allow this');

/**
 * Route hook: `onRequest: requireRole('admin', 'supervisor')`. It is written to
 * run at onRequest, before the body is parsed, so a stranger can neither make us
 * parse a large body nor learn from a 400 what a valid request looks like.
 * Pages send strangers to /login; JSON clients get 401.
 */
export function requireRole(...roles: Role[]) {
  return async function roleGuard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    if (!request.user) {
      if (wantsJson(request)) throw notSignedIn();
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    }
    if (!roles.includes(request.user.role)) throw forbidden();
  };
}

/** The signed-in user of a route guarded by requireRole. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw notSignedIn();
  return request.user;
}

async function auth(app: FastifyInstance): Promise<void> {
  app.decorateRequest('user', null);
  // The session holds only the user id; the user is read on each request so a
  // deactivated account or a changed role takes effect at once, not at next sign-in.
  const absoluteMs = app.config.session.absoluteTimeoutSec * 1000;
  app.addHook('onRequest', async (request) => {
    const userId = request.session?.userId;
    if (userId === undefined) return;
    // The idle timeout is the store's TTL; the absolute one is checked here, because a
    // session in use keeps renewing its TTL and would otherwise live for ever.
    const signedInAt = request.session.signedInAt ?? 0;
    const expired = Date.now() - signedInAt > absoluteMs;
    if (expired || !(await app.users.sessions.isLive(userId, request.session.sessionId))) {
      request.log.info({ userId, expired }, expired ? 'session past its absolute lifetime; signed out' : 'session ended elsewhere; signed out');
      await app.users.sessions.forget(userId, request.session.sessionId);
      // A fresh empty session rather than none: the page answering this request may need one (CSRF).
      await request.session.regenerate();
      return;
    }
    const user = await app.users.find(userId);
    if (user?.active) {
      request.user = user;
    } else {
      delete request.session.userId;
    }
  });
}

export default fp(auth, { name: 'web-auth', dependencies: ['web-security', 'users'] });
