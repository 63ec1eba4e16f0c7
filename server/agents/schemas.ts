import { Type, type Static } from '@sinclair/typebox';

export const AGENT_STATES = ['logged_out', 'ready', 'reserved', 'ringing', 'on_call', 'wrap_up', 'paused'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const AgentStateName = Type.Union([
  Type.Literal('logged_out'), Type.Literal('ready'), Type.Literal('reserved'), Type.Literal('ringing'),
  Type.Literal('on_call'), Type.Literal('wrap_up'), Type.Literal('paused'),
]);

/** What an admin or supervisor page shows of one agent and its desk phone. */
export const AgentView = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  name: Type.String(),
  extension: Type.String(),
  state: AgentStateName,
  stateSince: Type.String({ description: 'ISO time the agent entered the state' }),
  pauseReason: Type.Optional(Type.String()),
  registered: Type.Boolean({ description: 'the desk phone has a live SIP registration' }),
  deviceState: Type.String({ description: 'Asterisk device state, e.g. NOT_INUSE, INUSE, RINGING, UNAVAILABLE' }),
});
export type AgentView = Static<typeof AgentView>;

/** States an agent (or an admin for them) may ask for; the rest are set by call handling. */
export const RequestedState = Type.Object({
  state: Type.Union([Type.Literal('ready'), Type.Literal('paused'), Type.Literal('logged_out')]),
  reason: Type.Optional(Type.String({ maxLength: 64 })),
});
export type RequestedState = Static<typeof RequestedState>;

/** Payload published on the live 'devices' topic. */
export interface DeviceUpdate {
  extension: string;
  registered: boolean;
  deviceState: string;
}

/** Payload published on the live 'agents' topic. */
export interface AgentStateUpdate {
  agentId: number;
  state: AgentState;
  since: string;
  pauseReason?: string;
  /** The call the state is about (ringing, on_call, wrap_up). */
  interactionId?: string;
}
