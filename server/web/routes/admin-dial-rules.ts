import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';

// The dial rules page: the rules, one form to add, a delete button each. Plain forms
// (CSRF-checked) to the same service as /api/v1/dial-rules, so they refuse the same.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const RuleForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  prefix: Type.String({ maxLength: 32 }),
  action: Type.String({ maxLength: 8 }),
  label: Type.String({ maxLength: 200 }),
});
type RuleForm = Static<typeof RuleForm>;
const DeleteForm = Type.Object({ _csrf: Type.Optional(Type.String()) });

export default async function adminDialRulesRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };
  const { crm, trunk } = app.config;

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean } = {}, status = 200) =>
    reply.page('admin/dial-rules', {
      titleKey: 'dialRules.title', rules: (await app.dialPolicy.rules()).map((r) => ({ ...r, allow: r.action === 'allow' })), internationalPrefix: crm.internationalPrefix,
      premium: trunk.premiumPrefixes.join(', '), csrfToken: reply.generateCsrf(), ...extra,
    }, status);
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err as AppError).code) throw err;
    const e = err as AppError & { details?: Array<{ path: string; message: string }> };
    const detail = Array.isArray(e.details) ? `: ${e.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : '';
    return page(reply, { problem: `${e.message}${detail}` }, e.statusCode);
  };

  app.get<{ Querystring: { saved?: string } }>('/admin/dial-rules', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: RuleForm }>('/admin/dial-rules', { ...post, schema: { body: RuleForm } }, async (request, reply) => {
    try {
      const { prefix, action, label } = request.body;
      await app.dialPolicy.create({ prefix: prefix.trim(), action, label });
      return reply.redirect('/admin/dial-rules?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: Static<typeof IdParams> }>('/admin/dial-rules/:id/delete', { ...post, schema: { params: IdParams, body: DeleteForm } }, async (request, reply) => {
    try {
      await app.dialPolicy.remove(request.params.id);
      return reply.redirect('/admin/dial-rules?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });
}
