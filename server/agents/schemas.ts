import { Type, type Static } from '@sinclair/typebox';

export const AGENT_STATES = ['logged_out', 'ready', 'reserved', 'ringing', 'on_call', 'wrap_up', 'paused'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const AgentStateName = Type.Union([
  Type.Literal('logged_out'), Type.Literal('ready'), Type.Literal('reserved'), Type.Literal('ringing'),
  Type.Literal('on_call'), Type.Literal('wrap_up'), Type.Literal('paused'),
]);

export const UNAVAILABLE_REASONS = ['logged-out', 'paused', 'wrap-up', 'phone-unregistered', 'phone-busy'] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

/** What an admin or supervisor page shows of one agent and its desk phone. */
export const AgentView = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  name: Type.String(),
  extension: Type.String(),
  state: AgentStateName,
  stateSince: Type.String({ description: 'ISO time the agent entered the state' }),
  pauseReason: Type.Optional(Type.String()),
  phone: Type.String({ description: 'the desk phone (extension) the agent takes calls on now: where it logged in, else its own extension' }),
  registered: Type.Boolean({ description: 'that desk phone has a live SIP registration' }),
  deviceState: Type.String({ description: 'Asterisk device state, e.g. NOT_INUSE, INUSE, RINGING, UNAVAILABLE' }),
  unavailableReason: Type.Optional(Type.Union(UNAVAILABLE_REASONS.map((r) => Type.Literal(r)), {
    description: 'why the agent is offered no calls now; absent when it may be offered one or is busy with one',
  })),
});
export type AgentView = Static<typeof AgentView>;

/** States an agent (or an admin for them) may ask for; the rest are set by call handling. */
export const RequestedState = Type.Object({
  state: Type.Union([Type.Literal('ready'), Type.Literal('paused'), Type.Literal('logged_out')]),
  reason: Type.Optional(Type.String({ maxLength: 64 })),
});
export type RequestedState = Static<typeof RequestedState>;

/** POST /api/v1/agents/:id/session: log in, on a given desk phone or the agent's own. */
export const LoginRequest = Type.Object({
  extension: Type.Optional(Type.String({ pattern: '^[0-9]{2,8}$', description: 'desk phone to log in on; default: the agent\'s own extension' })),
  pauseReason: Type.Optional(Type.String({ maxLength: 32, description: 'log in paused with this reason instead of ready' })),
});
export type LoginRequest = Static<typeof LoginRequest>;

export const PinRequest = Type.Object({
  pin: Type.String({ pattern: '^[0-9]{4,8}$', description: '4 to 8 digits, keyed on the desk phone after *70' }),
});
export type PinRequest = Static<typeof PinRequest>;

export const PauseReasonView = Type.Object({
  id: Type.Integer(),
  name: Type.String({ description: 'stable key, e.g. lunch; kept in the agent state and its log' }),
  code: Type.String({ description: 'digits keyed on the phone after *72' }),
  label: Type.String(),
  paid: Type.Boolean(),
  active: Type.Boolean(),
  system: Type.Boolean({ description: 'set by the system (no-answer): cannot be removed or deactivated' }),
});

export const PauseReasonInput = Type.Object({
  name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
  code: Type.String({ pattern: '^[0-9]{1,4}$' }),
  label: Type.String({ minLength: 1, maxLength: 128 }),
  paid: Type.Boolean(),
  active: Type.Boolean({ default: true }),
});
export type PauseReasonInput = Static<typeof PauseReasonInput>;

/** The agent's own day (GET /api/v1/agents/:id/day). Times in seconds. */
export const AgentDay = Type.Object({
  agentId: Type.Integer(),
  date: Type.String({ description: 'YYYY-MM-DD in the contact center\'s time zone' }),
  timezone: Type.String(),
  callsHandled: Type.Integer({ description: 'answered calls that have ended, by answer time' }),
  talkSec: Type.Number(),
  wrapUpSec: Type.Number(),
  ahtSec: Type.Union([Type.Number(), Type.Null()], { description: '(talk + wrap-up) / calls handled; null without calls' }),
  stateSec: Type.Record(Type.String(), Type.Number(), { description: 'seconds in each state' }),
  pauseSec: Type.Record(Type.String(), Type.Number(), { description: 'seconds paused, by reason' }),
  pausePaidSec: Type.Number(),
  pauseUnpaidSec: Type.Number(),
});
export type AgentDay = Static<typeof AgentDay>;

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
  /** The desk phone the agent is on, when known (sent on log-in and on a phone change). */
  phone?: string;
}

/** An agent as an admin sets it up: POST /api/v1/agents, PUT /api/v1/agents/:id. */
export const AgentInput = Type.Object({
  number: Type.String({ pattern: '^[0-9]{2,16}$', description: 'the agent number, keyed after *70 to log in on a desk phone' }),
  name: Type.String({ minLength: 1, maxLength: 128, pattern: '\\S' }),
  extension: Type.String({ pattern: '^[0-9]{2,8}$', description: "the agent's own desk phone (a phone of the desk phones page)" }),
  userId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'the user (role agent) who works as this agent on the desk page' })),
}, { additionalProperties: false });
export type AgentInput = Static<typeof AgentInput>;

export const AgentSetup = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  name: Type.String(),
  extension: Type.String(),
  userId: Type.Union([Type.Integer(), Type.Null()]),
});
export type AgentSetup = Static<typeof AgentSetup>;
