import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { auditAdminChanges, type AuditedService } from './admin-changes.js';

const idOf = (r: unknown) => (r as { id?: number; name?: string } | null)?.id ?? (r as { name?: string } | null)?.name;
const nameOf = (r: unknown) => (r as { name?: string } | null)?.name;
const promptIdOf = (r: unknown) => (r as { prompt?: { id?: number } } | null)?.prompt?.id;

type Method = AuditedService['methods'][number];

/** create/update/delete of one kind of setting, audited as `<type>.create` and so on; `names` when the service calls them otherwise. */
function crud(type: string, createId: Method['idOf'] = idOf, names: { create: string; update: string; remove: string } = { create: 'create', update: 'update', remove: 'remove' }): Method[] {
  return [
    { method: names.create, action: `${type}.create`, idOf: createId },
    { method: names.update, action: `${type}.update`, idArg: 0 },
    { method: names.remove, action: `${type}.delete`, idArg: 0 },
  ];
}

/** Who takes calls and where callers go: queues, flows, agents, numbers, hours, prompts. */
function routingServices(app: FastifyInstance): AuditedService[] {
  return [
    {
      service: app.queues, type: 'queue', read: (id) => app.queues.get(String(id)),
      methods: crud('queue', nameOf, { create: 'create', update: 'update', remove: 'delete' }),
    },
    {
      service: app.flows, type: 'flow', read: (id) => app.flows.get(String(id)),
      methods: crud('flow', nameOf, { create: 'create', update: 'update', remove: 'delete' }),
    },
    {
      service: app.agentSetup, type: 'agent', read: (id) => app.agentSetup.get(Number(id)),
      methods: crud('agent'),
    },
    {
      service: app.queues, type: 'agent-skills', read: (id) => app.queues.skillsOf(Number(id)),
      methods: [{ method: 'setSkills', action: 'agent.skills', idArg: 0 }],
    },
    {
      service: app.dids, type: 'did', read: (id) => app.dids.get(String(id)),
      methods: [
        { method: 'create', action: 'did.create', idOf: (r) => (r as { number?: string } | null)?.number },
        { method: 'update', action: 'did.route', idArg: 0 },
        { method: 'delete', action: 'did.delete', idArg: 0 },
      ],
    },
    {
      service: app.schedules, type: 'schedule', read: (id) => app.schedules.get(Number(id)),
      methods: crud('schedule', idOf, { create: 'create', update: 'update', remove: 'delete' }),
    },
    {
      service: app.prompts, type: 'prompt', read: (id) => app.prompts.get(Number(id)),
      methods: [{ method: 'upload', action: 'prompt.upload', idOf: promptIdOf }, { method: 'delete', action: 'prompt.delete', idArg: 0 }],
    },
  ];
}

/** Desk, alert and security settings. */
function otherServices(app: FastifyInstance): AuditedService[] {
  return [
    {
      service: app.desk.dispositions, type: 'disposition', read: async (id) => (await app.desk.dispositions.list()).find((d) => d.id === Number(id)) ?? null,
      methods: crud('disposition'),
    },
    {
      service: app.pauseReasons, type: 'pause-reason', read: (id) => app.pauseReasons.get(Number(id)),
      methods: crud('pause-reason'),
    },
    {
      service: app.alerts, type: 'alert-rule', read: (id) => app.alerts.rule(Number(id)),
      methods: crud('alert-rule', idOf, { create: 'createRule', update: 'updateRule', remove: 'deleteRule' }),
    },
    {
      service: app.dialPolicy, type: 'dial-rule', read: async (id) => (await app.dialPolicy.rules()).find((r) => r.id === Number(id)) ?? null,
      methods: [{ method: 'create', action: 'dial-rule.create', idOf }, { method: 'remove', action: 'dial-rule.delete', idArg: 0 }],
    },
    {
      // An erasure leaves nothing to read before or after: the row keeps what was removed, as counts (the result).
      service: app.privacy, type: 'customer', read: async () => null,
      methods: [{ method: 'erase', action: 'customer.erase', idOf: (r) => (r as { customerId?: number } | null)?.customerId, resultIsAfter: true }],
    },
    {
      service: app.sipGuard, type: 'sip-ban', read: async (id) => (await app.sipGuard.list('all')).find((b) => b.id === Number(id)) ?? null,
      methods: [{ method: 'banByHand', action: 'sip-ban.create', idOf }, { method: 'lift', action: 'sip-ban.lift', idArg: 0 }],
    },
    {
      // The views carry no password (hasPassword says whether one is kept).
      service: app.trunks, type: 'trunk', read: (id) => app.trunks.get(Number(id)),
      methods: crud('trunk'),
    },
  ];
}

/**
 * The admin changes that go to the audit log (issue 6: who, when, what, before and after).
 * A new admin service adds its write methods to one of the lists above; the methods keep no audit code.
 */
async function adminAudit(app: FastifyInstance): Promise<void> {
  auditAdminChanges(app.audit, [...routingServices(app), ...otherServices(app)], app.log.child({ room: 'audit' }));
}

export default fp(adminAudit, { name: 'admin-audit', dependencies: ['audit', 'acd', 'acd-queues', 'ivr', 'desk', 'agents', 'alerts', 'sipguard', 'privacy', 'trunks'] });
