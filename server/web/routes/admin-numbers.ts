import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';

// The numbers (DIDs) page: every number with where its calls go, recording and the consent
// announcement; add, change, remove. Plain CSRF-checked forms to the same DID service as
// /api/v1/dids, so the page refuses exactly what the API refuses, with the same message.

const NumberParams = Type.Object({ number: Type.String({ maxLength: 32 }) });
type NumberParams = Static<typeof NumberParams>;
const DidForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  number: Type.Optional(Type.String({ maxLength: 40 })),
  target: Type.String({ maxLength: 80 }),
  recording: Type.Optional(Type.String({ maxLength: 8 })),
  consentPrompt: Type.Optional(Type.String({ maxLength: 12 })),
  consentOptOutKey: Type.Optional(Type.String({ maxLength: 4 })),
});
type DidForm = Static<typeof DidForm>;
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) });

/**
 * The form as the service's settings. The target select says `flow:<name>` or
 * `queue:<name>`; anything else goes on as typed for the service to refuse by name.
 */
export function settingsFromForm(f: DidForm): Record<string, unknown> {
  const [kind, ...rest] = f.target.split(':');
  const name = rest.join(':');
  const target = kind === 'flow' ? { flow: name } : kind === 'queue' ? { queue: name } : {};
  const prompt = (f.consentPrompt ?? '').trim();
  const key = (f.consentOptOutKey ?? '').trim();
  return {
    ...target,
    recording: f.recording === 'off' ? false : f.recording === 'on' || f.recording === undefined ? true : f.recording,
    consentPrompt: prompt === '' ? null : /^[0-9]+$/.test(prompt) ? Number(prompt) : prompt,
    consentOptOutKey: key === '' ? null : key,
  };
}

export default async function adminNumbersRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean; form?: DidForm } = {}, status = 200) => {
    const [dids, flows, queues, prompts] = await Promise.all([app.dids.list(), app.flows.names(), app.queues.names(), app.prompts.list()]);
    const targets = [...flows.map((n) => ({ value: `flow:${n}`, label: `${t(reply.request.locale, 'dids.flow')}: ${n}` })),
      ...queues.map((n) => ({ value: `queue:${n}`, label: `${t(reply.request.locale, 'dids.queue')}: ${n}` }))];
    const rows = dids.map((d) => ({
      ...d,
      targets: targets.map((o) => ({ ...o, selected: o.value === (d.flow ? `flow:${d.flow}` : `queue:${d.queue}`) })),
      prompts: prompts.map((p) => ({ id: p.id, name: p.name, selected: p.id === d.consentPrompt })),
    }));
    return reply.page('admin/numbers', {
      titleKey: 'numbers.title', dids: rows, targets, prompts, csrfToken: reply.generateCsrf(), ...extra,
    }, status);
  };
  // A refusal is shown above the list with the service's own message; anything else is a server error.
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
    return page(reply, { problem: err.message }, err.statusCode);
  };

  app.get<{ Querystring: Static<typeof SavedQuery> }>('/admin/numbers', { onRequest: admin, schema: { querystring: SavedQuery } },
    async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: DidForm }>('/admin/numbers', { ...post, schema: { body: DidForm } }, async (request, reply) => {
    try {
      await app.dids.create({ number: (request.body.number ?? '').trim(), ...settingsFromForm(request.body) });
      return reply.redirect('/admin/numbers?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: NumberParams; Body: DidForm }>('/admin/numbers/:number', { ...post, schema: { params: NumberParams, body: DidForm } }, async (request, reply) => {
    try {
      // The page always names a target: an empty choice is "to nothing", refused by the service.
      const settings = settingsFromForm(request.body);
      if (settings.flow === undefined && settings.queue === undefined) settings.flow = request.body.target;
      await app.dids.update(request.params.number, settings);
      return reply.redirect('/admin/numbers?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: NumberParams }>('/admin/numbers/:number/delete', { ...post, schema: { params: NumberParams, body: CsrfOnly } }, async (request, reply) => {
    try {
      await app.dids.delete(request.params.number);
      return reply.redirect('/admin/numbers?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });
}
