import { Type, type Static, type TSchema } from '@sinclair/typebox';

// An IVR flow is a small graph of steps stored as JSON in MariaDB. Steps name the next
// step by id; terminal steps hand the call on (queue, agent, extension, voicemail,
// another flow) or hang up. The same schema validates the REST API and the stored rows.

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });
const Next = Type.Optional(Id);

/** What to play: one of Asterisk's sounds, an uploaded prompt, or text spoken once by espeak-ng and cached. */
export const Prompt = Type.Union([
  Type.Object({ sound: Type.String({ pattern: '^[A-Za-z0-9_/-]{1,120}$' }) }, { additionalProperties: false }),
  Type.Object({ upload: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  Type.Object({
    tts: Type.String({ minLength: 1, maxLength: 600 }),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh')])),
  }, { additionalProperties: false }),
]);
export type Prompt = Static<typeof Prompt>;

const Prompts = Type.Array(Prompt, { maxItems: 10 });
const step = <K extends string, T extends Record<string, TSchema>>(type: K, props: T) =>
  Type.Object({ type: Type.Literal(type), ...props }, { additionalProperties: false });

export const MenuStep = step('menu', {
  prompt: Prompts,
  /** digit (0-9, *, #) -> step id */
  options: Type.Record(Type.String({ pattern: '^[0-9*#]$' }), Id),
  timeoutSec: Type.Integer({ minimum: 1, maximum: 60, default: 5 }),
  /** How many times the menu repeats after no input or a wrong key before `default`. */
  maxRetries: Type.Integer({ minimum: 0, maximum: 5, default: 2 }),
  invalidPrompt: Type.Optional(Prompts),
  default: Id,
});

export const CollectStep = step('collect', {
  prompt: Prompts,
  /** Attribute the digits are stored under, e.g. `account`. */
  into: Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }),
  minDigits: Type.Integer({ minimum: 1, maximum: 32, default: 1 }),
  maxDigits: Type.Integer({ minimum: 1, maximum: 32, default: 16 }),
  terminator: Type.Optional(Type.Union([Type.Literal('#'), Type.Literal('*')])),
  timeoutSec: Type.Integer({ minimum: 1, maximum: 60, default: 6 }),
  maxRetries: Type.Integer({ minimum: 0, maximum: 5, default: 2 }),
  invalidPrompt: Type.Optional(Prompts),
  next: Id,
  /** Where to go when every try was empty or of the wrong length. */
  failed: Id,
});

export const WeeklyRange = Type.Object({
  /** ISO weekdays, 1 = Monday ... 7 = Sunday */
  days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
  from: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  to: Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' }),
}, { additionalProperties: false });
export type WeeklyRange = Static<typeof WeeklyRange>;

export const Schedule = Type.Object({
  timezone: Type.String({ minLength: 1, default: 'UTC' }),
  weekly: Type.Array(WeeklyRange, { maxItems: 50 }),
  /** Dates (YYYY-MM-DD in the schedule's time zone) that are closed all day. */
  holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 400, default: [] }),
}, { additionalProperties: false });
export type Schedule = Static<typeof Schedule>;

/**
 * An hours step carries its own schedule (`schedule`) or names a stored one (`scheduleId`,
 * /api/v1/schedules), read at call time so an edit reaches the next call. Exactly one of
 * the two: validation refuses neither and both.
 */
export const HoursStep = step('hours', {
  schedule: Type.Optional(Schedule),
  scheduleId: Type.Optional(Type.Integer({ minimum: 1, description: 'a named schedule, /api/v1/schedules/{id}' })),
  open: Id,
  closed: Id,
});

/** A closed day of a named schedule, with what it is for ("National Day"). */
export const Holiday = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD in the schedule\'s time zone' }),
  label: Type.Optional(Type.String({ maxLength: 80 })),
}, { additionalProperties: false });
export type Holiday = Static<typeof Holiday>;

/** Named business hours that flows (and pages) share: /api/v1/schedules. */
export const ScheduleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  weekly: Type.Array(WeeklyRange, { maxItems: 50 }),
  holidays: Type.Array(Holiday, { maxItems: 400 }),
}, { additionalProperties: false });
export type ScheduleBody = Static<typeof ScheduleBody>;

export interface NamedSchedule extends ScheduleBody {
  id: number;
  version: number;
  updatedAt: string;
}

export const SetStep = step('set', {
  /** Call attributes later routing reads: language, level (customer level), topic, vip, ... */
  attrs: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }), Type.String({ maxLength: 120 })),
  next: Id,
});

export const PlayStep = step('play', { prompt: Prompts, next: Id });

export const SayStep = step('say', {
  /** Attribute to speak, e.g. `balance` from a lookup. */
  from: Type.String({ pattern: '^[a-z][a-z0-9_.]{0,60}$' }),
  as: Type.Union([Type.Literal('number'), Type.Literal('digits'), Type.Literal('date'), Type.Literal('amount')]),
  next: Id,
});

export const LookupStep = step('lookup', {
  url: Type.String({ pattern: '^https?://', maxLength: 500 }),
  /** Attributes sent as query parameters. */
  send: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }), { maxItems: 10 }),
  timeoutMs: Type.Integer({ minimum: 100, maximum: 10000, default: 2000 }),
  /** The JSON answer's top-level string/number fields become attributes `<into>.<field>`. */
  into: Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }),
  next: Id,
  /** Taken on timeout, a non-2xx answer or a body that is not a JSON object. */
  failed: Id,
});

export const QueueStep = step('queue', { queue: Type.String({ minLength: 1, maxLength: 64 }) });
export const AgentStep = step('agent', { agent: Type.String({ minLength: 1, maxLength: 16 }), failed: Next });
export const ExtensionStep = step('extension', { extension: Type.String({ pattern: '^[0-9]{2,8}$' }) });
export const VoicemailStep = step('voicemail', { mailbox: Type.String({ pattern: '^[0-9]{1,16}$' }) });
export const FlowStep = step('flow', { flow: Type.String({ minLength: 1, maxLength: 64 }) });
export const HangupStep = step('hangup', { prompt: Type.Optional(Prompts) });

export const Step = Type.Union([
  MenuStep, CollectStep, HoursStep, SetStep, PlayStep, SayStep, LookupStep,
  QueueStep, AgentStep, ExtensionStep, VoicemailStep, FlowStep, HangupStep,
]);
export type Step = Static<typeof Step>;
export type StepType = Step['type'];

export const FlowBody = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  /** Language of text-to-speech prompts that do not name one. */
  language: Type.Union([Type.Literal('en'), Type.Literal('zh')], { default: 'en' }),
  start: Id,
  steps: Type.Record(Id, Step),
}, { additionalProperties: false });
export type FlowBody = Static<typeof FlowBody>;

export interface Flow extends FlowBody {
  id: number;
  version: number;
  updatedAt: string;
}

/** One visited step, kept on the interaction as the caller's path. */
export interface PathEntry {
  flow: string;
  step: string;
  type: StepType;
  /** Digits pressed at this step, if any ('' = timeout). Collected numbers are masked. */
  input?: string;
  /** What the step decided, e.g. 'option:2', 'invalid', 'timeout', 'default', 'open', 'closed'. */
  result?: string;
  at: string;
}

/** Where the IVR hands the call when it is done with it. */
export type FlowOutcome =
  | { kind: 'queue'; queue: string }
  | { kind: 'agent'; agent: string }
  | { kind: 'extension'; extension: string }
  | { kind: 'voicemail'; mailbox: string }
  | { kind: 'hangup' };
