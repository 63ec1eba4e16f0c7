import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { TOTP_ROLES } from '../../users/index.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { SESSION_COOKIE } from '../plugins/security.js';
import { actorOf } from '../actor.js';
import { qrDataUri } from '../totp-qr.js';

// The signed-in user's own account: password, "log out everywhere" and the optional second
// step. The same services as /api/v1/me, as plain CSRF-checked forms.

const Csrf = Type.Object({ _csrf: Type.Optional(Type.String()) });
const PasswordForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
});
const CodeForm = Type.Object({ _csrf: Type.Optional(Type.String()), code: Type.String({ minLength: 1, maxLength: 32 }) });

interface Extra {
  problem?: string;
  enrollment?: { secret: string; qr: string };
  recoveryCodes?: string[];
}

export default async function accountRoutes(app: FastifyInstance): Promise<void> {
  const anyone = requireRole('admin', 'supervisor', 'agent', 'quality', 'reports');
  const post = { onRequest: anyone, preValidation: app.csrfProtection };

  async function page(reply: FastifyReply, extra: Extra = {}, status = 200) {
    const user = currentUser(reply.request);
    const pending = extra.enrollment || user.totpEnabled ? null : await app.secondFactor.pending(user);
    const enrollment = extra.enrollment ?? (pending ? { secret: pending.secret, qr: await qrDataUri(pending.uri) } : undefined);
    return reply.page('account', {
      titleKey: 'account.title',
      passwordMinLength: app.config.login.passwordMinLength,
      totpAllowed: TOTP_ROLES.includes(user.role),
      totpEnabled: user.totpEnabled && !extra.recoveryCodes,
      ...extra,
      enrollment,
    }, status);
  }
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
    return page(reply, { problem: err.message }, err.statusCode);
  };
  const toLogin = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303);

  app.get('/account', { onRequest: anyone }, async (_request, reply) => page(reply));

  app.post<{ Body: Static<typeof PasswordForm> }>('/account/password', { ...post, schema: { body: PasswordForm } }, async (request, reply) => {
    try {
      await app.users.changeOwnPassword(currentUser(request).id, request.body.currentPassword, request.body.newPassword, actorOf(request));
    } catch (err) {
      return refused(reply, err);
    }
    // Every session ended with the old password, this one too: sign in with the new one.
    return toLogin(reply);
  });

  app.post('/account/logout-everywhere', { ...post, schema: { body: Csrf } }, async (request, reply) => {
    await app.users.logoutEverywhere(currentUser(request).id, actorOf(request));
    return toLogin(reply);
  });

  app.post('/account/totp/start', { ...post, schema: { body: Csrf } }, async (request, reply) => {
    try {
      const { secret, uri } = await app.secondFactor.start(currentUser(request));
      return await page(reply, { enrollment: { secret, qr: await qrDataUri(uri) } });
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Body: Static<typeof CodeForm> }>('/account/totp/confirm', { ...post, schema: { body: CodeForm } }, async (request, reply) => {
    try {
      const recoveryCodes = await app.secondFactor.confirm(currentUser(request), request.body.code, actorOf(request));
      return await page(reply, { recoveryCodes });
    } catch (err) {
      return refused(reply, err);
    }
  });
}
