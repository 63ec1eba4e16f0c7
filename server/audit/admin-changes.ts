import type { Logger } from '../core/logger.js';
import type { AuditService } from './audit-service.js';
import { currentActor } from './actor-context.js';

/**
 * One audited write method of a service: which argument names the target (or how to find
 * it in the result, for a create), and how to read the target's state, so the audit row
 * carries it before and after the change.
 */
export interface AuditedMethod {
  method: string;
  action: string;
  /** The target id from the call's arguments; undefined for a create (taken from the result). */
  idArg?: number;
  /** The target id from the result of a create. */
  idOf?: (result: unknown) => string | number | undefined;
  /** The result is what the audit row keeps as `after` (an erasure: nothing is left to read, the result says what went). */
  resultIsAfter?: boolean;
}

export interface AuditedService {
  /** The service object as the app decorates it (app.queues, app.flows, ...). */
  service: object;
  type: string;
  /** Reads a target's current state; a target that does not exist reads as null. */
  read: (id: string | number) => Promise<unknown>;
  methods: AuditedMethod[];
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Secrets never reach the audit log, whatever a service's object holds. */
const SECRET_KEY = /password|secret|token|totp|hash/i;

export function redact(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  const json = JSON.parse(JSON.stringify(v, (k, val: unknown) => (k && SECRET_KEY.test(k) ? '[redacted]' : val))) as unknown;
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : { value: json };
}

/**
 * Wraps the listed write methods of admin services (a decorator, in the design-pattern
 * sense): the change runs as before, and when it succeeds an audit row records who, when,
 * what, and the target before and after. The services stay free of audit code, and every
 * way in (page form, API, script) is covered because they all call the same service.
 */
export function auditAdminChanges(audit: AuditService, list: AuditedService[], log: Logger): void {
  for (const s of list) {
    for (const m of s.methods) {
      const target = s.service as Record<string, AnyMethod>;
      const original = target[m.method];
      if (typeof original !== 'function') throw new Error(`audit: ${s.type}.${m.method} is not a method`);
      target[m.method] = async function audited(this: unknown, ...args: unknown[]) {
        const argId = m.idArg === undefined ? undefined : (args[m.idArg] as string | number);
        const before = argId === undefined ? null : await s.read(argId).catch(() => null);
        const result = await original.apply(s.service, args);
        const id = argId ?? m.idOf?.(result);
        const after = id === undefined || m.resultIsAfter ? result : await s.read(id).catch(() => null);
        const { actor, ip } = currentActor();
        await audit.record({ actor, ip, action: m.action, target: { type: s.type, id: id ?? '?' }, before: redact(before), after: redact(after) })
          .catch((err: Error) => log.error({ err, action: m.action }, 'audit of an admin change failed'));
        return result;
      };
    }
  }
}
