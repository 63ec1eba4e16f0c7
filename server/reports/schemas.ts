import { Type, type Static } from '@sinclair/typebox';
import { PERIOD_KINDS } from './period.js';
import { DIMENSIONS, GRAINS } from './kpi/query.js';

// The languages a report can be written in: the web catalogs' locales (web/i18n), named
// here because a domain room does not import the web layer.
export const REPORT_LANGUAGES = ['en', 'zh-CN'] as const;

export const ScheduleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  period: Type.Union(PERIOD_KINDS.map((k) => Type.Literal(k)), { description: 'daily: yesterday; weekly: last ISO week, sent on Mondays; monthly: last month, sent on the 1st' }),
  sendTime: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM in the contact center time zone' }),
  recipients: Type.Array(Type.String({ pattern: '^[^@\\s,;<>"]+@[^@\\s,;<>"]+\\.[^@\\s,;<>"]+$', maxLength: 254 }), { minItems: 1, maxItems: 20 }),
  language: Type.Union(REPORT_LANGUAGES.map((l) => Type.Literal(l)), { default: 'en' }),
  enabled: Type.Boolean({ default: true }),
}, { additionalProperties: false });
export type ScheduleBody = Static<typeof ScheduleBody>;

export const Schedule = Type.Object({
  id: Type.Integer(),
  ...ScheduleBody.properties,
  lastPeriod: Type.Union([Type.String(), Type.Null()], { description: 'the last period sent (2026-11-20, 2026-W47, 2026-11)' }),
  lastSentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
export type Schedule = Static<typeof Schedule>;

// The KPI engine's query and table (kpi/query.ts) as the API documents them.

const Ratio = Type.Union([Type.Number(), Type.Null()], { description: '0..1; null when there is nothing to divide by' });
const Seconds = Type.Union([Type.Number(), Type.Null()], { description: 'seconds; null when there is nothing to divide by' });
const count = (description: string) => Type.Integer({ description });

export const KpiQuerystring = Type.Object({
  from: Type.String({ description: 'first local day, YYYY-MM-DD (inclusive)' }),
  to: Type.String({ description: 'last local day, YYYY-MM-DD (inclusive); at most 400 days after from, 31 with grain 15m' }),
  grain: Type.Union(GRAINS.map((g) => Type.Literal(g)), { default: 'day', description: 'interval length, in the contact center time zone; weeks start on Monday' }),
  by: Type.Union(DIMENSIONS.map((d) => Type.Literal(d)), { default: 'total', description: 'what rows are split by' }),
  queue: Type.Optional(Type.String({ description: 'only these queues: names separated by commas' })),
});
export type KpiQuerystring = Static<typeof KpiQuerystring>;

const QueueKpis = Type.Object({
  offered: count('calls that entered the queue in the interval'),
  answered: count('offered calls connected to an agent'),
  abandoned: count('caller hung up while waiting (short abandons included)'),
  shortAbandoned: count('abandoned with a wait under the queue shortAbandonSec'),
  timedOut: count('left the queue by a rule (overflow, diversion)'),
  callbacks: count('left the queue keeping their place for a callback (counted apart)'),
  exitedWithKey: count('left for voicemail with the exit key'),
  answeredWithinSl: count('answered within the queue serviceLevelSec'),
  answeredWaitMs: Type.Number(),
  maxWaitMs: Type.Number(),
  serviceLevel: Ratio,
  serviceLevelInclusive: Ratio,
  abandonRate: Ratio,
  asaSec: Seconds,
  maxWaitSec: Type.Number(),
});

const Handling = Type.Object({
  handled: count('answered calls, each interaction once (a transfer does not count it again)'),
  talkMs: Type.Number(), holdMs: Type.Number(), wrapMs: Type.Number(),
  ahtSec: Seconds,
  transferred: count('handled calls the agent transferred out'),
  transferRate: Ratio,
  repeatCalls: count('handled calls from a caller with another answered call within fcrWindowH before'),
  fcr: Ratio,
  csatResponses: Type.Integer(),
  csatMean: Type.Union([Type.Number(), Type.Null()], { description: 'mean survey score 1..5' }),
  csatTopShare: Ratio,
});

const AgentTime = Type.Object({
  loggedInMs: Type.Number(), readyMs: Type.Number(), ringingMs: Type.Number(),
  talkingMs: Type.Number({ description: 'on a call, hold included (the state log has no hold)' }),
  holdMs: Type.Number({ description: 'hold of the calls handled' }),
  wrapMs: Type.Number(),
  pausedMs: Type.Record(Type.String(), Type.Number(), { description: 'per pause reason' }),
  paidPausedMs: Type.Number(), unpaidPausedMs: Type.Number(),
  occupancy: Ratio, utilisation: Ratio,
});

const Row = Type.Object({
  from: Type.Number({ description: 'interval start, epoch ms' }),
  to: Type.Number({ description: 'interval end (exclusive), epoch ms' }),
  label: Type.String(),
  key: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  queue: QueueKpis,
  handling: Handling,
  agentTime: Type.Optional(AgentTime),
});

const Thresholds = Type.Object({
  serviceLevelSec: Type.Integer(), serviceLevelTargetPct: Type.Integer(), shortAbandonSec: Type.Integer(), abandonTargetPct: Type.Integer(),
});

export const KpiTableSchema = Type.Object({
  query: Type.Object({ from: Type.String(), to: Type.String(), grain: Type.String(), by: Type.String(), queues: Type.Optional(Type.Array(Type.String())) }),
  timeZone: Type.String(),
  thresholds: Type.Record(Type.String(), Thresholds),
  rows: Type.Array(Row),
  total: Row,
  generatedAt: Type.Number(),
});
