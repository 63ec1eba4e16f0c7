import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { PhoneCreated, PhoneInput, PhoneSecrets, PhoneView } from '../../phones/schemas.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { errorResponses } from '../api-errors.js';
import { requester } from './api-monitor.js';

const errors = errorResponses(400, 401, 403, 404, 409, 503);
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;

/**
 * /api/v1/phones: desk phones, admins only (the answers carry SIP passwords and
 * provisioning URLs). Every change is applied to Asterisk before the answer.
 */
export default async function apiPhonesRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const write = { onRequest: admin, preValidation: csrfUnlessJson(app) };
  const tags = ['phones'];

  app.get<{ Reply: PhoneView[] }>('/api/v1/phones', {
    onRequest: admin,
    schema: { tags, summary: 'Desk phones added from the pages or the API', response: { 200: Type.Array(PhoneView), ...errors } },
  }, async () => app.phones.list());

  app.get<{ Params: IdParams; Reply: PhoneView }>('/api/v1/phones/:id', {
    onRequest: admin,
    schema: { tags, summary: 'One desk phone', params: IdParams, response: { 200: PhoneView, ...errors } },
  }, async (request) => app.phones.get(request.params.id));

  app.get<{ Params: IdParams; Reply: PhoneSecrets }>('/api/v1/phones/:id/secrets', {
    onRequest: admin,
    schema: { tags, summary: "The phone's SIP password and provisioning URL", params: IdParams, response: { 200: PhoneSecrets, ...errors } },
  }, async (request) => app.phones.secrets(request.params.id, requester(request)));

  app.post<{ Body: PhoneInput; Reply: PhoneCreated }>('/api/v1/phones', {
    ...write,
    schema: {
      tags, summary: 'Add a desk phone: a generated SIP password and provisioning URL come back once; Asterisk takes it at once',
      body: PhoneInput, response: { 201: PhoneCreated, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await app.phones.create(request.body, requester(request))));

  app.put<{ Params: IdParams; Body: PhoneInput; Reply: PhoneView }>('/api/v1/phones/:id', {
    ...write,
    schema: { tags, summary: 'Change a desk phone (its password and secret stay)', params: IdParams, body: PhoneInput, response: { 200: PhoneView, ...errors } },
  }, async (request) => app.phones.update(request.params.id, request.body, requester(request)));

  app.post<{ Params: IdParams; Reply: PhoneCreated }>('/api/v1/phones/:id/regenerate', {
    ...write,
    schema: { tags, summary: 'New SIP password and provisioning secret (the old URL stops working)', params: IdParams, response: { 200: PhoneCreated, ...errors } },
  }, async (request) => app.phones.regenerate(request.params.id, requester(request)));

  app.delete<{ Params: IdParams }>('/api/v1/phones/:id', {
    // No CSRF token for DELETE (as for pause reasons): no HTML form can send one.
    onRequest: admin,
    schema: { tags, summary: 'Remove a desk phone (Asterisk drops its endpoint at once)', params: IdParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.phones.remove(request.params.id, requester(request));
    return reply.code(204).send();
  });
}
