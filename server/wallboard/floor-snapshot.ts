import type { AgentState, AgentView } from '../agents/schemas.js';
import {
  abandonStanding, kpisOf, serviceLevelStanding, waitStanding,
  type KpiThresholds, type QueueCounters, type QueueKpis, type Standing,
} from '../reports/kpi/index.js';

/** Agent states as a wallboard groups them: a reserved agent is about to ring. */
export const BOARD_STATES = ['ready', 'ringing', 'on_call', 'wrap_up', 'paused', 'logged_out'] as const;
export type BoardState = (typeof BOARD_STATES)[number];
const boardState = (s: AgentState): BoardState => (s === 'reserved' ? 'ringing' : s);

/** A call in progress as the floor sees it (from the ACD's live calls). */
export interface FloorCall {
  interactionId: string;
  state: string;
  queue: string;
  callerNumber: string;
  queuedAt?: string;
  agentId?: number;
  answeredAt?: string;
}

export interface QueueBoard {
  name: string;
  thresholds: KpiThresholds;
  waiting: number;
  /** Queue time of the caller waiting longest; the page ticks its wait from it. */
  oldestQueuedAt: string | null;
  longestWaitSec: number | null;
  today: QueueKpis;
  standing: { serviceLevel: Standing; abandonRate: Standing; longestWait: Standing };
  agents: Record<BoardState, number>;
}

export interface AgentBoard {
  id: number;
  number: string;
  name: string;
  extension: string;
  state: AgentState;
  since: string;
  pauseReason: string | null;
  registered: boolean;
  /** Queues the agent takes calls from (by skill). */
  queues: string[];
  /** The call ringing or connected at the agent's desk phone. */
  call: { interactionId: string; callerNumber: string; queue: string; state: string; since: string | null } | null;
}

export interface FloorSnapshot {
  at: string;
  day: string;
  timeZone: string;
  queues: QueueBoard[];
  agents: AgentBoard[];
}

export interface FloorInputs {
  now: number;
  day: string;
  timeZone: string;
  queues: Array<{ name: string; thresholds: KpiThresholds; members: number[]; today: QueueCounters }>;
  agents: AgentView[];
  calls: FloorCall[];
}

/** Callers still in line: waiting, being offered to an agent, or in the callback dialog. */
const IN_LINE = new Set(['waiting', 'offering', 'confirming']);

function queueBoard(q: FloorInputs['queues'][number], inputs: FloorInputs, agentsById: Map<number, AgentView>): QueueBoard {
  const waiting = inputs.calls.filter((c) => c.queue === q.name && IN_LINE.has(c.state) && c.queuedAt);
  const oldest = waiting.map((c) => Date.parse(c.queuedAt as string)).sort((a, b) => a - b)[0];
  const longestWaitSec = oldest === undefined ? null : Math.max(0, (inputs.now - oldest) / 1000);
  const agents = Object.fromEntries(BOARD_STATES.map((s) => [s, 0])) as Record<BoardState, number>;
  for (const id of q.members) {
    const a = agentsById.get(id);
    if (a) agents[boardState(a.state)] += 1;
  }
  const today = kpisOf(q.today);
  return {
    name: q.name, thresholds: q.thresholds, waiting: waiting.length,
    oldestQueuedAt: oldest === undefined ? null : new Date(oldest).toISOString(), longestWaitSec, today,
    standing: {
      serviceLevel: serviceLevelStanding(today.serviceLevel, q.thresholds),
      abandonRate: abandonStanding(today.abandonRate, q.thresholds),
      longestWait: waitStanding(longestWaitSec, q.thresholds),
    },
    agents,
  };
}

function agentBoard(a: AgentView, calls: FloorCall[], queues: string[]): AgentBoard {
  const c = calls.find((x) => x.agentId === a.id && (x.state === 'offering' || x.state === 'connected'));
  return {
    id: a.id, number: a.number, name: a.name, extension: a.extension, state: a.state, since: a.stateSince,
    pauseReason: a.pauseReason ?? null, registered: a.registered, queues,
    call: c ? { interactionId: c.interactionId, callerNumber: c.callerNumber, queue: c.queue, state: c.state, since: c.state === 'connected' ? c.answeredAt ?? null : null } : null,
  };
}

/** Pure: the snapshot from what was read, so it can be checked without Redis or MariaDB. */
export function buildSnapshot(inputs: FloorInputs): FloorSnapshot {
  const agentsById = new Map(inputs.agents.map((a) => [a.id, a]));
  return {
    at: new Date(inputs.now).toISOString(),
    day: inputs.day,
    timeZone: inputs.timeZone,
    queues: inputs.queues.map((q) => queueBoard(q, inputs, agentsById)),
    agents: inputs.agents.map((a) => agentBoard(a, inputs.calls, inputs.queues.filter((q) => q.members.includes(a.id)).map((q) => q.name))).sort((x, y) => x.number.localeCompare(y.number)),
  };
}
