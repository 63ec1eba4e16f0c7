import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppError } from '../../core/errors.js';
import type { PhoneCreated, PhoneInput } from '../../phones/schemas.js';
import { PHONE_LANGUAGES, VENDORS, type PhoneLanguage, type Vendor } from '../../phones/phone-rules.js';
import { requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';
import { requester } from './api-monitor.js';

// The desk phones page: add, change, remove, regenerate secrets, and reveal a phone's SIP
// password and provisioning URL. Plain CSRF-checked forms posting to the same service as
// /api/v1/phones, so the page refuses exactly what the API refuses.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const PhoneForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  extension: Type.String({ maxLength: 8 }),
  displayName: Type.String({ maxLength: 64 }),
  mac: Type.String({ maxLength: 17 }),
  vendor: Type.String({ maxLength: 16 }),
  model: Type.Optional(Type.String({ maxLength: 32 })),
  language: Type.Optional(Type.String({ maxLength: 8 })),
  blfKeys: Type.Optional(Type.String({ maxLength: 600 })),
});
type PhoneForm = Static<typeof PhoneForm>;
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });

/** The form's fields as the service takes them, or the i18n key of what is wrong. */
function fromForm(f: PhoneForm): { input?: PhoneInput; problemKey?: string } {
  if (!(VENDORS as readonly string[]).includes(f.vendor)) return { problemKey: 'phones.badVendor' };
  const language = (PHONE_LANGUAGES as readonly string[]).includes(f.language ?? 'en') ? (f.language ?? 'en') as PhoneLanguage : 'en';
  const blfKeys = (f.blfKeys ?? '').split(/[\s,]+/).filter(Boolean);
  return { input: { extension: f.extension, displayName: f.displayName, mac: f.mac, vendor: f.vendor as Vendor, model: f.model ?? '', language, blfKeys } };
}

export default async function adminPhonesRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean; revealed?: PhoneCreated | { extension: string; sipPassword: string; provisioningUrl: string } } = {}, status = 200) =>
    reply.page('admin/phones', {
      titleKey: 'phones.title',
      phones: (await app.phones.list()).map((p) => ({ ...p, blfText: p.blfKeys.join(' '), vendors: VENDORS.map((v) => ({ v, selected: v === p.vendor })) })),
      configPhones: app.config.phones.map((p) => ({ extension: p.extension, name: p.name })),
      vendors: VENDORS,
      csrfToken: reply.generateCsrf(),
      ...extra,
    }, status);
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err as AppError).code) throw err;
    return page(reply, { problem: (err as AppError).message }, (err as AppError).statusCode);
  };
  const withForm = (reply: FastifyReply, form: PhoneForm, run: (input: PhoneInput) => Promise<unknown>) => {
    const { input, problemKey } = fromForm(form);
    if (!input) return page(reply, { problem: t(reply.request.locale, problemKey as string) }, 400);
    return run(input).catch((err: unknown) => refused(reply, err));
  };

  app.get<{ Querystring: { saved?: string } }>('/admin/phones', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: PhoneForm }>('/admin/phones', { ...post, schema: { body: PhoneForm } }, async (request, reply) =>
    withForm(reply, request.body, async (input) => page(reply, { saved: true, revealed: await app.phones.create(input, requester(reply.request)) }, 201)));

  app.post<{ Params: IdParams; Body: PhoneForm }>('/admin/phones/:id', { ...post, schema: { params: IdParams, body: PhoneForm } }, async (request, reply) =>
    withForm(reply, request.body, async (input) => {
      await app.phones.update(request.params.id, input, requester(request));
      return reply.redirect('/admin/phones?saved=1', 303);
    }));

  app.post<{ Params: IdParams }>('/admin/phones/:id/delete', { ...post, schema: { params: IdParams, body: CsrfOnly } }, async (request, reply) => {
    try {
      await app.phones.remove(request.params.id, requester(request));
      return reply.redirect('/admin/phones?saved=1', 303);
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: IdParams }>('/admin/phones/:id/regenerate', { ...post, schema: { params: IdParams, body: CsrfOnly } }, async (request, reply) => {
    try {
      return page(reply, { saved: true, revealed: await app.phones.regenerate(request.params.id, requester(request)) });
    } catch (err) {
      return refused(reply, err);
    }
  });

  app.post<{ Params: IdParams }>('/admin/phones/:id/reveal', { ...post, schema: { params: IdParams, body: CsrfOnly } }, async (request, reply) => {
    try {
      const phone = await app.phones.get(request.params.id);
      return page(reply, { revealed: { extension: phone.extension, ...(await app.phones.secrets(phone.id, requester(request))) } });
    } catch (err) {
      return refused(reply, err);
    }
  });
}
