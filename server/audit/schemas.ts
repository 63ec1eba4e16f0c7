import { Type, type Static } from '@sinclair/typebox';

/** Who did it: a signed-in user, or null for the system acting on its own (a call ended). */
export interface AuditActor {
  userId: number | null;
  username: string;
}

/** One action to record. `before` and `after` are what changed, as small JSON objects. */
export interface AuditRecord {
  actor: AuditActor;
  action: string;
  target: { type: string; id: string | number };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip?: string | null;
  at?: Date;
}

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO time of the action' }),
  actorUserId: Type.Union([Type.Integer(), Type.Null()]),
  actorUsername: Type.String(),
  action: Type.String({ description: 'e.g. monitor.start, monitor.mode, monitor.stop, agent.force-pause, agent.force-logout' }),
  targetType: Type.String({ description: 'e.g. interaction, agent' }),
  targetId: Type.String(),
  before: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  after: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 64, description: 'user id (digits) or username' })),
  action: Type.Optional(Type.String({ maxLength: 64, description: 'exact action, or a prefix ending in * (monitor.*)' })),
  targetType: Type.Optional(Type.String({ maxLength: 32 })),
  targetId: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'at or after (ISO)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'before (ISO)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000, default: 0 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  total: Type.Integer({ description: 'rows matching the filters, all pages' }),
  items: Type.Array(AuditEntry, { description: 'newest first' }),
});
export type AuditPage = Static<typeof AuditPage>;
