import { isValidTimeZone, toMinutes } from './business-hours.js';
import { invalidFlow } from './errors.js';
import type { FlowBody, Prompt, Schedule, Step } from './schemas.js';

// The schema checks shapes; this checks meaning: what a flow names must exist, every step
// must be reachable, and no path may spin without waiting for the caller. Problems are
// collected, not thrown one by one, so an editor can show them all at once.

/** What the validator needs to know about the rest of the system. */
export interface FlowContext {
  queueExists(name: string): boolean;
  flowExists(name: string): boolean;
  agentExists(number: string): boolean;
  uploadExists(id: number): boolean;
  /** Whether a named schedule exists; without it, an hours step naming one is refused. */
  scheduleExists?(id: number): boolean;
  /** Other stored flows, to follow `flow` jumps when looking for endless loops. */
  flows?: (name: string) => FlowBody | undefined;
}

export interface FlowProblem {
  step?: string;
  /** Stable kebab-case id, e.g. 'missing-queue'. */
  code: string;
  /** A clear English sentence naming the step. */
  message: string;
}

/** A step's links to other steps of the same flow, labelled for messages. */
export function stepLinks(step: Step): { label: string; target: string }[] {
  switch (step.type) {
    case 'menu':
      return [
        ...Object.entries(step.options).map(([digit, target]) => ({ label: `option ${digit}`, target })),
        { label: 'default', target: step.default },
      ];
    case 'collect':
    case 'lookup':
      return [{ label: 'next', target: step.next }, { label: 'failed', target: step.failed }];
    case 'hours':
      return [{ label: 'open', target: step.open }, { label: 'closed', target: step.closed }];
    case 'set':
    case 'play':
    case 'say':
      return [{ label: 'next', target: step.next }];
    case 'agent':
      return step.failed ? [{ label: 'failed', target: step.failed }] : [];
    default:
      return [];
  }
}

/** Steps that wait for the caller; a loop through one of them moves only when the caller acts or times out. */
export const waitsForCaller = (step: Step) => step.type === 'menu' || step.type === 'collect';

export function validateFlow(flow: FlowBody, ctx: FlowContext): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const startOk = flow.steps[flow.start] !== undefined;
  if (!startOk) {
    problems.push({ code: 'missing-start', message: `The start step "${flow.start}" does not exist.` });
  }
  for (const [id, step] of Object.entries(flow.steps)) {
    problems.push(...checkLinks(flow, id, step), ...checkResources(flow, id, step, ctx), ...checkStep(id, step, ctx));
  }
  if (startOk) {
    const seen = reachable(flow);
    for (const id of Object.keys(flow.steps)) {
      if (!seen.has(id)) {
        problems.push({ step: id, code: 'unreachable-step', message: `Step "${id}" cannot be reached from the start step "${flow.start}".` });
      }
    }
  }
  problems.push(...findEndlessLoops(flow, ctx));
  return problems;
}

/** Throws a 422 'invalid-flow' AppError listing every problem in `details.problems`. */
export function assertValidFlow(flow: FlowBody, ctx: FlowContext): void {
  const problems = validateFlow(flow, ctx);
  if (problems.length > 0) throw invalidFlow(flow.name, problems);
}

function checkLinks(flow: FlowBody, id: string, step: Step): FlowProblem[] {
  return stepLinks(step)
    .filter((l) => flow.steps[l.target] === undefined)
    .map((l) => ({
      step: id,
      code: 'missing-step',
      message: `Step "${id}" sends ${l.label} to step "${l.target}", which does not exist.`,
    }));
}

function promptsOf(step: Step): Prompt[] {
  if (step.type === 'menu' || step.type === 'collect') return [...step.prompt, ...(step.invalidPrompt ?? [])];
  if (step.type === 'play') return step.prompt;
  if (step.type === 'hangup') return step.prompt ?? [];
  return [];
}

function checkResources(flow: FlowBody, id: string, step: Step, ctx: FlowContext): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const add = (code: string, message: string) => problems.push({ step: id, code, message });
  for (const p of promptsOf(step)) {
    if ('upload' in p && !ctx.uploadExists(p.upload)) add('missing-upload', `Step "${id}" plays uploaded prompt ${p.upload}, which does not exist.`);
  }
  if (step.type === 'queue' && !ctx.queueExists(step.queue)) add('missing-queue', `Step "${id}" sends the call to queue "${step.queue}", which does not exist.`);
  if (step.type === 'agent' && !ctx.agentExists(step.agent)) add('missing-agent', `Step "${id}" sends the call to agent "${step.agent}", which does not exist.`);
  // A flow may jump to its own start before it has ever been saved.
  if (step.type === 'flow' && step.flow !== flow.name && !ctx.flowExists(step.flow)) {
    add('missing-flow', `Step "${id}" jumps to flow "${step.flow}", which does not exist.`);
  }
  return problems;
}

function checkStep(id: string, step: Step, ctx: FlowContext): FlowProblem[] {
  if (step.type === 'collect' && step.minDigits > step.maxDigits) {
    return [{ step: id, code: 'bad-digits', message: `Step "${id}" asks for at least ${step.minDigits} digits but at most ${step.maxDigits}.` }];
  }
  if (step.type === 'hours') return checkHours(id, step, ctx);
  return [];
}

function checkHours(id: string, step: Extract<Step, { type: 'hours' }>, ctx: FlowContext): FlowProblem[] {
  const named = step.scheduleId !== undefined;
  if (named === (step.schedule !== undefined)) {
    return [{ step: id, code: 'bad-schedule', message: `Step "${id}": give either a schedule or a scheduleId (a named schedule), not ${named ? 'both' : 'neither'}.` }];
  }
  if (step.schedule) return checkSchedule(id, step.schedule);
  if (!ctx.scheduleExists?.(step.scheduleId as number)) {
    return [{ step: id, code: 'missing-schedule', message: `Step "${id}" uses schedule ${step.scheduleId}, which does not exist.` }];
  }
  return [];
}

function checkSchedule(id: string, s: Schedule): FlowProblem[] {
  return scheduleProblems(s).map((message) => ({ step: id, code: 'bad-schedule', message: `Step "${id}": ${message}` }));
}

/** What is wrong with a schedule's meaning (the schema checked its shape), one sentence each. */
export function scheduleProblems(s: Schedule): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(s.timezone)) problems.push(`"${s.timezone}" is not a known IANA time zone.`);
  for (const r of s.weekly) {
    if (toMinutes(r.from) >= toMinutes(r.to)) {
      problems.push(`the range ${r.from}-${r.to} must start before it ends (split a range that crosses midnight in two).`);
    }
  }
  for (const day of s.holidays ?? []) {
    const d = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) problems.push(`holiday ${day} is not a real date.`);
  }
  return problems;
}

function reachable(flow: FlowBody): Set<string> {
  const seen = new Set<string>([flow.start]);
  const todo = [flow.start];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    const step = flow.steps[id];
    for (const { target } of step ? stepLinks(step) : []) {
      if (flow.steps[target] && !seen.has(target)) {
        seen.add(target);
        todo.push(target);
      }
    }
  }
  return seen;
}

// Loops are searched on a graph whose nodes are "flow/step", so that `flow` jumps can be
// followed into other stored flows (and into this flow's own start).
type Node = string;
const node = (flow: string, step: string): Node => `${flow}/${step}`;
const flowOf = (n: Node) => n.slice(0, n.indexOf('/'));
const stepOf = (n: Node) => n.slice(n.indexOf('/') + 1);

function graphOf(flow: FlowBody, ctx: FlowContext) {
  const cache = new Map<string, FlowBody | undefined>([[flow.name, flow]]);
  const load = (name: string) => {
    if (!cache.has(name)) cache.set(name, ctx.flows?.(name));
    return cache.get(name);
  };
  const stepAt = (n: Node) => load(flowOf(n))?.steps[stepOf(n)];
  /** Successors that do not wait for the caller; a loop made only of these spins forever. */
  const next = (n: Node): Node[] => {
    const step = stepAt(n);
    if (!step) return [];
    const f = flowOf(n);
    const targets = step.type === 'flow'
      ? [load(step.flow)].filter((t) => t !== undefined).map((t) => node(t.name, t.start))
      : stepLinks(step).map((l) => node(f, l.target));
    return targets.filter((t) => {
      const s = stepAt(t);
      return s !== undefined && !waitsForCaller(s);
    });
  };
  return { stepAt, next };
}

function findEndlessLoops(flow: FlowBody, ctx: FlowContext): FlowProblem[] {
  const { stepAt, next } = graphOf(flow, ctx);
  const state = new Map<Node, 'open' | 'done'>();
  const stack: Node[] = [];
  const cycles: Node[][] = [];
  const visit = (n: Node): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of next(n)) {
      if (state.get(m) === 'open') cycles.push(stack.slice(stack.indexOf(m)));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const [id, step] of Object.entries(flow.steps)) {
    const n = node(flow.name, id);
    if (!waitsForCaller(step) && !state.has(n) && stepAt(n)) visit(n);
  }
  // A loop wholly inside another stored flow is that flow's problem, not this one's.
  return cycles
    .filter((c) => c.some((n) => flowOf(n) === flow.name))
    .map((c) => loopProblem(flow.name, c));
}

function loopProblem(flowName: string, cycle: Node[]): FlowProblem {
  const first = cycle.find((n) => flowOf(n) === flowName) ?? cycle[0] ?? '';
  const names = cycle.map((n) => (flowOf(n) === flowName ? stepOf(n) : n));
  return {
    step: stepOf(first),
    code: 'endless-loop',
    message: `Step "${stepOf(first)}" is in a loop that never waits for the caller (${[...names, names[0]].join(' -> ')}); add a menu or collect step to it.`,
  };
}
