// The life of one inbound call inside our app. Transitions live here and nowhere else.
export type CallState = 'greeting' | 'waiting' | 'offering' | 'connected' | 'ended';

const NEXT: Record<CallState, readonly CallState[]> = {
  greeting: ['waiting', 'ended'],
  waiting: ['offering', 'ended'],
  offering: ['connected', 'waiting', 'ended'],
  connected: ['ended'],
  ended: [],
};

export function canMove(from: CallState, to: CallState): boolean {
  return NEXT[from].includes(to);
}

/** Why a call ended, as stored in the interaction's outcome. */
export function outcomeOf(stateAtEnd: CallState): 'answered' | 'abandoned' | 'abandoned-in-greeting' {
  if (stateAtEnd === 'connected') return 'answered';
  if (stateAtEnd === 'greeting') return 'abandoned-in-greeting';
  return 'abandoned';
}
