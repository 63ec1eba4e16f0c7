// The life of one callback. A callback belongs to the interaction of the call that asked
// for it and keeps that call's place (its virtual time) in the queue.
//   scheduled  not callable yet: waiting for its retry time or for calling hours
//   waiting    in the queue's routing sets at its place, like a caller on hold
//   offering   the reserved agent's desk phone rings (agent first, then the customer)
//   dialing    the agent answered; the customer's phone rings, the agent hears ringback
//   connected  agent and customer bridged, recording
//   completed | failed (attempts used up) | expired (never reached in time) | cancelled
export type CallbackState = 'scheduled' | 'waiting' | 'offering' | 'dialing' | 'connected' | 'completed' | 'failed' | 'expired' | 'cancelled';

export const FINAL_STATES: readonly CallbackState[] = ['completed', 'failed', 'expired', 'cancelled'];

const NEXT: Record<CallbackState, readonly CallbackState[]> = {
  scheduled: ['waiting', 'expired', 'cancelled'],
  waiting: ['offering', 'scheduled', 'expired', 'cancelled'],
  // Back to waiting: the agent let it ring. Cancelled: an admin cancelled it meanwhile.
  offering: ['dialing', 'waiting', 'cancelled'],
  // Scheduled: the customer did not answer and attempts are left; waiting: the agent hung up first.
  dialing: ['connected', 'scheduled', 'waiting', 'failed', 'cancelled'],
  connected: ['completed'],
  completed: [],
  failed: [],
  expired: [],
  cancelled: [],
};

export function canMoveCallback(from: CallbackState, to: CallbackState): boolean {
  return NEXT[from].includes(to);
}

export function isFinal(state: CallbackState): boolean {
  return FINAL_STATES.includes(state);
}

/** Routing-set member id of a callback; its interaction id stays the record's key. */
export const callbackMember = (interactionId: string) => `cb-${interactionId}`;
export const isCallbackMember = (member: string) => member.startsWith('cb-');
export const interactionOfMember = (member: string) => member.slice(3);

/** A number we may dial back: digits only, an optional leading +, 3 to 20 digits. */
export function normaliseNumber(raw: string): string | undefined {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+') ? '+' : '';
  const digits = trimmed.replace(/[^0-9]/g, '');
  if (digits.length < 3 || digits.length > 20) return undefined;
  // Anything but digits, spaces, dashes, dots and brackets means it was not a phone number.
  if (/[^0-9+\s().-]/.test(trimmed)) return undefined;
  return plus + digits;
}

/** What a failed customer leg means: worth another try, or not. */
export function dialFailureKind(cause: number): 'no-answer' | 'busy' | 'rejected' | 'failed' {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19) return 'no-answer';
  if (cause === 21) return 'rejected';
  return 'failed';
}
