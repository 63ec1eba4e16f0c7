import { Type, type Static } from '@sinclair/typebox';
import { Schedule } from '../ivr/schemas.js';

// A queue is a skill group: callers wait in it; agents holding its skill at or above
// the minimum level are offered its calls in the order its strategy gives.

export const STRATEGIES = ['longest_idle', 'fewest_calls', 'best_skill', 'round_robin'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const StrategyName = Type.Union(STRATEGIES.map((s) => Type.Literal(s)));

/** One time-staged overflow rule; stages fire once, in order of `afterSec`. */
export const OverflowRule = Type.Object({
  afterSec: Type.Integer({ minimum: 0, maximum: 86400 }),
  action: Type.Union([
    /** Lower the minimum skill level for this caller to `level`. */
    Type.Object({ type: Type.Literal('widen'), level: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false }),
    /** Also offer the caller to another queue with the same place (score). */
    Type.Object({ type: Type.Literal('also_queue'), queue: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    /** Leave the queue for an IVR flow, a voicemail box or a callback offer. */
    Type.Object({ type: Type.Literal('flow'), flow: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('voicemail'), mailbox: Type.String({ pattern: '^[0-9]{1,16}$' }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('callback') }, { additionalProperties: false }),
  ]),
}, { additionalProperties: false });
export type OverflowRule = Static<typeof OverflowRule>;
export type OverflowAction = OverflowRule['action'];

/** Where a caller goes instead of waiting: no agent logged in, or too many waiting. */
export const Diversion = Type.Union([
  Type.Object({ type: Type.Literal('queue'), queue: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('flow'), flow: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('voicemail'), mailbox: Type.String({ pattern: '^[0-9]{1,16}$' }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('callback') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('hangup') }, { additionalProperties: false }),
]);
export type Diversion = Static<typeof Diversion>;

/** Rules that turn call attributes (set by the IVR or the CRM) into a priority 0..1. */
export const PriorityRules = Type.Object({
  /** attrs.vip = 'true' or attrs.level = one of these gives priority 1. */
  vipLevels: Type.Array(Type.String(), { default: ['vip'] }),
  /** Other customer levels with a fixed priority, e.g. { gold: 0.6 }. */
  levels: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }), { default: {} }),
  /** score = wValue x value + wBehaviour x behaviour + wEmotion x emotion, each attribute 0..1. */
  weights: Type.Object({
    value: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
    behaviour: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
    emotion: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
  }, { default: {} }),
  /** Head start in seconds that priority 1 buys: virtual time = enqueued − priority × credit. */
  creditSec: Type.Integer({ minimum: 0, maximum: 3600, default: 300 }),
}, { additionalProperties: false });
export type PriorityRules = Static<typeof PriorityRules>;

/**
 * How a queue calls back callers who asked for it. The callback keeps the caller's place;
 * when it comes up the agent is offered it first, then the customer is dialled.
 */
export const CallbackRules = Type.Object({
  /** Customer dial attempts (no answer, busy, failed) before the callback is given up. */
  maxAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  retryDelaySec: Type.Integer({ minimum: 10, maximum: 86400, default: 300 }),
  /** A callback not made within this time from the request expires (never called). */
  expireAfterMin: Type.Integer({ minimum: 1, maximum: 1440, default: 240 }),
  ringCustomerSec: Type.Integer({ minimum: 10, maximum: 120, default: 30 }),
  /** Calling hours; outside them a callback waits without losing its place. None: any time. */
  hours: Type.Optional(Schedule),
  /** Or a named schedule (/api/v1/schedules), read when used: an edit applies at once. Not both. */
  hoursScheduleId: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Number the customer sees; by default the number they called. */
  callerId: Type.Optional(Type.String({ pattern: '^[+]?[0-9]{1,20}$' })),
}, { additionalProperties: false });
export type CallbackRules = Static<typeof CallbackRules>;

/**
 * The post-call survey: when the agent hangs up first, the caller stays on the line and is
 * asked for a score from 1 to 5 (server/acd/survey). A caller who hangs up first is not asked.
 */
export const SurveyRules = Type.Object({
  enabled: Type.Boolean({ default: false }),
  /** A stored prompt (uploaded or text) asked instead of the built-in question. */
  promptId: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Seconds the caller has to press a key once the question has been played. */
  timeoutSec: Type.Integer({ minimum: 2, maximum: 30, default: 6 }),
}, { additionalProperties: false });
export type SurveyRules = Static<typeof SurveyRules>;

export const QueueBody = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  skill: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
  minLevel: Type.Integer({ minimum: 1, maximum: 5, default: 1 }),
  strategy: StrategyName,
  ringTimeoutSec: Type.Integer({ minimum: 5, maximum: 120, default: 15 }),
  wrapUpSec: Type.Integer({ minimum: 0, maximum: 600, default: 0 }),
  /** Misses in a row before the agent is paused with reason `no-answer`. */
  maxMisses: Type.Integer({ minimum: 1, maximum: 10, default: 2 }),
  overflow: Type.Array(OverflowRule, { maxItems: 10, default: [] }),
  whenNoAgents: Type.Optional(Diversion),
  maxWaiting: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  whenFull: Type.Optional(Diversion),
  priority: PriorityRules,
  /** Position and estimated wait announced every N seconds; 0 = never. */
  announceEverySec: Type.Integer({ minimum: 0, maximum: 600, default: 60 }),
  /** Key a waiting caller presses to leave: for a callback, or voicemail. */
  exitKey: Type.Optional(Type.Object({
    digit: Type.String({ pattern: '^[0-9*#]$' }),
    to: Type.Union([Type.Literal('callback'), Type.Literal('voicemail')]),
    mailbox: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })),
  }, { additionalProperties: false })),
  /** Service-level threshold in seconds (KPIS.md). */
  serviceLevelSec: Type.Integer({ minimum: 1, maximum: 3600, default: 20 }),
  /** The service level the queue aims at, in percent: wallboard colours and alerts compare with it. */
  serviceLevelTargetPct: Type.Integer({ minimum: 1, maximum: 100, default: 80 }),
  /** Abandons after a wait under this many seconds are short abandons, left out of the rates (KPIS.md). */
  shortAbandonSec: Type.Integer({ minimum: 0, maximum: 600, default: 5 }),
  /** The highest abandon rate the queue accepts, in percent (wallboard colours). */
  abandonTargetPct: Type.Integer({ minimum: 0, maximum: 100, default: 5 }),
  callback: Type.Object(CallbackRules.properties, { additionalProperties: false, default: {} }),
  survey: Type.Object(SurveyRules.properties, { additionalProperties: false, default: {} }),
  /** Calls answered in this queue are recorded (a call's DID may still turn it off). */
  recording: Type.Boolean({ default: true }),
  /** Recordings of this queue's calls are deleted after this many days (nightly); null keeps them. */
  retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()], { default: null }),
}, { additionalProperties: false });
export type QueueBody = Static<typeof QueueBody>;

export interface QueueConfig extends QueueBody {
  id: number;
}

/** An agent's skills: skill -> level 1..5. */
export type Skills = Record<string, number>;

/** A callback scheduled from outside a call: a web form, the CRM, a supervisor. */
export const CallbackRequest = Type.Object({
  queue: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  number: Type.String({ minLength: 3, maxLength: 32, description: 'digits, an optional leading +; spaces, dashes and brackets are ignored' }),
  notBefore: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$', description: 'ISO date and time; not called before then' })),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh')])),
}, { additionalProperties: false });
export type CallbackRequest = Static<typeof CallbackRequest>;
