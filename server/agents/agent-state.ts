import type { AgentState } from './schemas.js';

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
