import type { AgentState, UnavailableReason } from './schemas.js';

// The one agent state machine, shared by every queue the agent serves (ARCHITECTURE.md).
const TRANSITIONS: Record<AgentState, readonly AgentState[]> = {
  logged_out: ['ready', 'paused'],
  ready: ['reserved', 'paused', 'logged_out'],
  reserved: ['ringing', 'ready', 'paused', 'logged_out'],
  ringing: ['on_call', 'ready', 'paused', 'logged_out'],
  on_call: ['wrap_up', 'ready', 'paused', 'logged_out'],
  wrap_up: ['ready', 'paused', 'logged_out'],
  paused: ['ready', 'logged_out', 'paused'],
};

export function canTransition(from: AgentState, to: AgentState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States in which the agent is busy with a call; a manual pause waits until it ends. */
export function isOnCallPath(state: AgentState): boolean {
  return state === 'reserved' || state === 'ringing' || state === 'on_call';
}

/** Phone states in which an offer may ring (the routing Lua checks the same two). */
const IDLE_DEVICE = new Set(['NOT_INUSE', 'UNKNOWN']);

/**
 * Why an agent is offered no calls now, for its own page and the supervisor's; undefined
 * when it may be offered one or is already busy with one (reserved, ringing, on a call).
 */
export function unavailableReasonOf(state: AgentState, device: { registered: boolean; deviceState: string }): UnavailableReason | undefined {
  if (state === 'logged_out') return 'logged-out';
  if (state === 'paused') return 'paused';
  if (state === 'wrap_up') return 'wrap-up';
  if (state !== 'ready') return undefined;
  if (!device.registered) return 'phone-unregistered';
  if (!IDLE_DEVICE.has(device.deviceState)) return 'phone-busy';
  return undefined;
}
