import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ChangeOwnPassword, CreateUser, SetPassword, UpdateUser, User } from '../../users/schemas.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { errorResponses } from '../api-errors.js';
import { actorOf } from '../actor.js';
import { qrDataUri } from '../totp-qr.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const Ended = Type.Object({ sessionsEnded: Type.Integer() });
const Unlocked = Type.Object({ unlocked: Type.Boolean({ description: 'false when the user had no lock or failures' }) });
const Enrollment = Type.Object({
  secret: Type.String({ description: 'base32, for typing in by hand' }),
  uri: Type.String({ description: 'otpauth:// URI' }),
  qrSvg: Type.String({ description: 'the URI as a QR code: a data: URI of an SVG image' }),
});
const Code = Type.Object({ code: Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String(), { description: 'shown this once; each signs in once' }) });

/** /api/v1/users (admins manage accounts) and /api/v1/me (everyone's own password, sessions and second factor). */
export default async function apiUsersRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const adminWrite = { onRequest: admin, preValidation: csrfUnlessJson(app) };
  const tags = ['users'];

  app.get('/api/v1/users', {
    onRequest: admin, schema: { tags, summary: 'Every user, by username', response: { 200: Type.Array(User), ...errors } },
  }, async () => app.users.list());

  app.post<{ Body: CreateUser }>('/api/v1/users', {
    ...adminWrite, schema: { tags, summary: 'Add a user (password rules apply)', body: CreateUser, response: { 201: User, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.users.create(request.body, actorOf(request))));

  app.get<{ Params: IdParams }>('/api/v1/users/:id', {
    onRequest: admin, schema: { tags, summary: 'One user', params: IdParams, response: { 200: User, ...errors } },
  }, async (request) => app.users.get(request.params.id));

  app.patch<{ Params: IdParams; Body: UpdateUser }>('/api/v1/users/:id', {
    ...adminWrite,
    schema: { tags, summary: 'Change role, name, language or active; deactivating ends every session', params: IdParams, body: UpdateUser, response: { 200: User, ...errors } },
  }, async (request) => app.users.update(request.params.id, request.body, actorOf(request)));

  app.put<{ Params: IdParams; Body: SetPassword }>('/api/v1/users/:id/password', {
    ...adminWrite,
    schema: { tags, summary: "Set a user's password; ends every session of that user", params: IdParams, body: SetPassword, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.users.setPassword(request.params.id, request.body.password, actorOf(request));
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/api/v1/users/:id/unlock', {
    ...adminWrite, schema: { tags, summary: 'Lift a sign-in lockout before it runs out', params: IdParams, response: { 200: Unlocked, ...errors } },
  }, async (request) => ({ unlocked: await app.users.unlock(request.params.id, actorOf(request)) }));

  app.post<{ Params: IdParams }>('/api/v1/users/:id/logout-everywhere', {
    ...adminWrite, schema: { tags, summary: 'End every session of a user', params: IdParams, response: { 200: Ended, ...errors } },
  }, async (request) => ({ sessionsEnded: await app.users.logoutEverywhere(request.params.id, actorOf(request)) }));

  app.delete<{ Params: IdParams }>('/api/v1/users/:id/totp', {
    // No CSRF token for DELETE: no HTML form can send one, and another site's script needs a preflight we never answer.
    onRequest: admin, schema: { tags, summary: "Reset a user's two-step sign-in (a lost phone)", params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.secondFactor.reset(request.params.id, actorOf(request));
    return reply.code(204).send();
  });

  await meRoutes(app);
}

/** /api/v1/me: every signed-in user's own password, sessions and second factor. */
async function meRoutes(app: FastifyInstance): Promise<void> {
  const anyone = requireRole('admin', 'supervisor', 'agent', 'quality', 'reports');
  const ownWrite = { onRequest: anyone, preValidation: csrfUnlessJson(app) };
  const tags = ['users'];

  app.put<{ Body: ChangeOwnPassword }>('/api/v1/me/password', {
    ...ownWrite,
    schema: { tags, summary: 'Change your own password; every session, this one included, ends', body: ChangeOwnPassword, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    const user = currentUser(request);
    await app.users.changeOwnPassword(user.id, request.body.currentPassword, request.body.newPassword, actorOf(request));
    return reply.code(204).send();
  });

  app.post('/api/v1/me/logout-everywhere', {
    ...ownWrite, schema: { tags, summary: 'End every session of yours, this one included', response: { 200: Ended, ...errors } },
  }, async (request) => ({ sessionsEnded: await app.users.logoutEverywhere(currentUser(request).id, actorOf(request)) }));

  app.post('/api/v1/me/totp', {
    ...ownWrite,
    schema: { tags, summary: 'Start two-step sign-in set-up (admins and supervisors): a secret to scan', response: { 200: Enrollment, ...errors } },
  }, async (request) => {
    const enrollment = await app.secondFactor.start(currentUser(request));
    return { ...enrollment, qrSvg: await qrDataUri(enrollment.uri) };
  });

  app.post<{ Body: Static<typeof Code> }>('/api/v1/me/totp/confirm', {
    ...ownWrite,
    schema: { tags, summary: 'Turn two-step sign-in on with a first code; returns the recovery codes once', body: Code, response: { 200: RecoveryCodes, ...errors } },
  }, async (request) => ({ recoveryCodes: await app.secondFactor.confirm(currentUser(request), request.body.code, actorOf(request)) }));
}
