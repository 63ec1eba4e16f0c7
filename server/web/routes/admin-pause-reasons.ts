import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppError } from '../../core/errors.js';
import type { PauseReasonInput } from '../../agents/schemas.js';
import { requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';

// The pause reasons page: one small form per reason and one to add a reason. It posts plain
// forms (CSRF-checked) to the same service as /api/v1/pause-reasons, so it refuses the same.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const ReasonForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.String({ maxLength: 64 }),
  code: Type.String({ maxLength: 8 }),
  label: Type.String({ maxLength: 200 }),
  paid: Type.Optional(Type.String({ maxLength: 4 })),
  active: Type.Optional(Type.String({ maxLength: 4 })),
});
type ReasonForm = Static<typeof ReasonForm>;
const DeleteForm = Type.Object({ _csrf: Type.Optional(Type.String()) });

const NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const CODE = /^[0-9]{1,4}$/;

/** The form's fields as the service takes them, or the key of what is wrong with them. */
function fromForm(f: ReasonForm): { input?: PauseReasonInput; problemKey?: string } {
  const input = { name: f.name.trim(), code: f.code.trim(), label: f.label.trim(), paid: f.paid === 'on', active: f.active === 'on' };
  if (!NAME.test(input.name)) return { problemKey: 'agentSession.reasons.badName' };
  if (!CODE.test(input.code)) return { problemKey: 'agentSession.reasons.badCode' };
  if (!input.label) return { problemKey: 'agentSession.reasons.badLabel' };
  return { input };
}

export default async function adminPauseReasonsRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean } = {}, status = 200) =>
    reply.page('admin/pause-reasons', { titleKey: 'agentSession.reasons.title', reasons: await app.pauseReasons.list(), csrfToken: reply.generateCsrf(), ...extra }, status);
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err as AppError).code) throw err;
    return page(reply, { problem: (err as AppError).message }, (err as AppError).statusCode);
  };
  const problemOf = (reply: FastifyReply, key: string) => page(reply, { problem: t(reply.request.locale, key) }, 422);

  app.get<{ Querystring: { saved?: string } }>('/admin/pause-reasons', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: ReasonForm }>('/admin/pause-reasons', { ...post, schema: { body: ReasonForm } }, async (request, reply) => {
    const { input, problemKey } = fromForm(request.body);
    if (!input) return problemOf(reply, problemKey as string);
    try {
      await app.pauseReasons.create(input);
      return reply.redirect('/admin/pause-reasons?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: IdParams; Body: ReasonForm }>('/admin/pause-reasons/:id', { ...post, schema: { params: IdParams, body: ReasonForm } }, async (request, reply) => {
    const { input, problemKey } = fromForm(request.body);
    if (!input) return problemOf(reply, problemKey as string);
    try {
      await app.pauseReasons.update(request.params.id, input);
      return reply.redirect('/admin/pause-reasons?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: IdParams }>('/admin/pause-reasons/:id/delete', { ...post, schema: { params: IdParams, body: DeleteForm } }, async (request, reply) => {
    try {
      await app.pauseReasons.remove(request.params.id);
      return reply.redirect('/admin/pause-reasons?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });
}
