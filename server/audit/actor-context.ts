import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditActor } from './schemas.js';

/**
 * Who is acting, for the code a request runs, without every service signature carrying a
 * `by` argument: the audit room opens one context per request (index.ts) and admin changes
 * read it when they are recorded. Outside a request (a job, a call event) there is no
 * actor and the change is recorded as the system's.
 */
export interface ActorSource {
  actor(): AuditActor | undefined;
  ip(): string | undefined;
}

const store = new AsyncLocalStorage<ActorSource>();

export function runWithActor<T>(source: ActorSource, fn: () => T): T {
  return store.run(source, fn);
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };

export function currentActor(): { actor: AuditActor; ip: string | null } {
  const s = store.getStore();
  return { actor: s?.actor() ?? SYSTEM_ACTOR, ip: s?.ip() ?? null };
}
