import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';

// The disposition codes page: plain CSRF-checked forms over the same service as
// /api/v1/dispositions, so the page refuses exactly what the API refuses.

const AddForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  queue: Type.Optional(Type.String({ maxLength: 64 })),
  code: Type.String({ maxLength: 200 }),
  label: Type.String({ maxLength: 1000 }),
  sort: Type.Optional(Type.String({ maxLength: 6 })),
});
type AddForm = Static<typeof AddForm>;
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const ToggleForm = Type.Object({ _csrf: Type.Optional(Type.String()), active: Type.Optional(Type.String({ maxLength: 5 })) });
type ToggleForm = Static<typeof ToggleForm>;

interface Problem { where?: string; message: string }

function refusal(err: unknown): Problem[] {
  if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
  const listed = Array.isArray(err.details) ? (err.details as Array<{ path?: string; message: string }>) : [];
  return listed.length ? listed.map((p) => ({ where: p.path, message: p.message })) : [{ message: err.message }];
}

/** GET /admin/dispositions and its forms: add, turn off or on, remove. */
export default async function adminDispositionsRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problems?: Problem[]; form?: Partial<AddForm> } = {}, status = 200) => {
    const [codes, queues] = await Promise.all([app.desk.dispositions.list(), app.queues.list()]);
    return reply.page('admin/dispositions', {
      titleKey: 'dispositions.title', codes, queues: queues.map((q) => ({ name: q.name, selected: q.name === extra.form?.queue })),
      form: extra.form ?? {}, problems: extra.problems, csrfToken: reply.generateCsrf(),
    }, status);
  };

  app.get('/admin/dispositions', { onRequest: admin }, async (_request, reply) => page(reply));

  app.post<{ Body: AddForm }>('/admin/dispositions', { ...post, schema: { body: AddForm } }, async (request, reply) => {
    const { queue, code, label, sort } = request.body;
    try {
      await app.desk.dispositions.create({ queue: queue || null, code: code.trim(), label, ...(sort ? { sort: Number(sort) } : {}) });
      return reply.redirect('/admin/dispositions', 303);
    } catch (err) {
      return page(reply, { problems: refusal(err), form: request.body }, (err as AppError).statusCode);
    }
  });

  app.post<{ Params: IdParams; Body: ToggleForm }>('/admin/dispositions/:id/active', { ...post, schema: { params: IdParams, body: ToggleForm } }, async (request, reply) => {
    try {
      await app.desk.dispositions.update(request.params.id, { active: request.body.active === 'true' });
      return reply.redirect('/admin/dispositions', 303);
    } catch (err) {
      return page(reply, { problems: refusal(err) }, (err as AppError).statusCode);
    }
  });

  app.post<{ Params: IdParams }>('/admin/dispositions/:id/delete', { ...post, schema: { params: IdParams } }, async (request, reply) => {
    try {
      await app.desk.dispositions.remove(request.params.id);
      return reply.redirect('/admin/dispositions', 303);
    } catch (err) {
      return page(reply, { problems: refusal(err) }, (err as AppError).statusCode);
    }
  });
}
