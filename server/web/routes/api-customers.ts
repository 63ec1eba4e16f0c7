import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  Customer, CustomerDetail, CustomerNote, CustomerPage, CustomerPatch, HistoryPage, HistoryQuery, NewCustomer, NewNote, SearchQuery,
} from '../../crm/schemas.js';
import type { Author } from '../../crm/index.js';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 422);

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type Params = Static<typeof Params>;
const LookupQuery = Type.Object({ number: Type.String({ maxLength: 64, description: 'a caller id in any format' }) });
const Lookup = Type.Object({
  number: Type.Union([Type.String(), Type.Null()], { description: 'the caller id normalised; null when it is no number (anonymous)' }),
  customer: Type.Union([Customer, Type.Null()]),
});

export const authorOf = (request: FastifyRequest): Author => {
  const user = currentUser(request);
  return { userId: user.id, name: user.displayName };
};

/**
 * /api/v1/customers: the CRM. Agents, supervisors and admins may read, create and edit.
 * Bodies are checked by the CRM service (docsOnlyBody), so the API and the pages refuse
 * the same input with the same codes (422 invalid-customer, invalid-phone-number, invalid-note).
 */
export default async function apiCustomersRoutes(app: FastifyInstance): Promise<void> {
  const route = { onRequest: requireRole('admin', 'supervisor', 'agent'), ...docsOnlyBody };
  const write = { ...route, preValidation: csrfUnlessJson(app) };
  const tags = ['customers'];

  app.get<{ Querystring: SearchQuery }>('/api/v1/customers', {
    ...route, schema: { tags, summary: 'Customers by part of a name or number, ordered by name', querystring: SearchQuery, response: { 200: CustomerPage, ...errors } },
  }, async (request) => app.crm.search(request.query));

  // Registered before /:id so "lookup" is never read as an id.
  app.get<{ Querystring: Static<typeof LookupQuery> }>('/api/v1/customers/lookup', {
    ...route, schema: { tags, summary: 'The customer a caller id belongs to (the screen pop\'s lookup)', querystring: LookupQuery, response: { 200: Lookup, ...errors } },
  }, async (request) => ({ number: app.crm.normalise(request.query.number) ?? null, customer: (await app.crm.lookup(request.query.number)) ?? null }));

  app.get<{ Params: Params }>('/api/v1/customers/:id', {
    ...route, schema: { tags, summary: 'One customer with numbers and latest notes', params: Params, response: { 200: CustomerDetail, ...errors } },
  }, async (request) => app.crm.get(request.params.id));

  app.post('/api/v1/customers', {
    ...write, schema: { tags, summary: 'Create a customer (name required; numbers in any format)', body: NewCustomer, response: { 201: CustomerDetail, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.crm.create(request.body, authorOf(request))));

  app.patch<{ Params: Params }>('/api/v1/customers/:id', {
    ...write, schema: { tags, summary: 'Change a customer; numbers, when given, replace the list', params: Params, body: CustomerPatch, response: { 200: CustomerDetail, ...errors } },
  }, async (request) => app.crm.update(request.params.id, request.body, authorOf(request)));

  app.post<{ Params: Params }>('/api/v1/customers/:id/notes', {
    ...write, schema: { tags, summary: 'Append a dated note with its author', params: Params, body: NewNote, response: { 201: CustomerNote, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.crm.addNote(request.params.id, request.body, authorOf(request))));

  app.get<{ Params: Params; Querystring: Static<typeof HistoryQuery> }>('/api/v1/customers/:id/history', {
    ...route, schema: { tags, summary: 'Earlier interactions, newest first, with outcomes, wrap-up and recording ids', params: Params, querystring: HistoryQuery, response: { 200: HistoryPage, ...errors } },
  }, async (request) => app.crm.history({ customerId: request.params.id, limit: request.query.limit, before: request.query.before }));
}
