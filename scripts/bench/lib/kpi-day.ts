// One generated day of a contact center for the KPI benchmark (gen-interactions.ts): calls
// with an office-hours profile, the call events the ACD writes for them, and the agents'
// state changes, all consistent (an agent takes one call at a time, lunches, logs out).
// Deterministic: the same seed gives the same day.

export type Rng = () => number;

/** mulberry32: a small seeded generator, enough for synthetic data. */
export function rngOf(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const exp = (r: Rng, mean: number) => -Math.log(1 - r()) * mean;

export interface GenQueue { name: string; dids: string[]; wrapSec: number }

export interface GenEvent { interactionId: string; seq: number; type: string; at: number; queue: string | null; agentId: number | null; data: Record<string, unknown> | null }
export interface GenInteraction {
  id: string; callerNumber: string; did: string; queue: string; agentId: number | null; enteredAt: number; queuedAt: number;
  answeredAt: number | null; endedAt: number; outcome: string; waitMs: number | null; talkMs: number | null; holdMs: number | null;
}
export interface GenState { agentId: number; seq: number; from: string; to: string; reason: string | null; interactionId: string | null; at: number }

export interface GenDay { interactions: GenInteraction[]; events: GenEvent[]; states: GenState[]; wrapMs: Map<string, number> }

/** Calls per hour of the local day, relative (office hours, a lunch dip). */
const PROFILE = [0, 0, 0, 0, 0, 0, 0, 0.2, 1, 1.6, 1.8, 1.6, 1.1, 1.3, 1.6, 1.5, 1.2, 0.9, 0.5, 0.3, 0.1, 0, 0, 0];
const PROFILE_SUM = PROFILE.reduce((a, b) => a + b, 0);

interface Agent { id: number; seq: number; state: string; freeAt: number; lunchAt: number; lunched: boolean }

/** Time-ordered ids shaped like UUIDs: the indexes on interaction_id then grow at their end. */
export const idOf = (at: number, n: number) => {
  const h = at.toString(16).padStart(12, '0') + n.toString(16).padStart(20, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export interface DayInput { dayStart: number; calls: number; agents: number; queues: GenQueue[]; callers: number; rng: Rng; firstId: number }

export function generateDay(o: DayInput): GenDay {
  const out: GenDay = { interactions: [], events: [], states: [], wrapMs: new Map() };
  const agents: Agent[] = Array.from({ length: o.agents }, (_, i) => ({
    id: i + 1, seq: 0, state: 'logged_out', freeAt: o.dayStart + 8 * 3_600_000, lunchAt: o.dayStart + (11.5 + (i % 4) * 0.5) * 3_600_000, lunched: false,
  }));
  const move = (a: Agent, to: string, at: number, extra: { reason?: string; interactionId?: string } = {}) => {
    out.states.push({ agentId: a.id, seq: ++a.seq, from: a.state, to, reason: extra.reason ?? null, interactionId: extra.interactionId ?? null, at });
    a.state = to;
  };
  for (const a of agents) move(a, 'ready', a.freeAt - 300_000);
  const times = Array.from({ length: o.calls }, () => entryTime(o.rng, o.dayStart)).sort((a, b) => a - b);
  times.forEach((t, i) => generateCall(o, out, agents, move, t, o.firstId + i));
  for (const a of agents) {
    if (!a.lunched) lunch(a, move, a.lunchAt);
    move(a, 'logged_out', Math.max(a.freeAt, o.dayStart + 20 * 3_600_000) + 60_000);
  }
  out.states.sort((x, y) => x.agentId - y.agentId || x.seq - y.seq);
  return out;
}

function entryTime(r: Rng, dayStart: number): number {
  let x = r() * PROFILE_SUM;
  let h = 0;
  while (h < 23 && x >= (PROFILE[h] as number)) x -= PROFILE[h++] as number;
  return dayStart + h * 3_600_000 + Math.floor(r() * 3_600_000);
}

type Move = (a: Agent, to: string, at: number, extra?: { reason?: string; interactionId?: string }) => void;

function lunch(a: Agent, move: Move, at: number): void {
  const start = Math.max(at, a.freeAt);
  move(a, 'paused', start, { reason: 'lunch' });
  move(a, 'ready', start + 30 * 60_000);
  a.freeAt = start + 30 * 60_000;
  a.lunched = true;
}

/** The agent free first (lunch taken when it is due). */
function pickAgent(agents: Agent[], move: Move, at: number): Agent {
  let best = agents[0] as Agent;
  for (const a of agents) {
    if (!a.lunched && a.lunchAt <= Math.max(at, a.freeAt)) lunch(a, move, a.lunchAt);
    if (a.freeAt < best.freeAt) best = a;
  }
  return best;
}

function generateCall(o: DayInput, out: GenDay, agents: Agent[], move: Move, enteredAt: number, n: number): void {
  const r = o.rng;
  const id = idOf(enteredAt, n);
  const q = o.queues[Math.floor(r() * o.queues.length)] as GenQueue;
  const did = q.dids[Math.floor(r() * q.dids.length)] as string;
  const caller = r() < 0.03 ? 'anonymous' : `+86138${String(Math.floor(r() * o.callers)).padStart(8, '0')}`;
  let seq = 0;
  const ev = (type: string, at: number, extra: { agentId?: number; data?: Record<string, unknown> } = {}) =>
    out.events.push({ interactionId: id, seq: ++seq, type, at, queue: type === 'enter' ? null : q.name, agentId: extra.agentId ?? null, data: extra.data ?? null });
  const queuedAt = enteredAt + 3000;
  ev('enter', enteredAt, { data: { did, caller } });
  ev('enter-queue', queuedAt, { data: { priority: 0 } });
  const base: GenInteraction = { id, callerNumber: caller, did, queue: q.name, agentId: null, enteredAt, queuedAt, answeredAt: null, endedAt: 0, outcome: '', waitMs: null, talkMs: null, holdMs: null };
  const fate = r();
  const patience = exp(r, 60_000);
  if (fate < 0.1 || patience < 4000) {
    const waitMs = Math.round(Math.min(patience, exp(r, 40_000)));
    ev('abandon', queuedAt + waitMs, { data: { by: 'caller', outcome: 'abandoned', waitMs } });
    out.interactions.push({ ...base, endedAt: queuedAt + waitMs, outcome: 'abandoned', waitMs });
    return;
  }
  if (fate < 0.13) {
    const waitMs = 120_000;
    const type = fate < 0.12 ? 'voicemail' : 'callback';
    ev('divert', queuedAt + waitMs, { data: { type } });
    if (type === 'callback') ev('callback-request', queuedAt + waitMs + 8000, { data: { source: 'caller' } });
    ev('end', queuedAt + waitMs + 9000, { data: { outcome: type } });
    out.interactions.push({ ...base, endedAt: queuedAt + waitMs + 9000, outcome: type, waitMs });
    return;
  }
  answered(o, out, agents, move, base, ev);
}

function answered(o: DayInput, out: GenDay, agents: Agent[], move: Move, base: GenInteraction, ev: (type: string, at: number, extra?: { agentId?: number; data?: Record<string, unknown> }) => void): void {
  const r = o.rng;
  const a = pickAgent(agents, move, base.queuedAt);
  const offerAt = Math.max(base.queuedAt + Math.round(exp(r, 8000)), a.freeAt);
  const connectAt = offerAt + 2000 + Math.round(r() * 6000);
  const waitMs = connectAt - base.queuedAt;
  const talkMs = 20_000 + Math.round(exp(r, 160_000));
  const endAt = connectAt + talkMs;
  const id = base.id;
  move(a, 'reserved', offerAt, { interactionId: id });
  move(a, 'ringing', offerAt + 100, { interactionId: id });
  ev('offer', offerAt, { agentId: a.id, data: { attempt: 1 } });
  move(a, 'on_call', connectAt, { interactionId: id });
  ev('connect', connectAt, { agentId: a.id, data: { waitMs } });
  let holdMs = 0;
  if (r() < 0.2) {
    const holdAt = connectAt + Math.floor(talkMs / 3);
    holdMs = Math.min(Math.round(exp(r, 30_000)), Math.floor(talkMs / 2));
    ev('hold', holdAt, { agentId: a.id, data: { by: 'page' } });
    ev('resume', holdAt + holdMs, { agentId: a.id, data: { by: 'page', heldMs: holdMs } });
  }
  if (r() < 0.05) ev('transfer-complete', endAt - 1000, { agentId: a.id, data: { kind: 'attended', by: 'page' } });
  ev('complete', endAt, { agentId: a.id, data: { by: r() < 0.5 ? 'caller' : 'agent', outcome: 'answered' } });
  const wrapMs = 5000 + Math.round(exp(r, 20_000));
  move(a, 'wrap_up', endAt, { interactionId: id });
  ev('wrap-up', endAt + wrapMs - 500, { agentId: a.id, data: { disposition: 'done' } });
  move(a, 'ready', endAt + wrapMs);
  a.freeAt = endAt + wrapMs;
  out.wrapMs.set(id, wrapMs);
  if (r() < 0.15) ev('survey-score', endAt + 8000, { data: { score: 1 + Math.floor(r() * 5) } });
  out.interactions.push({ ...base, agentId: a.id, answeredAt: connectAt, endedAt: endAt, outcome: 'answered', waitMs, talkMs, holdMs: holdMs || null });
}
