import type { Logger } from '../core/logger.js';
import { isOpen } from './business-hours.js';
import { CallerGone, type IvrIo } from './ivr-io.js';
import type { FlowBody, FlowOutcome, PathEntry, Prompt, Schedule, Step, StepType } from './schemas.js';
import { sayMedia } from './say-media.js';

// Walks a caller through IVR flows until one hands the call on. Pure logic over the IvrIo
// port: no ARI, no database. CallerGone is never caught here; whoever owns the call
// decides what a hang-up means (abandon record, cleanup).

/** Hard cap on steps per call. Validation refuses loops that never wait for the caller, but a
 * caller who stays silent in a menu that loops to itself would go round for ever. */
export const MAX_STEPS = 200;
/** Pause allowed between two keys of a collected number: long enough to read a card, short enough not to stall. */
export const INTER_DIGIT_MS = 3000;
/** Keys read for one collected entry that ends with a terminator: bounds a caller who never presses it. */
export const MAX_ENTRY_KEYS = 64;
// A lookup that outlives its own time limit (a port that forgot it) must not leave the caller in silence.
const LOOKUP_GRACE_MS = 1000;
// Answers are stored in call attributes, which travel with the call: keep them small.
const MAX_LOOKUP_FIELDS = 50;
const MAX_LOOKUP_VALUE = 500;

export interface RunDeps {
  io: IvrIo;
  loadFlow(name: string): Promise<FlowBody | undefined>;
  /** A named schedule as it is now (an hours step's scheduleId); undefined when it is gone. */
  loadSchedule?(id: number): Promise<Schedule | undefined>;
  /** Call attributes; mutated by set, collect and lookup steps. */
  attrs: Record<string, string>;
  log: Logger;
  onStep?(e: PathEntry): void | Promise<void>;
  /** Begin at this step of the first flow instead of its start, e.g. an agent step's `failed`. */
  startStep?: string;
}

export interface RunResult {
  outcome: FlowOutcome;
  path: PathEntry[];
}

type Move = { next: string } | { jump: FlowBody } | { outcome: FlowOutcome };
type StepOf<T extends StepType> = Extract<Step, { type: T }>;

const HANGUP: FlowOutcome = { kind: 'hangup' };

/** What a step handler sees: where it is, and how to log its visit on the path. */
interface Visit {
  d: RunDeps;
  flow: FlowBody;
  id: string;
  record(input?: string, result?: string): Promise<void>;
}

export async function runFlow(start: string, d: RunDeps): Promise<RunResult> {
  const path: PathEntry[] = [];
  let flow = await d.loadFlow(start);
  if (!flow) {
    d.log.error({ flow: start }, 'ivr flow not found, hanging up');
    return { outcome: HANGUP, path };
  }
  let id = d.startStep ?? flow.start;
  d.log.info({ flow: flow.name, step: id }, 'ivr flow started');
  for (let count = 0; count < MAX_STEPS; count++) {
    const step: Step | undefined = flow.steps[id];
    if (!step) {
      d.log.error({ flow: flow.name, step: id }, 'ivr step not found, hanging up');
      return { outcome: HANGUP, path };
    }
    d.log.debug({ flow: flow.name, step: id, type: step.type }, 'ivr step');
    const move = await runStep(step, visitOf(d, flow, id, step.type, path));
    if ('outcome' in move) {
      d.log.info({ flow: flow.name, step: id, outcome: move.outcome, steps: count + 1 }, 'ivr flow done');
      return { outcome: move.outcome, path };
    }
    if ('jump' in move) {
      flow = move.jump;
      id = flow.start;
    } else {
      id = move.next;
    }
  }
  d.log.error({ flow: flow.name, step: id, maxSteps: MAX_STEPS }, 'ivr step limit reached, hanging up');
  return { outcome: HANGUP, path };
}

function visitOf(d: RunDeps, flow: FlowBody, id: string, type: StepType, path: PathEntry[]): Visit {
  const record = async (input?: string, result?: string) => {
    const entry: PathEntry = { flow: flow.name, step: id, type, at: d.io.now().toISOString() };
    if (input !== undefined) entry.input = input;
    if (result !== undefined) entry.result = result;
    path.push(entry);
    try {
      await d.onStep?.(entry);
    } catch (err) {
      // The path is a record of the call, not part of it: failing to store it must not drop the caller.
      d.log.warn({ err, flow: flow.name, step: id }, 'ivr path entry not stored');
    }
  };
  return { d, flow, id, record };
}

function runStep(step: Step, v: Visit): Promise<Move> {
  switch (step.type) {
    case 'menu': return menu(step, v);
    case 'collect': return collect(step, v);
    case 'hours': return hours(step, v);
    case 'set': return setAttrs(step, v);
    case 'play': return play(step, v);
    case 'say': return say(step, v);
    case 'lookup': return lookup(step, v);
    case 'flow': return jump(step, v);
    case 'hangup': return hangup(step, v);
    case 'queue': return handOff(v, { kind: 'queue', queue: step.queue });
    case 'agent': return handOff(v, { kind: 'agent', agent: step.agent });
    case 'extension': return handOff(v, { kind: 'extension', extension: step.extension });
    case 'voicemail': return handOff(v, { kind: 'voicemail', mailbox: step.mailbox });
  }
}

/** Media for prompts. A prompt that cannot be resolved (deleted upload, TTS down) is skipped, not fatal. */
async function mediaOf(prompts: Prompt[], v: Visit): Promise<string[]> {
  const out: string[] = [];
  for (const p of prompts) {
    try {
      out.push(...(await v.d.io.media(p, v.flow.language)));
    } catch (err) {
      if (err instanceof CallerGone) throw err;
      v.d.log.error({ err, flow: v.flow.name, step: v.id }, 'ivr prompt unavailable, skipped');
    }
  }
  return out;
}

async function playPrompts(prompts: Prompt[] | undefined, v: Visit): Promise<void> {
  const media = prompts ? await mediaOf(prompts, v) : [];
  if (media.length > 0) await v.d.io.play(media);
}

/** Keeps the last four digits at most, and never more than half, so a short PIN is not revealed. */
export function maskDigits(digits: string): string {
  const keep = Math.min(4, Math.floor(digits.length / 2));
  return '*'.repeat(digits.length - keep) + digits.slice(digits.length - keep);
}

async function menu(step: StepOf<'menu'>, v: Visit): Promise<Move> {
  const media = await mediaOf(step.prompt, v);
  const ms = step.timeoutSec * 1000;
  for (let attempt = 0; ; attempt++) {
    const input = await v.d.io.ask(media, { maxDigits: 1, firstDigitTimeoutMs: ms, interDigitTimeoutMs: ms });
    const target = Object.hasOwn(step.options, input) ? step.options[input] : undefined;
    if (target !== undefined) {
      await v.record(input, `option:${input}`);
      return { next: target };
    }
    // The default route announces itself, so the invalid prompt is only played before a retry.
    if (attempt >= step.maxRetries) {
      await v.record(input, 'default');
      return { next: step.default };
    }
    await v.record(input, input === '' ? 'timeout' : 'invalid');
    await playPrompts(step.invalidPrompt, v);
  }
}

async function collect(step: StepOf<'collect'>, v: Visit): Promise<Move> {
  const media = await mediaOf(step.prompt, v);
  const ms = step.timeoutSec * 1000;
  // With a terminator the entry runs to it (or to a pause), so a number that is too long is
  // refused instead of cut to its first maxDigits: a phone number typed into an account
  // prompt must not be looked up as some other customer's account. Without one, reaching
  // maxDigits is the only way the caller can finish.
  const maxDigits = step.terminator ? MAX_ENTRY_KEYS : step.maxDigits;
  const options = { maxDigits, terminator: step.terminator, firstDigitTimeoutMs: ms, interDigitTimeoutMs: Math.min(INTER_DIGIT_MS, ms) };
  for (let attempt = 0; ; attempt++) {
    const input = await v.d.io.ask(media, options);
    // Only plain digits are kept: a stray * or # is a mistyped try, and attributes may end up in lookups.
    if (/^[0-9]+$/.test(input) && input.length >= step.minDigits && input.length <= step.maxDigits) {
      v.d.attrs[step.into] = input;
      await v.record(maskDigits(input), 'ok');
      return { next: step.next };
    }
    if (attempt >= step.maxRetries) {
      await v.record(maskDigits(input), 'failed');
      return { next: step.failed };
    }
    await v.record(maskDigits(input), input === '' ? 'timeout' : 'invalid');
    await playPrompts(step.invalidPrompt, v);
  }
}

async function hours(step: StepOf<'hours'>, v: Visit): Promise<Move> {
  let open = false;
  try {
    // A named schedule is read now, not when the flow was saved: an edit reaches the next call.
    const schedule = step.schedule ?? (step.scheduleId === undefined ? undefined : await v.d.loadSchedule?.(step.scheduleId));
    if (!schedule) throw new Error(`schedule ${step.scheduleId} not found`);
    open = isOpen(schedule, v.d.io.now());
  } catch (err) {
    if (err instanceof CallerGone) throw err;
    // An unknown time zone or a schedule gone (or unreadable): validation and the schedule
    // service refuse both, so this is stored data gone bad; closed is the safe reading.
    v.d.log.error({ err, flow: v.flow.name, step: v.id }, 'ivr schedule unreadable, treated as closed');
  }
  await v.record(undefined, open ? 'open' : 'closed');
  return { next: open ? step.open : step.closed };
}

async function setAttrs(step: StepOf<'set'>, v: Visit): Promise<Move> {
  Object.assign(v.d.attrs, step.attrs);
  await v.record();
  return { next: step.next };
}

async function play(step: StepOf<'play'>, v: Visit): Promise<Move> {
  await v.record();
  await playPrompts(step.prompt, v);
  return { next: step.next };
}

async function say(step: StepOf<'say'>, v: Visit): Promise<Move> {
  const value = v.d.attrs[step.from];
  const media = value === undefined ? undefined : sayMedia(value, step.as, v.flow.language);
  if (!media) {
    // The value is not logged: it may be a balance or an account number.
    v.d.log.warn({ flow: v.flow.name, step: v.id, from: step.from, as: step.as, present: value !== undefined }, 'ivr say skipped: value missing or not speakable');
    await v.record(undefined, 'skipped');
    return { next: step.next };
  }
  await v.record(undefined, 'said');
  await v.d.io.play(media);
  return { next: step.next };
}

async function lookup(step: StepOf<'lookup'>, v: Visit): Promise<Move> {
  const query: Record<string, string> = {};
  for (const name of step.send) {
    const value = v.d.attrs[name];
    if (value !== undefined) query[name] = value;
  }
  let answer: Record<string, unknown>;
  try {
    answer = await withTimeout(v.d.io.lookup(step.url, query, step.timeoutMs), step.timeoutMs + LOOKUP_GRACE_MS);
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw new Error('answer is not a JSON object');
  } catch (err) {
    if (err instanceof CallerGone) throw err;
    v.d.log.warn({ err, flow: v.flow.name, step: v.id }, 'ivr lookup failed');
    await v.record(undefined, 'failed');
    return { next: step.failed };
  }
  storeAnswer(v.d.attrs, step.into, answer);
  await v.record(undefined, 'ok');
  return { next: step.next };
}

function storeAnswer(attrs: Record<string, string>, into: string, answer: Record<string, unknown>): void {
  let stored = 0;
  for (const [field, value] of Object.entries(answer)) {
    if (stored >= MAX_LOOKUP_FIELDS) break;
    if (!/^[A-Za-z0-9_]{1,40}$/.test(field)) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const text = String(value);
    if (text.length > MAX_LOOKUP_VALUE) continue;
    attrs[`${into}.${field}`] = text;
    stored++;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

async function jump(step: StepOf<'flow'>, v: Visit): Promise<Move> {
  const target = await v.d.loadFlow(step.flow);
  await v.record(undefined, target ? `flow:${step.flow}` : 'missing-flow');
  if (!target) {
    v.d.log.error({ flow: v.flow.name, step: v.id, target: step.flow }, 'ivr flow jump to a missing flow, hanging up');
    return { outcome: HANGUP };
  }
  return { jump: target };
}

async function hangup(step: StepOf<'hangup'>, v: Visit): Promise<Move> {
  await v.record();
  await playPrompts(step.prompt, v);
  return { outcome: HANGUP };
}

async function handOff(v: Visit, outcome: FlowOutcome): Promise<Move> {
  await v.record();
  return { outcome };
}
