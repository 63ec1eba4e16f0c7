import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canMoveCallback, dialFailureKind, isFinal, normaliseNumber, callbackMember, isCallbackMember, interactionOfMember } from '../../../server/acd/callbacks/callback-state.js';

describe('callback state machine', () => {
  it('goes agent first, then the customer, then connected and completed', () => {
    for (const [from, to] of [['scheduled', 'waiting'], ['waiting', 'offering'], ['offering', 'dialing'], ['dialing', 'connected'], ['connected', 'completed']] as const) {
      assert.ok(canMoveCallback(from, to), `${from} -> ${to}`);
    }
  });

  it('never dials a customer before an agent holds the callback, nor revives a finished one', () => {
    assert.equal(canMoveCallback('waiting', 'dialing'), false);
    assert.equal(canMoveCallback('scheduled', 'connected'), false);
    for (const s of ['completed', 'failed', 'expired', 'cancelled'] as const) {
      assert.ok(isFinal(s));
      assert.equal(canMoveCallback(s, 'waiting'), false);
    }
  });

  it('a customer who does not answer is retried (scheduled) or given up (failed); a connected call is never cancelled', () => {
    assert.ok(canMoveCallback('dialing', 'scheduled'));
    assert.ok(canMoveCallback('dialing', 'failed'));
    assert.equal(canMoveCallback('connected', 'cancelled'), false);
  });
});

describe('callback numbers', () => {
  it('keeps digits and a leading +, ignores spacing', () => {
    assert.equal(normaliseNumber(' +1 (555) 010-9999 '), '+15550109999');
    assert.equal(normaliseNumber('5551234'), '5551234');
  });

  it('refuses what is not a phone number', () => {
    for (const bad of ['', '12', 'anonymous', '5551234<script>', '1'.repeat(21), 'sip:5551234@evil']) {
      assert.equal(normaliseNumber(bad), undefined, bad);
    }
  });
});

describe('what a failed customer leg means', () => {
  it('reads Q.850 causes', () => {
    assert.equal(dialFailureKind(17), 'busy');
    assert.equal(dialFailureKind(19), 'no-answer');
    assert.equal(dialFailureKind(18), 'no-answer');
    assert.equal(dialFailureKind(21), 'rejected');
    assert.equal(dialFailureKind(34), 'failed');
  });

  it('callback members are told apart from calls in the routing sets', () => {
    const m = callbackMember('0b6f8a52-1111-4222-8333-444455556666');
    assert.ok(isCallbackMember(m));
    assert.equal(isCallbackMember('0b6f8a52-1111-4222-8333-444455556666'), false);
    assert.equal(interactionOfMember(m), '0b6f8a52-1111-4222-8333-444455556666');
  });
});
