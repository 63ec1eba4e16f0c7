import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { STRATEGIES } from '../../acd/schemas.js';
import type { StoredQueue } from '../../acd/queues-plugin.js';
import type { Flow } from '../../ivr/schemas.js';
import { currentUser, requireRole } from '../plugins/auth.js';

// The flow and queue pages. They post plain forms (CSRF-checked) and call the same
// services as /api/v1, so a page refuses exactly what the API refuses, with the same
// problems, shown beside the form instead of as JSON.

interface Problem {
  where?: string;
  message: string;
}

const NameParams = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
type NameParams = Static<typeof NameParams>;
const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) });
const FlowForm = Type.Object({ _csrf: Type.Optional(Type.String()), json: Type.String({ maxLength: 500_000 }), version: Type.Optional(Type.String({ maxLength: 12 })) });
type FlowForm = Static<typeof FlowForm>;
const QueueForm = Type.Record(Type.String(), Type.String({ maxLength: 100_000 }));
const DeleteForm = Type.Object({ _csrf: Type.Optional(Type.String()) });
const RetentionQuery = Type.Object({ retention: Type.Optional(Type.String({ maxLength: 8 })) });
const DidParams = Type.Object({ number: Type.String({ maxLength: 32 }) });
const DidRouteForm = Type.Object({ _csrf: Type.Optional(Type.String()), number: Type.String({ maxLength: 32 }), target: Type.String({ maxLength: 80 }) });
const DidRecordingForm = Type.Object({ _csrf: Type.Optional(Type.String()), recording: Type.String({ maxLength: 8 }) });

const NEW_FLOW = {
  name: 'new-flow',
  language: 'en',
  start: 'welcome',
  steps: {
    welcome: { type: 'play', prompt: [{ tts: 'Welcome.' }], next: 'to-queue' },
    'to-queue': { type: 'queue', queue: 'support' },
  },
};
const ADVANCED_KEYS = ['overflow', 'priority', 'whenNoAgents', 'whenFull', 'exitKey', 'serviceLevelTargetPct', 'shortAbandonSec', 'abandonTargetPct'] as const;

/** Problems a service refused with, for the page; anything that is not a refusal goes on to the error handler. */
function refusal(err: unknown): Problem[] {
  if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
  const listed = (err.details as { problems?: Array<{ step?: string; path?: string; message: string }> } | undefined)?.problems;
  if (!listed?.length) return [{ message: err.message }];
  return listed.map((p) => ({ where: p.step ?? p.path, message: p.message }));
}

function parseJson(text: string): { value?: unknown; problem?: Problem } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { problem: { message: `not valid JSON: ${(err as Error).message}` } };
  }
}

/** The flow as an admin edits it: its body, without what the server keeps about it. */
function flowJson(flow: Flow): string {
  const body: Partial<Flow> = { ...flow };
  delete body.id;
  delete body.version;
  delete body.updatedAt;
  return JSON.stringify(body, null, 2);
}

const number = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));

/** The survey fields of the queue form; a field left empty takes the queue's default. */
function surveyFromForm(f: Record<string, string>): Record<string, unknown> {
  const survey: Record<string, unknown> = { enabled: f.surveyEnabled === '1' };
  const promptId = number(f.surveyPromptId);
  const timeoutSec = number(f.surveyTimeoutSec);
  if (promptId !== undefined) survey.promptId = promptId;
  if (timeoutSec !== undefined) survey.timeoutSec = timeoutSec;
  return survey;
}

/** A QueueBody from the form: the main fields, plus the JSON of the advanced ones. */
function queueFromForm(f: Record<string, string>, name: string): { body?: unknown; problem?: Problem } {
  const advanced = f.advanced?.trim() ? parseJson(f.advanced) : { value: {} };
  if (advanced.problem) return { problem: { where: 'advanced', message: advanced.problem.message } };
  return {
    body: {
      ...(advanced.value as object),
      name, skill: f.skill?.trim(), strategy: f.strategy,
      minLevel: number(f.minLevel), ringTimeoutSec: number(f.ringTimeoutSec), wrapUpSec: number(f.wrapUpSec),
      maxMisses: number(f.maxMisses), maxWaiting: number(f.maxWaiting), announceEverySec: number(f.announceEverySec), serviceLevelSec: number(f.serviceLevelSec),
      survey: surveyFromForm(f),
      // Anything but on/off goes on as typed, for the service to refuse by name.
      recording: f.recording === 'on' ? true : f.recording === 'off' ? false : f.recording,
      // An empty field keeps recordings forever.
      retentionDays: f.retentionDays?.trim() ? Number(f.retentionDays) : null,
    },
  };
}

function queueFormModel(queue: Partial<StoredQueue> | Record<string, unknown>, isNew: boolean) {
  const q = queue as Record<string, unknown>;
  const advanced = Object.fromEntries(ADVANCED_KEYS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));
  // A refused form is shown again from its own fields, a stored queue from its settings.
  const survey = (q.survey as Record<string, unknown> | undefined)
    ?? { enabled: q.surveyEnabled === '1', promptId: q.surveyPromptId, timeoutSec: q.surveyTimeoutSec };
  return {
    isNew,
    queue: q,
    survey,
    advanced: JSON.stringify(advanced, null, 2),
    recordingOff: q.recording === false || q.recording === 'off',
    strategies: STRATEGIES.map((s) => ({ value: s, labelKey: `queues.strategy.${s}`, selected: s === (q.strategy ?? 'longest_idle') })),
  };
}

export default async function adminRoutingRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const flowPage = (reply: FastifyReply, m: { name?: string; json: string; version?: number; problems?: Problem[]; saved?: boolean }, status = 200) =>
    reply.page('admin/flow-edit', { titleKey: 'flows.title', isNew: m.name === undefined, ...m, csrfToken: reply.generateCsrf() }, status);

  app.get('/admin/flows/new', { onRequest: admin }, async (_request, reply) => flowPage(reply, { json: JSON.stringify(NEW_FLOW, null, 2) }));

  app.get<{ Params: NameParams; Querystring: Static<typeof SavedQuery> }>('/admin/flows/:name', { onRequest: admin, schema: { params: NameParams, querystring: SavedQuery } }, async (request, reply) => {
    const flow = await app.flows.get(request.params.name);
    return flowPage(reply, { name: flow.name, json: flowJson(flow), version: flow.version, saved: request.query.saved === '1' });
  });

  app.post<{ Body: FlowForm }>('/admin/flows', { ...post, schema: { body: FlowForm } }, async (request, reply) => {
    const parsed = parseJson(request.body.json);
    if (parsed.problem) return flowPage(reply, { json: request.body.json, problems: [parsed.problem] }, 422);
    try {
      const flow = await app.flows.create(parsed.value);
      return reply.redirect(`/admin/flows/${encodeURIComponent(flow.name)}?saved=1`, 303);
    } catch (err) {
      return flowPage(reply, { json: request.body.json, problems: refusal(err) }, (err as AppError).statusCode);
    }
  });

  app.post<{ Params: NameParams; Body: FlowForm }>('/admin/flows/:name', { ...post, schema: { params: NameParams, body: FlowForm } }, async (request, reply) => {
    const { name } = request.params;
    const version = number(request.body.version);
    const parsed = parseJson(request.body.json);
    if (parsed.problem) return flowPage(reply, { name, json: request.body.json, version, problems: [parsed.problem] }, 422);
    try {
      await app.flows.update(name, parsed.value, version);
      return reply.redirect(`/admin/flows/${encodeURIComponent(name)}?saved=1`, 303);
    } catch (err) {
      return flowPage(reply, { name, json: request.body.json, version, problems: refusal(err) }, (err as AppError).statusCode);
    }
  });

  app.post<{ Params: NameParams }>('/admin/flows/:name/delete', { ...post, schema: { params: NameParams, body: DeleteForm } }, async (request, reply) => {
    try {
      await app.flows.delete(request.params.name);
      return reply.redirect('/admin/flows', 303);
    } catch (err) {
      const flow = await app.flows.get(request.params.name);
      return flowPage(reply, { name: flow.name, json: flowJson(flow), version: flow.version, problems: refusal(err) }, (err as AppError).statusCode);
    }
  });

  registerFlowList(app, admin, post);
  registerQueuePages(app, admin, post);
}

/** The flows page: every flow, and the numbers (DIDs) with their route and recording switch. */
function registerFlowList(app: FastifyInstance, admin: ReturnType<typeof requireRole>, post: { onRequest: ReturnType<typeof requireRole>; preValidation: FastifyInstance['csrfProtection'] }): void {
  const flowsPage = async (reply: FastifyReply, extra: { didProblem?: string; number?: string } = {}, status = 200) => {
    const [flows, dids, queues] = await Promise.all([app.flows.list(), app.dids.list(), app.queues.list()]);
    const rows = flows.map((f) => ({
      name: f.name, description: f.description ?? '', version: f.version, updatedAt: f.updatedAt.slice(0, 16).replace('T', ' '),
      dids: dids.filter((d) => d.flow === f.name).map((d) => d.number).join(', '),
    }));
    const targets = [...queues.map((q) => ({ value: `queue:${q.name}`, queue: q.name })), ...flows.map((f) => ({ value: `flow:${f.name}`, flow: f.name }))];
    return reply.page('admin/flows', { titleKey: 'flows.title', flows: rows, dids, targets, csrfToken: reply.generateCsrf(), ...extra }, status);
  };

  app.get('/admin/flows', { onRequest: admin }, async (_request, reply) => flowsPage(reply));

  // A number routed (or moved) straight to a queue or a flow; the flows page shows the result or the refusal.
  app.post<{ Body: Static<typeof DidRouteForm> }>('/admin/dids', { ...post, schema: { body: DidRouteForm } }, async (request, reply) => {
    const { number: did, target } = request.body;
    const [kind, name] = [target.split(':', 1)[0], target.slice(target.indexOf(':') + 1)];
    try {
      if (kind !== 'queue' && kind !== 'flow') throw new AppError(400, 'invalid-did-route', 'choose a queue or a flow for the number');
      await app.dids.update(did.trim(), kind === 'queue' ? { queue: name } : { flow: name });
    } catch (err) {
      return flowsPage(reply, { didProblem: refusal(err).map((p) => p.message).join('; '), number: did }, (err as AppError).statusCode);
    }
    return reply.redirect('/admin/flows#dids', 303);
  });

  // The DID list's recording switch; the flows page shows the result (or the refusal).
  app.post<{ Params: { number: string }; Body: Static<typeof DidRecordingForm> }>('/admin/dids/:number/recording', {
    ...post, schema: { params: DidParams, body: DidRecordingForm },
  }, async (request, reply) => {
    const { recording } = request.body;
    await app.dids.update(request.params.number, { recording: recording === 'on' ? true : recording === 'off' ? false : recording });
    return reply.redirect('/admin/flows', 303);
  });
}

function registerQueuePages(app: FastifyInstance, admin: ReturnType<typeof requireRole>, post: { onRequest: ReturnType<typeof requireRole>; preValidation: FastifyInstance['csrfProtection'] }): void {
  const queuePage = (reply: FastifyReply, model: ReturnType<typeof queueFormModel> & { problems?: Problem[]; saved?: boolean; members?: unknown[] }, status = 200) =>
    reply.page('admin/queue-edit', { titleKey: 'queues.title', ...model, csrfToken: reply.generateCsrf() }, status);

  app.get('/admin/queues', { onRequest: admin, schema: { querystring: RetentionQuery } }, async (request, reply) => {
    const queues = await app.queues.list();
    const rows = await Promise.all(queues.map(async (q) => ({ ...q, strategyKey: `queues.strategy.${q.strategy}`, members: (await app.queues.members(q.name)).length })));
    const busy = (request.query as { retention?: string }).retention === 'busy';
    return reply.page('admin/queues', { titleKey: 'queues.title', queues: rows, retention: await app.retention.lastRun(), retentionBusy: busy, csrfToken: reply.generateCsrf() });
  });

  app.post('/admin/recordings/retention/run', { ...post, schema: { body: DeleteForm } }, async (request, reply) => {
    const user = currentUser(request);
    const ran = await app.retention.run({ userId: user.id, username: user.username });
    return reply.redirect(ran ? '/admin/queues#retention' : '/admin/queues?retention=busy#retention', 303);
  });

  app.get('/admin/queues/new', { onRequest: admin }, async (_request, reply) =>
    queuePage(reply, queueFormModel({ overflow: [], priority: { vipLevels: ['vip'], levels: {}, weights: { value: 0.5, behaviour: 0.3, emotion: 0.2 }, creditSec: 300 } }, true)));

  app.get<{ Params: NameParams; Querystring: Static<typeof SavedQuery> }>('/admin/queues/:name', { onRequest: admin, schema: { params: NameParams, querystring: SavedQuery } }, async (request, reply) => {
    const q = await app.queues.get(request.params.name);
    const members = await app.queues.members(q.name);
    return queuePage(reply, { ...queueFormModel(q, false), members, saved: request.query.saved === '1' });
  });

  const save = async (isNew: boolean, name: string, form: Record<string, string>, reply: FastifyReply) => {
    const { body, problem } = queueFromForm(form, name);
    const echo: Record<string, unknown> = { ...form, name };
    const again = (problems: Problem[], status: number) => queuePage(reply, { ...queueFormModel(echo, isNew), advanced: form.advanced ?? '', problems }, status);
    if (problem) return again([problem], 422);
    try {
      await (isNew ? app.queues.create(body) : app.queues.update(name, body));
      return reply.redirect(`/admin/queues/${encodeURIComponent(name)}?saved=1`, 303);
    } catch (err) {
      return again(refusal(err), (err as AppError).statusCode);
    }
  };

  app.post<{ Body: Record<string, string> }>('/admin/queues', { ...post, schema: { body: QueueForm } }, async (request, reply) =>
    save(true, (request.body.name ?? '').trim(), request.body, reply));

  app.post<{ Params: NameParams; Body: Record<string, string> }>('/admin/queues/:name', { ...post, schema: { params: NameParams, body: QueueForm } }, async (request, reply) =>
    save(false, request.params.name, request.body, reply));

  app.post<{ Params: NameParams }>('/admin/queues/:name/delete', { ...post, schema: { params: NameParams, body: DeleteForm } }, async (request, reply) => {
    try {
      await app.queues.delete(request.params.name);
      return reply.redirect('/admin/queues', 303);
    } catch (err) {
      const q = await app.queues.get(request.params.name);
      return queuePage(reply, { ...queueFormModel(q, false), members: await app.queues.members(q.name), problems: refusal(err) }, (err as AppError).statusCode);
    }
  });
}
