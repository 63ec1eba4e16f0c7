import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import type { CustomerDetail, HistoryPage } from '../../crm/index.js';
import { requireRole } from '../plugins/auth.js';
import { authorOf } from './api-customers.js';
import { exportFilename, requesterOf } from './api-customer-privacy.js';
import {
  customerCardModel, customerFormValues, customerInputOf, customerRow, historyRows, levelOptions, newCustomerFormModel,
  type CustomerFormValues,
} from '../view-models/customers.js';

// The customers pages. They post plain forms (CSRF-checked) and call the same CrmService
// as /api/v1/customers, so a page refuses exactly what the API refuses, shown beside the form.

interface Problem {
  where?: string;
  message: string;
}

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type Params = Static<typeof Params>;
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 128 })),
  erased: Type.Optional(Type.Integer({ minimum: 1 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});
const NewQuery = Type.Object({ number: Type.Optional(Type.String({ maxLength: 64 })) });
const ViewQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })), before: Type.Optional(Type.String({ maxLength: 128 })) });
const Form = Type.Record(Type.String(), Type.String({ maxLength: 10_000 }));
type Form = Static<typeof Form>;
const PAGE = 25;

/** Problems a service refused with, for the page; anything that is not a refusal goes on to the error handler. */
function refusal(err: unknown): Problem[] {
  if (!(err instanceof AppError) || err.statusCode >= 500 || err.statusCode === 404) throw err;
  const listed = (err.details as { problems?: Array<{ path: string; message: string }> } | undefined)?.problems;
  if (!listed?.length) return [{ message: err.message }];
  return listed.map((p) => ({ where: p.path.replace(/^\//, '') || undefined, message: p.message }));
}

const formFields = (f: Form): CustomerFormValues => ({
  name: f.name, level: f.level, tags: f.tags, notes: f.notes, email: f.email, company: f.company, numbers: f.numbers,
});

export default async function customersRoutes(app: FastifyInstance): Promise<void> {
  const guard = requireRole('admin', 'supervisor', 'agent');
  const post = { onRequest: guard, preValidation: app.csrfProtection };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/customers', { onRequest: guard, schema: { querystring: ListQuery } }, async (request, reply) => {
    const q = request.query.q ?? '';
    const page = await app.crm.search({ q, limit: PAGE, offset: request.query.offset ?? 0 });
    const more = (offset: number) => `/customers?${new URLSearchParams({ ...(q ? { q } : {}), offset: String(offset) })}`;
    return reply.page('crm/customers', {
      titleKey: 'crm.customers.title',
      q,
      erasedId: request.query.erased,
      customers: page.items.map((c) => customerRow(c, request.locale)),
      nextHref: page.nextOffset === null ? undefined : more(page.nextOffset),
    });
  });

  const newPage = (request: FastifyRequest, reply: FastifyReply, o: { callerNumber?: string; values?: CustomerFormValues; problems?: Problem[] }, status = 200) =>
    reply.page('crm/customer-new', { titleKey: 'crm.new.title', form: newCustomerFormModel({ ...o, locale: request.locale, csrfToken: reply.generateCsrf() }) }, status);

  app.get<{ Querystring: Static<typeof NewQuery> }>('/customers/new', { onRequest: guard, schema: { querystring: NewQuery } }, async (request, reply) =>
    newPage(request, reply, { callerNumber: app.crm.normalise(request.query.number) }));

  app.post<{ Body: Form }>('/customers', { ...post, schema: { body: Form } }, async (request, reply) => {
    const values = formFields(request.body);
    try {
      const customer = await app.crm.create(customerInputOf(values), authorOf(request));
      return reply.redirect(`/customers/${customer.id}?saved=1`, 303);
    } catch (err) {
      return newPage(request, reply, { values, problems: refusal(err) }, (err as AppError).statusCode);
    }
  });

  registerCustomerPages(app, guard, post);
}

type Guard = ReturnType<typeof requireRole>;
type CustomerPage = (request: FastifyRequest, reply: FastifyReply, o: { customer: CustomerDetail; problems?: Problem[] }, status?: number) => Promise<FastifyReply>;

/** The admin's export and erase buttons on the customer page (the same service as the API). */
function registerPrivacyForms(app: FastifyInstance, customerPage: CustomerPage): void {
  const admin = { onRequest: requireRole('admin'), preValidation: app.csrfProtection };
  app.post<{ Params: Params }>('/customers/:id/export', { ...admin, schema: { params: Params } }, async (request, reply) => {
    const doc = await app.privacy.export(request.params.id, requesterOf(request));
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${exportFilename(request.params.id)}"`)
      .header('cache-control', 'no-store').send(JSON.stringify(doc, null, 2));
  });
  app.post<{ Params: Params; Body: Form }>('/customers/:id/erase', { ...admin, schema: { params: Params, body: Form } }, async (request, reply) => {
    try {
      await app.privacy.erase(request.params.id, { confirm: request.body.confirm ?? '' });
      return reply.redirect(`/customers?erased=${request.params.id}`, 303);
    } catch (err) {
      const problems = refusal(err).map((p) => ({ ...p, where: 'erase' }));
      return customerPage(request, reply, { customer: await app.crm.get(request.params.id), problems }, (err as AppError).statusCode);
    }
  });
}

/** One customer: view, edit, notes. */
function registerCustomerPages(app: FastifyInstance, guard: Guard, post: { onRequest: Guard; preValidation: FastifyInstance['csrfProtection'] }): void {
  const customerPage = async (request: FastifyRequest, reply: FastifyReply, o: { customer: CustomerDetail; values?: CustomerFormValues; problems?: Problem[]; saved?: boolean; before?: string }, status = 200) => {
    let history: HistoryPage = { items: [], nextBefore: null };
    try {
      history = await app.crm.history({ customerId: o.customer.id, limit: 20, before: o.before });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'invalid-cursor')) throw err;
    }
    const values = o.values ?? customerFormValues(o.customer);
    return reply.page('crm/customer', {
      titleKey: 'crm.customer.title',
      card: customerCardModel(o.customer, request.locale),
      values,
      levels: levelOptions(o.customer.level, request.locale).map((l) => ({ ...l, selected: l.value === (values.level ?? o.customer.level) })),
      history: historyRows(history.items, request.locale),
      olderHref: history.nextBefore ? `/customers/${o.customer.id}?before=${encodeURIComponent(history.nextBefore)}` : undefined,
      problems: o.problems ?? [],
      saved: o.saved,
      csrfToken: reply.generateCsrf(),
    }, status);
  };

  app.get<{ Params: Params; Querystring: Static<typeof ViewQuery> }>('/customers/:id', { onRequest: guard, schema: { params: Params, querystring: ViewQuery } }, async (request, reply) =>
    customerPage(request, reply, { customer: await app.crm.get(request.params.id), saved: request.query.saved === '1', before: request.query.before }));

  app.post<{ Params: Params; Body: Form }>('/customers/:id', { ...post, schema: { params: Params, body: Form } }, async (request, reply) => {
    const values = formFields(request.body);
    try {
      await app.crm.update(request.params.id, customerInputOf(values), authorOf(request));
      return reply.redirect(`/customers/${request.params.id}?saved=1`, 303);
    } catch (err) {
      const problems = refusal(err);
      return customerPage(request, reply, { customer: await app.crm.get(request.params.id), values, problems }, (err as AppError).statusCode);
    }
  });

  registerPrivacyForms(app, customerPage);

  app.post<{ Params: Params; Body: Form }>('/customers/:id/notes', { ...post, schema: { params: Params, body: Form } }, async (request, reply) => {
    try {
      await app.crm.addNote(request.params.id, { text: request.body.text ?? '' }, authorOf(request));
      return reply.redirect(`/customers/${request.params.id}#notes`, 303);
    } catch (err) {
      const problems = refusal(err);
      return customerPage(request, reply, { customer: await app.crm.get(request.params.id), problems }, (err as AppError).statusCode);
    }
  });
}
