import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { auditAdminChanges, type AuditedService } from './admin-changes.js';

const idOf = (r: unknown) => (r as { id?: number; name?: string } | null)?.id ?? (r as { name?: string } | null)?.name;
const nameOf = (r: unknown) => (r as { name?: string } | null)?.name;
const promptIdOf = (r: unknown) => (r as { prompt?: { id?: number } } | null)?.prompt?.id;

/**
 * The admin changes that go to the audit log (issue 6: who, when, what, before and after).
 * A new admin service adds its write methods here; the methods keep no audit code.
 */
function auditedServices(app: FastifyInstance): AuditedService[] {
  return [
    {
      service: app.queues, type: 'queue', read: (id) => app.queues.get(String(id)),
      methods: [{ method: 'create', action: 'queue.create', idOf: nameOf }, { method: 'update', action: 'queue.update', idArg: 0 }, { method: 'delete', action: 'queue.delete', idArg: 0 }],
    },
    {
      service: app.flows, type: 'flow', read: (id) => app.flows.get(String(id)),
      methods: [{ method: 'create', action: 'flow.create', idOf: nameOf }, { method: 'update', action: 'flow.update', idArg: 0 }, { method: 'delete', action: 'flow.delete', idArg: 0 }],
    },
    {
      service: app.agentSetup, type: 'agent', read: (id) => app.agentSetup.get(Number(id)),
      methods: [{ method: 'create', action: 'agent.create', idOf }, { method: 'update', action: 'agent.update', idArg: 0 }, { method: 'remove', action: 'agent.delete', idArg: 0 }],
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
      methods: [{ method: 'create', action: 'schedule.create', idOf }, { method: 'update', action: 'schedule.update', idArg: 0 }, { method: 'delete', action: 'schedule.delete', idArg: 0 }],
    },
    {
      service: app.prompts, type: 'prompt', read: (id) => app.prompts.get(Number(id)),
      methods: [{ method: 'upload', action: 'prompt.upload', idOf: promptIdOf }, { method: 'delete', action: 'prompt.delete', idArg: 0 }],
    },
    {
      service: app.desk.dispositions, type: 'disposition', read: async (id) => (await app.desk.dispositions.list()).find((d) => d.id === Number(id)) ?? null,
      methods: [{ method: 'create', action: 'disposition.create', idOf }, { method: 'update', action: 'disposition.update', idArg: 0 }, { method: 'remove', action: 'disposition.delete', idArg: 0 }],
    },
    {
      service: app.pauseReasons, type: 'pause-reason', read: (id) => app.pauseReasons.get(Number(id)),
      methods: [{ method: 'create', action: 'pause-reason.create', idOf }, { method: 'update', action: 'pause-reason.update', idArg: 0 }, { method: 'remove', action: 'pause-reason.delete', idArg: 0 }],
    },
    {
      service: app.alerts, type: 'alert-rule', read: (id) => app.alerts.rule(Number(id)),
      methods: [{ method: 'createRule', action: 'alert-rule.create', idOf }, { method: 'updateRule', action: 'alert-rule.update', idArg: 0 }, { method: 'deleteRule', action: 'alert-rule.delete', idArg: 0 }],
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
      methods: [{ method: 'create', action: 'trunk.create', idOf }, { method: 'update', action: 'trunk.update', idArg: 0 }, { method: 'remove', action: 'trunk.delete', idArg: 0 }],
    },
  ];
}

async function adminAudit(app: FastifyInstance): Promise<void> {
  auditAdminChanges(app.audit, auditedServices(app), app.log.child({ room: 'audit' }));
}

export default fp(adminAudit, { name: 'admin-audit', dependencies: ['audit', 'acd', 'acd-queues', 'ivr', 'desk', 'agents', 'alerts', 'sipguard', 'privacy', 'trunks'] });
