import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';
import { trunksPage, type TrunksPageExtra } from '../view-models/trunks.js';

// The trunks page: the list with registration states, a form each to change or remove, one
// to add. Plain CSRF-checked forms posting to the same service as /api/v1/trunks, so the
// page refuses exactly what the API refuses. Fields are only bounded here: the service
// gives each bad value its own message, shown on the page.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const TrunkForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.String({ maxLength: 64 }),
  label: Type.Optional(Type.String({ maxLength: 128 })),
  kind: Type.String({ maxLength: 16 }),
  host: Type.String({ maxLength: 300 }),
  port: Type.Optional(Type.String({ maxLength: 8 })),
  match: Type.Optional(Type.String({ maxLength: 1000 })),
  username: Type.Optional(Type.String({ maxLength: 128 })),
  password: Type.Optional(Type.String({ maxLength: 256 })),
  fromDomain: Type.Optional(Type.String({ maxLength: 300 })),
  codecs: Type.Optional(Type.String({ maxLength: 16 })),
  enabled: Type.Optional(Type.String({ maxLength: 4 })),
  outbound: Type.Optional(Type.String({ maxLength: 4 })),
});
type TrunkForm = Static<typeof TrunkForm>;
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });

/**
 * The form as the service's body. Checkboxes are sent only when ticked, so both flags are
 * always given; an empty password keeps the stored one; an IP trunk sends no credentials
 * (the fields stay on the form when the kind is switched).
 */
export function bodyOfForm(f: TrunkForm): Record<string, unknown> {
  const port = (f.port ?? '').trim();
  const register = f.kind === 'register';
  return {
    name: f.name, label: f.label ?? '', kind: f.kind, host: f.host,
    ...(port ? { port: /^[0-9]{1,5}$/.test(port) ? Number(port) : port } : {}),
    match: (f.match ?? '').split(/[\s,]+/).filter(Boolean),
    ...(register ? { username: f.username ?? '', fromDomain: f.fromDomain ?? '' } : {}),
    ...(register && f.password ? { password: f.password } : {}),
    codecs: (f.codecs || 'ulaw,alaw').split(','),
    enabled: f.enabled === 'on', outbound: f.outbound === 'on',
  };
}

export default async function adminTrunksRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: TrunksPageExtra = {}, status = 200) =>
    reply.page('admin/trunks', await trunksPage(app, reply.generateCsrf(), extra), status);
  const refused = (reply: FastifyReply, err: unknown, form?: TrunkForm) => {
    if (!(err as AppError).code) throw err;
    // The refused values go back into the form, never the password.
    const shown = form ? Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'password' && k !== '_csrf')) : undefined;
    return page(reply, { problem: (err as AppError).message, form: shown }, (err as AppError).statusCode);
  };

  app.get<{ Querystring: { saved?: string } }>('/admin/trunks', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: TrunkForm }>('/admin/trunks', { ...post, schema: { body: TrunkForm } }, async (request, reply) => {
    try {
      await app.trunks.create(bodyOfForm(request.body));
      return reply.redirect('/admin/trunks?saved=1', 303);
    } catch (err) {
      return refused(reply, err, request.body);
    }
  });

  app.post<{ Params: IdParams; Body: TrunkForm }>('/admin/trunks/:id', { ...post, schema: { params: IdParams, body: TrunkForm } }, async (request, reply) => {
    try {
      await app.trunks.update(request.params.id, bodyOfForm(request.body));
      return reply.redirect('/admin/trunks?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: IdParams }>('/admin/trunks/:id/delete', { ...post, schema: { params: IdParams, body: CsrfOnly } }, async (request, reply) => {
    try {
      await app.trunks.remove(request.params.id);
      return reply.redirect('/admin/trunks?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });
}
