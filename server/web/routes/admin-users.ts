import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { ROLES, type Role } from '../../users/index.js';
import { requireRole } from '../plugins/auth.js';
import { actorOf } from '../actor.js';
import { t } from '../i18n/index.js';

// The users page: a row per user with small forms (role, name, active; password; unlock;
// log out everywhere; reset two-step sign-in) and one to add a user. Plain CSRF-checked
// forms posting to the same service as /api/v1/users, so they refuse the same things.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const RoleField = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Csrf = Type.Object({ _csrf: Type.Optional(Type.String()) });
const NewForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  username: Type.String({ maxLength: 64 }),
  displayName: Type.String({ maxLength: 128 }),
  role: RoleField,
  password: Type.String({ maxLength: 256 }),
});
const EditForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  displayName: Type.String({ minLength: 1, maxLength: 128 }),
  role: RoleField,
  active: Type.Optional(Type.String({ maxLength: 4 })),
});
const PasswordForm = Type.Object({ _csrf: Type.Optional(Type.String()), password: Type.String({ minLength: 1, maxLength: 256 }) });

export default async function adminUsersRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  async function page(reply: FastifyReply, extra: { problem?: string; saved?: boolean } = {}, status = 200) {
    const locale = reply.request.locale;
    const users = await Promise.all((await app.users.list()).map(async (u) => {
      const lockedUntil = await app.users.throttle.isLocked(u.username);
      return { ...u, lockedUntil: lockedUntil?.toISOString(), roles: ROLES.map((r) => ({ value: r, label: t(locale, `users.role.${r}`), selected: r === u.role })) };
    }));
    return reply.page('admin/users', {
      titleKey: 'users.title',
      users,
      roles: ROLES.map((r) => ({ value: r, label: t(locale, `users.role.${r}`) })),
      ...extra,
    }, status);
  }
  const done = (reply: FastifyReply) => reply.redirect('/admin/users?saved=1', 303);
  /** A refused change shows the page again with the service's reason; nothing was changed. */
  async function attempt(reply: FastifyReply, action: () => Promise<unknown>) {
    try {
      await action();
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
      return page(reply, { problem: err.message }, err.statusCode);
    }
    return done(reply);
  }

  app.get<{ Querystring: { saved?: string } }>('/admin/users', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: Static<typeof NewForm> }>('/admin/users', { ...post, schema: { body: NewForm } }, async (request, reply) => {
    const { username, displayName, role, password } = request.body;
    return attempt(reply, () => app.users.create({ username, displayName, role: role as Role, password }, actorOf(request)));
  });

  app.post<{ Params: IdParams; Body: Static<typeof EditForm> }>('/admin/users/:id', { ...post, schema: { params: IdParams, body: EditForm } }, async (request, reply) => {
    const { displayName, role, active } = request.body;
    return attempt(reply, () => app.users.update(request.params.id, { displayName, role: role as Role, active: active === 'on' }, actorOf(request)));
  });

  app.post<{ Params: IdParams; Body: Static<typeof PasswordForm> }>('/admin/users/:id/password', { ...post, schema: { params: IdParams, body: PasswordForm } }, async (request, reply) =>
    attempt(reply, () => app.users.setPassword(request.params.id, request.body.password, actorOf(request))));

  app.post<{ Params: IdParams }>('/admin/users/:id/unlock', { ...post, schema: { params: IdParams, body: Csrf } }, async (request, reply) =>
    attempt(reply, () => app.users.unlock(request.params.id, actorOf(request))));

  app.post<{ Params: IdParams }>('/admin/users/:id/logout-everywhere', { ...post, schema: { params: IdParams, body: Csrf } }, async (request, reply) =>
    attempt(reply, () => app.users.logoutEverywhere(request.params.id, actorOf(request))));

  app.post<{ Params: IdParams }>('/admin/users/:id/totp-reset', { ...post, schema: { params: IdParams, body: Csrf } }, async (request, reply) =>
    attempt(reply, () => app.secondFactor.reset(request.params.id, actorOf(request))));
}
