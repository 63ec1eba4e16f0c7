// The life of one inbound call inside our app. Transitions live here and nowhere else.
//   ivr        the caller is in an IVR flow
//   greeting   a DID without a flow: the greeting plays before the queue
//   waiting    in one or more queues with music on hold
//   confirming asking for a callback: out of the routing sets, its place (score) kept
//   offering   an agent's desk phone rings for it
//   connected  caller and agent bridged
//   leaving    handed to the dialplan (voicemail, an extension): no longer ours
//   ended
export type CallState = 'ivr' | 'greeting' | 'waiting' | 'confirming' | 'offering' | 'connected' | 'leaving' | 'ended';

const NEXT: Record<CallState, readonly CallState[]> = {
  ivr: ['waiting', 'confirming', 'leaving', 'ended'],
  // A queue's own rules may divert a caller straight from the greeting (no agents, full).
  greeting: ['waiting', 'confirming', 'ivr', 'leaving', 'ended'],
  waiting: ['offering', 'ivr', 'confirming', 'leaving', 'ended'],
  confirming: ['waiting', 'leaving', 'ended'],
  offering: ['connected', 'waiting', 'ended'],
  connected: ['ended'],
  leaving: ['ended'],
  ended: [],
};

export function canMove(from: CallState, to: CallState): boolean {
  return NEXT[from].includes(to);
}

export type CallOutcome = 'answered' | 'abandoned' | 'abandoned-in-greeting' | 'abandoned-in-ivr' | 'left';

/** Why a call ended, as stored in the interaction's outcome (unless a handover named it). */
export function outcomeOf(stateAtEnd: CallState): CallOutcome {
  if (stateAtEnd === 'connected') return 'answered';
  if (stateAtEnd === 'greeting') return 'abandoned-in-greeting';
  if (stateAtEnd === 'ivr') return 'abandoned-in-ivr';
  if (stateAtEnd === 'leaving') return 'left';
  return 'abandoned';
}
