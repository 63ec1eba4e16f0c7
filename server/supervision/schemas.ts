import { Type, type Static } from '@sinclair/typebox';
import { MONITOR_MODES, type MonitorMode } from './monitor-plan.js';

export const MonitorModeName = Type.Union(MONITOR_MODES.map((m) => Type.Literal(m)));

/** ringing: the supervisor's desk phone rings; active: answered and connected; ended. */
export type MonitorState = 'ringing' | 'active' | 'ended';

/** Why a monitoring ended. */
export type EndReason = 'stopped' | 'supervisor-hung-up' | 'not-answered' | 'call-ended' | 'failed' | 'lost';

/** One monitoring session as kept live in Redis. */
export interface MonitorSession {
  id: number;
  interactionId: string;
  agentId: number;
  agentChannel: string;
  /** The supervisor's desk phone extension, rung for this session. */
  extension: string;
  supervisorChannel: string;
  state: MonitorState;
  /** The mode asked for. */
  mode: MonitorMode;
  /** The mode the media is set up for now; absent until the supervisor answers. */
  applied?: MonitorMode;
  /** The current snoop channel on the agent's leg (listen, whisper). */
  snoop?: string;
  /** Snoops made so far in this session: the next one is snoop-<id>-<snoopSeq + 1>. */
  snoopSeq: number;
  actorId: number | null;
  actorName: string;
  startedAt: string;
  answeredAt?: string;
  endedAt?: string;
  endReason?: EndReason;
}

export const MonitorView = Type.Object({
  id: Type.Integer(),
  interactionId: Type.String(),
  agentId: Type.Integer(),
  extension: Type.String({ description: "the supervisor's desk phone, rung for this session" }),
  state: Type.Union([Type.Literal('ringing'), Type.Literal('active'), Type.Literal('ended')]),
  mode: MonitorModeName,
  supervisorUserId: Type.Union([Type.Integer(), Type.Null()]),
  supervisorUsername: Type.String(),
  startedAt: Type.String(),
  answeredAt: Type.Optional(Type.String()),
  endedAt: Type.Optional(Type.String()),
  endReason: Type.Optional(Type.String()),
});
export type MonitorView = Static<typeof MonitorView>;

export const toView = (s: MonitorSession): MonitorView => ({
  id: s.id, interactionId: s.interactionId, agentId: s.agentId, extension: s.extension, state: s.state, mode: s.mode,
  supervisorUserId: s.actorId, supervisorUsername: s.actorName, startedAt: s.startedAt,
  answeredAt: s.answeredAt, endedAt: s.endedAt, endReason: s.endReason,
});

/** The call is named by its interaction id, or by the agent on it (the agent board knows agents, not calls). */
export const StartMonitor = Type.Object({
  interactionId: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}$' })),
  agentId: Type.Optional(Type.Integer({ minimum: 1, description: 'instead of interactionId: the call this agent is on now' })),
  mode: MonitorModeName,
  // Digits only: it becomes part of a dial string (PJSIP/<extension>).
  extension: Type.String({ pattern: '^[0-9]{1,20}$', description: "the supervisor's own desk phone extension" }),
});
export type StartMonitor = Static<typeof StartMonitor>;

export const ChangeMode = Type.Object({ mode: MonitorModeName });
export type ChangeMode = Static<typeof ChangeMode>;

export const ForcePause = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) });
export type ForcePause = Static<typeof ForcePause>;

/** Published on the live 'monitor' topic at every change of a session. */
export interface MonitorNotice extends MonitorView {
  kind: 'started' | 'answered' | 'mode' | 'ended';
}
