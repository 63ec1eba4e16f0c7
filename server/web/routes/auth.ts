import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Lockout, User } from '../../users/index.js';
import { SESSION_COOKIE } from '../plugins/security.js';
import { safeLocalPath } from '../request-kind.js';
import { t } from '../i18n/index.js';

const LoginQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 512 })) });

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  _csrf: Type.Optional(Type.String()),
  next: Type.Optional(Type.String({ maxLength: 512 })),
});

const CodeBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 32 }),
  _csrf: Type.Optional(Type.String()),
  next: Type.Optional(Type.String({ maxLength: 512 })),
});

// The second step must follow the password soon: a half-signed-in session is not kept for long.
const SECOND_STEP_MS = 5 * 60 * 1000;

interface LoginModel {
  next: string;
  username?: string;
  failed?: boolean;
  lockedMessage?: string;
}

function renderLogin(reply: FastifyReply, extra: LoginModel, status = 200) {
  return reply.page('login', { titleKey: 'login.title', csrfToken: reply.generateCsrf(), ...extra }, status);
}

function renderCode(reply: FastifyReply, extra: Omit<LoginModel, 'username'>, status = 200) {
  return reply.page('login-totp', { titleKey: 'login.totp.title', csrfToken: reply.generateCsrf(), ...extra }, status);
}

/** 429 with Retry-After and a sentence saying when to try again, in the reader's language and the site's time zone. */
function lockedMessage(app: FastifyInstance) {
  return function locked(request: FastifyRequest, reply: FastifyReply, lock: Lockout): string {
    const seconds = Math.max(1, Math.ceil((lock.retryAt.getTime() - Date.now()) / 1000));
    reply.header('retry-after', String(seconds));
    const time = new Intl.DateTimeFormat(request.locale, { timeStyle: 'short', timeZone: app.config.timezone }).format(lock.retryAt);
    request.log.info({ subject: lock.subject, ip: request.ip, retryAt: lock.retryAt.toISOString() }, 'sign-in locked');
    return t(request.locale, 'login.locked', { minutes: Math.ceil(seconds / 60), time });
  };
}

/** The password (and second step) are good: a new session id, so one planted before it (session fixation) is worth nothing. */
function completeSignIn(app: FastifyInstance) {
  return async function signIn(request: FastifyRequest, reply: FastifyReply, user: User, next: string) {
    await app.users.throttle.succeeded(user.username);
    await request.session.regenerate();
    request.session.userId = user.id;
    request.session.signedInAt = Date.now();
    await app.users.sessions.track(user.id, request.session.sessionId);
    request.log.info({ userId: user.id, ip: request.ip }, 'signed in');
    return reply.redirect(next, 303);
  };
}

/** GET/POST /login, the TOTP second step and POST /logout. Every form carries the session's CSRF token. */
export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const throttle = app.users.throttle;
  const locked = lockedMessage(app);
  const signIn = completeSignIn(app);

  app.get<{ Querystring: Static<typeof LoginQuery> }>('/login', { schema: { querystring: LoginQuery } }, async (request, reply) => {
    const next = safeLocalPath(request.query.next);
    if (request.user) return reply.redirect(next);
    return renderLogin(reply, { next });
  });

  // The token check comes before validation: a forged form is refused as such, not as a bad field.
  app.post<{ Body: Static<typeof LoginBody> }>('/login', { schema: { body: LoginBody }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { username, password } = request.body;
    const next = safeLocalPath(request.body.next);
    // A locked name or address is refused before the password is checked: guessing on gains nothing.
    const lock = await throttle.lockout(username, request.ip);
    if (lock) return renderLogin(reply, { next, username, lockedMessage: locked(request, reply, lock) }, 429);
    const user = await app.users.authenticate(username, password);
    if (!user) {
      const now = await throttle.failed(username, request.ip);
      if (now) return renderLogin(reply, { next, username, lockedMessage: locked(request, reply, now) }, 429);
      return renderLogin(reply, { next, username, failed: true }, 401);
    }
    if (!user.totpEnabled) return signIn(request, reply, user, next);
    request.session.pendingUserId = user.id;
    request.session.pendingAt = Date.now();
    return renderCode(reply, { next });
  });

  app.post<{ Body: Static<typeof CodeBody> }>('/login/totp', { schema: { body: CodeBody }, preValidation: app.csrfProtection }, async (request, reply) => {
    const next = safeLocalPath(request.body.next);
    const { pendingUserId, pendingAt = 0 } = request.session;
    const user = pendingUserId === undefined ? null : await app.users.find(pendingUserId);
    if (!user?.active || Date.now() - pendingAt > SECOND_STEP_MS) {
      delete request.session.pendingUserId;
      return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    }
    const lock = await throttle.lockout(user.username, request.ip);
    if (lock) return renderCode(reply, { next, lockedMessage: locked(request, reply, lock) }, 429);
    const how = await app.secondFactor.verify(user.id, request.body.code);
    if (!how) {
      const now = await throttle.failed(user.username, request.ip);
      if (now) return renderCode(reply, { next, lockedMessage: locked(request, reply, now) }, 429);
      return renderCode(reply, { next, failed: true }, 401);
    }
    if (how === 'recovery') request.log.warn({ userId: user.id }, 'signed in with a recovery code');
    return signIn(request, reply, user, next);
  });

  app.post('/logout', { preValidation: app.csrfProtection }, async (request, reply) => {
    if (request.user) {
      request.log.info({ userId: request.user.id }, 'signed out');
      await app.users.sessions.forget(request.user.id, request.session.sessionId);
    }
    await request.session.destroy();
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);
  });
}
