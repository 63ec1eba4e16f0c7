import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { AppError } from '../../core/errors.js';
import { SkillsBody } from '../../acd/queues-plugin.js';
import { requireRole } from '../plugins/auth.js';
import { t } from '../i18n/index.js';

// The agents setup page: every agent with a form to change it (number, name, own desk
// phone, the user who works as it, skills, PIN) and one to add an agent. Plain CSRF-checked
// forms to the same services as /api/v1/agents, .../skills and .../pin, so they refuse the same.

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
type IdParams = Static<typeof IdParams>;
const AgentForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  number: Type.String({ maxLength: 16 }),
  name: Type.String({ maxLength: 128 }),
  extension: Type.String({ maxLength: 8 }),
  userId: Type.Optional(Type.String({ maxLength: 12 })),
  skills: Type.Optional(Type.String({ maxLength: 2000 })),
  pin: Type.Optional(Type.String({ maxLength: 8 })),
});
type AgentForm = Static<typeof AgentForm>;
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });

interface Parsed { agent: Record<string, unknown>; skills: Record<string, number>; pin?: string }

/** "support:3 billing:2" as the skills service takes it; null when a part is not skill:level. */
function parseSkills(text: string): Record<string, number> | null {
  const skills: Record<string, number> = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([^:]+):(\d)$/.exec(part);
    if (!m) return null;
    skills[m[1] as string] = Number(m[2]);
  }
  return skills;
}

const skillsText = (skills: Record<string, number>) => Object.entries(skills).map(([s, l]) => `${s}:${l}`).join(' ');

/**
 * The form checked whole before anything is written, so a bad skill or PIN refuses the
 * form without half of it (the agent) being saved. The services check again.
 */
function parseForm(f: AgentForm): { parsed?: Parsed; problemKey?: string } {
  const skills = parseSkills(f.skills ?? '');
  if (!skills || !Value.Check(SkillsBody, skills)) return { problemKey: 'agentSetup.badSkills' };
  const pin = f.pin?.trim() || undefined;
  if (pin !== undefined && !/^[0-9]{4,8}$/.test(pin)) return { problemKey: 'agentSetup.badPin' };
  const userId = f.userId?.trim() ? Number(f.userId) : null;
  if (userId !== null && !Number.isInteger(userId)) return { problemKey: 'agentSetup.badUser' };
  return { parsed: { agent: { number: f.number.trim(), name: f.name, extension: f.extension.trim(), userId }, skills, pin } };
}

export default async function adminAgentsSetupRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const post = { onRequest: admin, preValidation: app.csrfProtection };

  const page = async (reply: FastifyReply, extra: { problem?: string; saved?: boolean; form?: AgentForm } = {}, status = 200) => {
    const [agents, users, phones, queues] = await Promise.all([app.agentSetup.list(), app.users.list(), app.phones.list(), app.queues.list()]);
    const agentUsers = users.filter((u) => u.role === 'agent');
    const rows = await Promise.all(agents.map(async (a) => ({
      ...a,
      skills: skillsText(await app.queues.skillsOf(a.id)),
      users: agentUsers.map((u) => ({ id: u.id, label: `${u.displayName} (${u.username})`, selected: u.id === a.userId })),
    })));
    return reply.page('admin/agents-setup', {
      titleKey: 'agentSetup.title',
      agents: rows,
      users: agentUsers.map((u) => ({ id: u.id, label: `${u.displayName} (${u.username})`, selected: String(u.id) === extra.form?.userId })),
      phones: [...phones.map((p) => ({ extension: p.extension, name: p.displayName })), ...app.config.phones.map((p) => ({ extension: p.extension, name: p.name }))],
      queues: queues.map((q) => ({ name: q.name, skill: q.skill, minLevel: q.minLevel })),
      csrfToken: reply.generateCsrf(),
      ...extra,
    }, status);
  };
  /** Runs the writes; a refusal shows the page again with the service's reason and the form as typed. */
  const attempt = async (reply: FastifyReply, form: AgentForm, write: (p: Parsed) => Promise<unknown>) => {
    const { parsed, problemKey } = parseForm(form);
    if (!parsed) return page(reply, { problem: t(reply.request.locale, problemKey as string), form }, 400);
    try {
      await write(parsed);
    } catch (err) {
      const e = err as AppError & { details?: Array<{ path: string; message: string }> };
      if (!e.code || e.statusCode >= 500) throw err;
      const detail = Array.isArray(e.details) ? `: ${e.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : '';
      return page(reply, { problem: `${e.message}${detail}`, form }, e.statusCode);
    }
    return reply.redirect('/admin/agents/setup?saved=1', 303);
  };

  app.get<{ Querystring: { saved?: string } }>('/admin/agents/setup', {
    onRequest: admin, schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 4 })) }) },
  }, async (request, reply) => page(reply, { saved: request.query.saved === '1' }));

  app.post<{ Body: AgentForm }>('/admin/agents/setup', { ...post, schema: { body: AgentForm } }, async (request, reply) =>
    attempt(reply, request.body, async ({ agent, skills, pin }) => {
      const created = await app.agentSetup.create(agent);
      await app.queues.setSkills(created.id, skills);
      if (pin) await app.agentSessions.setPin(created.id, pin);
    }));

  app.post<{ Params: IdParams; Body: AgentForm }>('/admin/agents/setup/:id', { ...post, schema: { params: IdParams, body: AgentForm } }, async (request, reply) =>
    attempt(reply, request.body, async ({ agent, skills, pin }) => {
      await app.agentSetup.update(request.params.id, agent);
      await app.queues.setSkills(request.params.id, skills);
      if (pin) await app.agentSessions.setPin(request.params.id, pin);
    }));

  app.post<{ Params: IdParams; Body: Static<typeof CsrfOnly> }>('/admin/agents/setup/:id/delete', { ...post, schema: { params: IdParams, body: CsrfOnly } }, async (request, reply) =>
    attempt(reply, { number: '', name: '', extension: '' }, () => app.agentSetup.remove(request.params.id)));
}
