import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { SESSION_COOKIE } from '../plugins/security.js';
import { safeLocalPath } from '../request-kind.js';

const LoginQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 512 })) });

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  _csrf: Type.Optional(Type.String()),
  next: Type.Optional(Type.String({ maxLength: 512 })),
});

function renderLogin(reply: FastifyReply, extra: { next: string; username?: string; failed?: boolean }, status = 200) {
  return reply.page('login', { titleKey: 'login.title', csrfToken: reply.generateCsrf(), ...extra }, status);
}

/** GET/POST /login and POST /logout. Both forms carry the session's CSRF token. */
export default async function authRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof LoginQuery> }>('/login', { schema: { querystring: LoginQuery } }, async (request, reply) => {
    const next = safeLocalPath(request.query.next);
    if (request.user) return reply.redirect(next);
    return renderLogin(reply, { next });
  });

  // The token check comes before validation: a forged form is refused as such, not as a bad field.
  app.post<{ Body: Static<typeof LoginBody> }>('/login', { schema: { body: LoginBody }, preValidation: app.csrfProtection }, async (request, reply) => {
    const { username, password } = request.body;
    const next = safeLocalPath(request.body.next);
    const user = await app.users.authenticate(username, password);
    if (!user) return renderLogin(reply, { next, username, failed: true }, 401);
    // A new session id at sign-in, so an id planted before it (session fixation) is worth nothing.
    await request.session.regenerate();
    request.session.userId = user.id;
    return reply.redirect(next, 303);
  });

  app.post('/logout', { preValidation: app.csrfProtection }, async (request, reply) => {
    if (request.user) request.log.info({ userId: request.user.id }, 'signed out');
    await request.session.destroy();
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);
  });
}
