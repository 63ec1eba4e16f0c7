import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { currentUser, requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { ChangeMode, MonitorView, StartMonitor } from '../../supervision/schemas.js';
import type { Requester } from '../../supervision/index.js';
import { errorResponses } from '../api-errors.js';

const errors = errorResponses(400, 401, 403, 404, 409, 503);
const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type Params = Static<typeof Params>;

export function requester(request: FastifyRequest): Requester {
  const user = currentUser(request);
  return { userId: user.id, username: user.username, ip: request.ip };
}

/** /api/v1/monitor: listen, whisper and barge on a connected call through the supervisor's own desk phone. */
export default async function apiMonitorRoutes(app: FastifyInstance): Promise<void> {
  const read = { onRequest: requireRole('admin', 'supervisor') };
  const write = { ...read, preValidation: csrfUnlessJson(app) };
  const tags = ['monitor'];

  app.get<{ Reply: MonitorView[] }>('/api/v1/monitor', {
    ...read, schema: { tags, summary: 'Monitoring sessions not yet ended', response: { 200: Type.Array(MonitorView), ...errors } },
  }, async () => app.monitors.list());

  app.get<{ Params: Params; Reply: MonitorView }>('/api/v1/monitor/:id', {
    ...read, schema: { tags, summary: 'One monitoring session (ended ones are kept an hour)', params: Params, response: { 200: MonitorView, ...errors } },
  }, async (request) => app.monitors.get(request.params.id));

  app.post<{ Body: StartMonitor; Reply: MonitorView }>('/api/v1/monitor', {
    ...write,
    schema: {
      tags,
      summary: "Ring the supervisor's desk phone; when answered it listens, whispers or barges on the call",
      body: StartMonitor,
      response: { 201: MonitorView, ...errors },
    },
  }, async (request, reply) => reply.code(201).send(await app.monitors.start(request.body, requester(request))));

  app.patch<{ Params: Params; Body: ChangeMode; Reply: MonitorView }>('/api/v1/monitor/:id', {
    ...write, schema: { tags, summary: 'Switch mode during the call, without redialling', params: Params, body: ChangeMode, response: { 200: MonitorView, ...errors } },
  }, async (request) => app.monitors.changeMode(request.params.id, request.body.mode, requester(request)));

  app.delete<{ Params: Params; Reply: MonitorView }>('/api/v1/monitor/:id', {
    ...read, schema: { tags, summary: "Stop monitoring: the supervisor's phone is hung up", params: Params, response: { 200: MonitorView, ...errors } },
  }, async (request) => app.monitors.end(request.params.id, 'stopped', requester(request)));
}
