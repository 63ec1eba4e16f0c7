// The life of one call inside our app. Transitions live here and nowhere else.
//   ivr          the caller is in an IVR flow
//   greeting     a DID without a flow: the greeting plays before the queue
//   waiting      in one or more queues with music on hold
//   confirming   asking for a callback: out of the routing sets, its place (score) kept
//   offering     an agent's desk phone rings for it
//   connected    caller and agent bridged
//   held         the agent put the caller on hold: the caller is out of the bridge with music on hold
//   transferring a blind transfer: the first agent is gone, the caller hears music while the target rings
//   consulting   an attended transfer: the caller is held while the agent talks to (or rings) the target
//   conference   caller, agent and target all in the call's bridge
//   agent-dialing  click to dial: the agent's desk phone rings first
//   dialing      click to dial: the agent answered and hears ringback while the number is dialled
//   leaving      handed to the dialplan (voicemail, an extension): no longer ours
//   ended
export type CallState =
  | 'ivr' | 'greeting' | 'waiting' | 'confirming' | 'offering' | 'connected'
  | 'held' | 'transferring' | 'consulting' | 'conference' | 'agent-dialing' | 'dialing'
  | 'leaving' | 'ended';

const NEXT: Record<CallState, readonly CallState[]> = {
  ivr: ['waiting', 'confirming', 'leaving', 'ended'],
  // A queue's own rules may divert a caller straight from the greeting (no agents, full).
  greeting: ['waiting', 'confirming', 'ivr', 'leaving', 'ended'],
  waiting: ['offering', 'ivr', 'confirming', 'leaving', 'ended'],
  confirming: ['waiting', 'leaving', 'ended'],
  offering: ['connected', 'waiting', 'ended'],
  // waiting: transferred to a queue (its rules may divert it on the way: voicemail, a flow).
  connected: ['held', 'transferring', 'consulting', 'waiting', 'ivr', 'leaving', 'ended'],
  held: ['connected', 'transferring', 'consulting', 'waiting', 'ivr', 'leaving', 'ended'],
  // A target that does not answer sends the caller back to its queue (waiting).
  transferring: ['connected', 'waiting', 'ivr', 'leaving', 'ended'],
  // connected: completed or cancelled; transferring: completed before the target answered;
  // held: the target hung up or never answered, the caller stays on hold with its agent.
  consulting: ['connected', 'conference', 'transferring', 'held', 'ended'],
  // connected: one of the three left (the agent, leaving the caller with the target, or the target).
  conference: ['connected', 'ended'],
  'agent-dialing': ['dialing', 'ended'],
  dialing: ['connected', 'ended'],
  leaving: ['ended'],
  ended: [],
};

export function canMove(from: CallState, to: CallState): boolean {
  return NEXT[from].includes(to);
}

/** States in which somebody of ours has answered the caller: its end is a completed call. */
export function isAnswered(state: CallState): boolean {
  return state === 'connected' || state === 'held' || state === 'transferring' || state === 'consulting' || state === 'conference';
}

/** States in which an agent is on the call and may control it. */
export function isControllable(state: CallState): boolean {
  return state === 'connected' || state === 'held' || state === 'consulting' || state === 'conference';
}

export type CallOutcome = 'answered' | 'abandoned' | 'abandoned-in-greeting' | 'abandoned-in-ivr' | 'left' | 'not-answered' | 'agent-no-answer';

/** Why a call ended, as stored in the interaction's outcome (unless a handover named it). */
export function outcomeOf(stateAtEnd: CallState): CallOutcome {
  if (isAnswered(stateAtEnd)) return 'answered';
  if (stateAtEnd === 'greeting') return 'abandoned-in-greeting';
  if (stateAtEnd === 'ivr') return 'abandoned-in-ivr';
  if (stateAtEnd === 'leaving') return 'left';
  if (stateAtEnd === 'dialing') return 'not-answered';
  if (stateAtEnd === 'agent-dialing') return 'agent-no-answer';
  return 'abandoned';
}
