import type { FastifyInstance, FastifyReply } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { FlowBody } from '../../ivr/schemas.js';
import type { PromptRecord, PromptService } from '../../ivr/index.js';
import { requireRole } from '../plugins/auth.js';
import { csrfUnlessJson } from '../plugins/csrf.js';
import { docsOnlyBody } from '../plugins/docs-only-body.js';

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable kebab-case id, e.g. invalid-flow, flow-in-use' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown({ description: 'for invalid-flow: { problems: [{ step?, code, message }] }' })),
  }),
});

const Flow = Type.Object({
  ...FlowBody.properties,
  id: Type.Integer(),
  version: Type.Integer({ description: 'incremented on every save' }),
  updatedAt: Type.String(),
});
const FlowParams = Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const FlowQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'refuse the save (409) unless this is still the stored version' })),
});
const Lang = Type.Union([Type.Literal('en'), Type.Literal('zh')]);
const PromptView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('upload'), Type.Literal('tts')]),
  language: Lang,
  text: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  sha256: Type.String(),
  media: Type.String({ description: 'what Asterisk plays, e.g. sound:/var/lib/asterisk/sounds/cc/prompts/12' }),
  createdAt: Type.String(),
});
const TtsBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 600 }), lang: Type.Optional(Lang) }, { additionalProperties: false });
const UploadBody = Type.Object({
  file: Type.Unknown({ description: 'the audio file: wav, ogg or flac (mp3 only where sox reads it)' }),
  name: Type.Optional(Type.String({ maxLength: 128 })),
  lang: Type.Optional(Lang),
  _csrf: Type.Optional(Type.String({ description: 'or the x-csrf-token header' })),
});
const PromptParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

const promptView = (prompts: PromptService, p: PromptRecord): Static<typeof PromptView> => ({
  id: p.id, name: p.name, kind: p.kind, language: p.language, text: p.text, durationMs: p.durationMs, sha256: p.sha256, media: prompts.mediaOf(p), createdAt: p.createdAt,
});

interface UploadedFile {
  filename: string;
  data: Buffer;
}

// Buffered (at most MAX_UPLOAD_BYTES) so the CSRF token in the form's fields can be
// checked before anything is converted; the file name is kept for a default prompt name.
async function keepFile(part: MultipartFile): Promise<void> {
  part.value = { filename: part.filename, data: await part.toBuffer() } satisfies UploadedFile;
}

function uploadFields(body: unknown): { file: UploadedFile; name?: string; lang?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  const file = b.file as UploadedFile | undefined;
  if (!file || !Buffer.isBuffer(file.data)) throw new AppError(422, 'invalid-prompt', 'send the audio as the multipart field "file"');
  return { file, name: typeof b.name === 'string' ? b.name : undefined, lang: typeof b.lang === 'string' ? b.lang : undefined };
}

/** /api/v1/ivr/flows and /api/v1/ivr/prompts. Admins only. (DIDs: api-dids.ts.) */
export default async function apiIvrRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const csrf = csrfUnlessJson(app);
  await app.register(multipart, { attachFieldsToBody: 'keyValues', onFile: keepFile, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } });
  const tags = ['ivr'];

  app.get('/api/v1/ivr/flows', { onRequest: admin, ...docsOnlyBody, schema: { tags, summary: 'All flows', response: { 200: Type.Array(Flow), ...errors } } },
    async () => app.flows.list());

  app.post('/api/v1/ivr/flows', {
    onRequest: admin, preValidation: csrf, ...docsOnlyBody,
    schema: { tags, summary: 'Create a flow (422 lists every problem, by step)', body: FlowBody, response: { 201: Flow, ...errors } },
  }, async (request, reply) => reply.code(201).send(await app.flows.create(request.body)));

  app.get<{ Params: Static<typeof FlowParams> }>('/api/v1/ivr/flows/:name', {
    onRequest: admin, ...docsOnlyBody, schema: { tags, summary: 'One flow', params: FlowParams, response: { 200: Flow, ...errors } },
  }, async (request) => app.flows.get(request.params.name));

  app.put<{ Params: Static<typeof FlowParams>; Querystring: Static<typeof FlowQuery> }>('/api/v1/ivr/flows/:name', {
    onRequest: admin, preValidation: csrf, ...docsOnlyBody,
    schema: { tags, summary: 'Save a new version of a flow', params: FlowParams, querystring: FlowQuery, body: FlowBody, response: { 200: Flow, ...errors } },
  }, async (request) => app.flows.update(request.params.name, request.body, request.query.version));

  app.delete<{ Params: Static<typeof FlowParams> }>('/api/v1/ivr/flows/:name', {
    // No CSRF token for DELETE: no HTML form can send one, and another site's script
    // needs a CORS preflight for it, which this server never answers.
    onRequest: admin, ...docsOnlyBody,
    schema: { tags, summary: 'Delete a flow no DID, flow or queue uses', params: FlowParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.flows.delete(request.params.name);
    return reply.code(204).send();
  });

  registerPromptRoutes(app, admin, csrf);
}

const sendPrompt = (app: FastifyInstance, reply: FastifyReply, r: { prompt: PromptRecord; created: boolean }) =>
  reply.code(r.created ? 201 : 200).send(promptView(app.prompts, r.prompt));

function registerPromptRoutes(app: FastifyInstance, admin: ReturnType<typeof requireRole>, csrf: ReturnType<typeof csrfUnlessJson>): void {
  const tags = ['ivr'];
  app.get('/api/v1/ivr/prompts', { onRequest: admin, schema: { tags, summary: 'All prompts', response: { 200: Type.Array(PromptView), ...errors } } },
    async () => (await app.prompts.list()).map((p) => promptView(app.prompts, p)));

  app.post<{ Body: Static<typeof TtsBody> }>('/api/v1/ivr/prompts/tts', {
    onRequest: admin, preValidation: csrf,
    schema: { tags, summary: 'Speak a text (201), or return the prompt already made for it (200)', body: TtsBody, response: { 200: PromptView, 201: PromptView, ...errors } },
  }, async (request, reply) => sendPrompt(app, reply, await app.prompts.tts(request.body.text, request.body.lang ?? 'en')));

  app.post('/api/v1/ivr/prompts/upload', {
    onRequest: admin, preValidation: csrf, ...docsOnlyBody,
    schema: {
      tags, summary: 'Upload a sound (multipart); 422 when it is not audio this server reads', consumes: ['multipart/form-data'],
      body: UploadBody, response: { 200: PromptView, 201: PromptView, ...errors, 413: ErrorResponse },
    },
  }, async (request, reply) => {
    const { file, name, lang } = uploadFields(request.body);
    const language = lang === 'zh' ? 'zh' : 'en';
    const result = await app.prompts.upload({ name: name || file.filename.replace(/\.[^.]*$/, '') || 'upload', language, data: file.data });
    return sendPrompt(app, reply, result);
  });

  app.delete<{ Params: Static<typeof PromptParams> }>('/api/v1/ivr/prompts/:id', {
    onRequest: admin, // no CSRF token for DELETE, as for flows
    schema: { tags, summary: 'Delete a prompt no flow plays', params: PromptParams, response: { 204: Type.Null(), ...errors } },
  }, async (request, reply) => {
    await app.prompts.delete(request.params.id);
    return reply.code(204).send();
  });
}
