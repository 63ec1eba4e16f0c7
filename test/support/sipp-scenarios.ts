// sipp scenarios for desk phones, as text (test/support/sipp.ts writes and runs them).
import { QUALIFY_FIRST, QUALIFY_LAST, RECV_INVITE_AS_CALLEE, awaitBye, calleeBye, reply, ringUntilCancelled, scenario, sdp } from './sipp-xml.js';

/** The 200 OK with our SDP that picks up the call (To tagged `toTag`). */
export const pickUp = (toTag: string, session = 'agent', contact: boolean | string = true, headers?: string[]) =>
  reply('200 OK', { toTag, contact, headers, body: sdp({ session }) });

/** An agent who picks up after `ringMs` of ringing (the screen pop shows while it rings) and stays until the far end hangs up. */
export function ringThenAnswer(ringMs: number): string {
  return scenario('ring-then-answer', QUALIFY_FIRST, '<recv request="INVITE"/>', reply('180 Ringing', { toTag: 'agent', contact: true }),
    `<pause milliseconds="${ringMs}"/>`, pickUp('agent'), '<recv request="ACK"/>', awaitBye(), QUALIFY_LAST);
}

/** An agent who picks up at once, talks for `talkMs`, then hangs up first (sends BYE). */
export function answerThenHangUp(talkMs: number): string {
  return scenario('answer-then-hang-up', QUALIFY_FIRST, RECV_INVITE_AS_CALLEE, pickUp('agent'), '<recv request="ACK"/>',
    `<pause milliseconds="${talkMs}"/>`, calleeBye('agent', 1), QUALIFY_LAST);
}

/** Rings until the caller gives up (CANCEL), like an agent away from the desk; answers qualify OPTIONS. */
export const RING_ONLY = scenario('ring-only', QUALIFY_FIRST, ringUntilCancelled('ring'), QUALIFY_LAST);
