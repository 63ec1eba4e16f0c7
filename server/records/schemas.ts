import { Type, type Static } from '@sinclair/typebox';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export const PAGE_MAX = 200;

// Times are read by the service (search-filter.ts), not by a `date-time` format: the page's
// datetime-local fields send `2026-11-21T09:30`, which RFC 3339 refuses; without a zone a
// time is UTC, like every time the admin pages show.
export const SearchQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 40, description: 'entered at or after: ISO date or time; on the contact center\'s clock (config timezone) when it has no zone' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'entered before: ISO date or time; on the contact center\'s clock (config timezone) when it has no zone' })),
  number: Type.Optional(Type.String({ maxLength: 32, description: "caller number, any way it is written (normalised like the CRM's); a part of one matches too" })),
  agent: Type.Optional(Type.Integer({ minimum: 1, description: 'agent id (the agent who took the call)' })),
  queue: Type.Optional(Type.String({ maxLength: 64 })),
  disposition: Type.Optional(Type.String({ maxLength: 64, description: "the wrap-up's disposition code" })),
  outcome: Type.Optional(Type.String({ maxLength: 32, pattern: '^[a-z][a-z-]*$', description: 'answered, abandoned, abandoned-in-greeting, ...' })),
  direction: Type.Optional(Type.Union(DIRECTIONS.map((d) => Type.Literal(d)))),
  minTalk: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'talk time at least, seconds' })),
  maxTalk: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, description: 'talk time at most, seconds' })),
  before: Type.Optional(Type.String({ maxLength: 200, description: "the previous page's nextBefore" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 50 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const InteractionSummary = Type.Object({
  id: Type.String(),
  enteredAt: Type.String(),
  direction: Type.String(),
  callerNumber: Type.String(),
  callerName: Nullable(Type.String()),
  did: Nullable(Type.String()),
  queue: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  waitMs: Nullable(Type.Integer()),
  talkMs: Nullable(Type.Integer()),
  holdMs: Nullable(Type.Integer()),
  disposition: Nullable(Type.String()),
  recordings: Type.Integer({ description: 'how many recordings the interaction has' }),
});
export type InteractionSummary = Static<typeof InteractionSummary>;

export const SearchPage = Type.Object({
  items: Type.Array(InteractionSummary, { description: 'newest first' }),
  nextBefore: Nullable(Type.String({ description: 'pass as before for the next (older) page; null on the last page' })),
});
export type SearchPage = Static<typeof SearchPage>;

export const TimelineEntry = Type.Object({
  at: Type.String(),
  kind: Type.String({ description: "a call event's type (enter-queue, offer, connect, hold, transfer, wrap-up, ...), or note / recording" }),
  queue: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const RecordingState = Type.Union([Type.Literal('available'), Type.Literal('deleted'), Type.Literal('missing')]);
export type RecordingState = Static<typeof RecordingState>;

export const RecordingView = Type.Object({
  id: Type.Integer(),
  startedAt: Type.String(),
  durationMs: Type.Integer(),
  sizeBytes: Type.Integer(),
  state: RecordingState,
  deletedAt: Nullable(Type.String()),
  playUrl: Type.String(),
  downloadUrl: Type.String(),
});
export type RecordingView = Static<typeof RecordingView>;

export const InteractionDetail = Type.Object({
  interaction: Type.Intersect([InteractionSummary, Type.Object({
    linkedid: Nullable(Type.String()),
    queuedAt: Nullable(Type.String()),
    answeredAt: Nullable(Type.String()),
    endedAt: Nullable(Type.String()),
    wrapNote: Nullable(Type.String()),
    followUp: Type.Boolean(),
    customerId: Nullable(Type.Integer()),
    handledBy: Type.Array(Type.Object({ agentId: Type.Integer(), agentName: Nullable(Type.String()) }), { description: 'every agent who handled the call, in order' }),
    queues: Type.Array(Type.String(), { description: 'every queue the call entered, in order' }),
    ivrPath: Type.Array(Type.Object({ flow: Type.String(), step: Type.String(), input: Type.Optional(Type.String()), result: Type.Optional(Type.String()) })),
  })]),
  timeline: Type.Array(TimelineEntry, { description: 'in the order it happened' }),
  callbacks: Type.Array(Type.Object({ status: Type.String(), number: Type.String(), attempts: Type.Integer(), requestedAt: Type.String(), lastResult: Nullable(Type.String()) })),
  recordings: Type.Array(RecordingView),
});
export type InteractionDetail = Static<typeof InteractionDetail>;

export const AccessLogQuery = Type.Object({
  user: Type.Optional(Type.String({ maxLength: 64, description: 'user id (digits) or username' })),
  recordingId: Type.Optional(Type.Integer({ minimum: 1 })),
  interactionId: Type.Optional(Type.String({ maxLength: 36 })),
  action: Type.Optional(Type.Union([Type.Literal('play'), Type.Literal('download')])),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
export type AccessLogQuery = Static<typeof AccessLogQuery>;

export const AccessLogEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  userId: Nullable(Type.Integer()),
  username: Type.String(),
  recordingId: Type.Integer(),
  interactionId: Type.String(),
  action: Type.String({ description: 'play or download' }),
  result: Type.String({ description: 'ok (sent), deleted (by retention) or missing (not on disk)' }),
  ip: Nullable(Type.String()),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;

export const AccessLogPage = Type.Object({ total: Type.Integer(), items: Type.Array(AccessLogEntry, { description: 'newest first' }) });
export type AccessLogPage = Static<typeof AccessLogPage>;
