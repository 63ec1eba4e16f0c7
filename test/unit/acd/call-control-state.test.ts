// The call states call control adds (held, transferring, consulting, conference, the two
// click-to-dial states) and the one place their transitions are written down.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canMove, isAnswered, isControllable, outcomeOf, type CallState } from '../../../server/acd/call-state.js';

describe('call states under call control', () => {
  it('a connected call can be held and resumed, and ends from hold', () => {
    assert.ok(canMove('connected', 'held'));
    assert.ok(canMove('held', 'connected'));
    assert.ok(canMove('held', 'ended'));
    assert.ok(!canMove('held', 'held'), 'holding twice is not a transition');
    assert.ok(!canMove('waiting', 'held'), 'a caller nobody answered cannot be held');
  });

  it('a blind transfer goes through transferring, to connected when the target answers or back to a queue when not', () => {
    assert.ok(canMove('connected', 'transferring'));
    assert.ok(canMove('held', 'transferring'));
    assert.ok(canMove('transferring', 'connected'));
    assert.ok(canMove('transferring', 'waiting'));
    assert.ok(!canMove('transferring', 'held'), 'nobody holds a caller whose agent has already left');
  });

  it('a transfer to a queue puts the caller back to waiting from connected or held', () => {
    assert.ok(canMove('connected', 'waiting'));
    assert.ok(canMove('held', 'waiting'));
  });

  it('an attended transfer consults, then completes, cancels, becomes a conference or falls back to hold', () => {
    for (const to of ['connected', 'conference', 'transferring', 'held', 'ended'] as CallState[]) assert.ok(canMove('consulting', to), to);
    assert.ok(!canMove('consulting', 'waiting'), 'a consultation never drops the caller into a queue by itself');
    assert.ok(canMove('conference', 'connected'), 'one of three leaves');
    assert.ok(!canMove('conference', 'consulting'));
  });

  it('click to dial rings the agent first, then dials, then connects', () => {
    assert.ok(canMove('agent-dialing', 'dialing'));
    assert.ok(canMove('dialing', 'connected'));
    assert.ok(!canMove('agent-dialing', 'connected'), 'the number is never bridged before it is dialled');
    assert.ok(canMove('agent-dialing', 'ended'));
  });

  it('a call that ends held, consulting, in a conference or mid-transfer was answered', () => {
    for (const s of ['connected', 'held', 'consulting', 'conference', 'transferring'] as CallState[]) {
      assert.ok(isAnswered(s), s);
      assert.equal(outcomeOf(s), 'answered', s);
    }
    assert.equal(outcomeOf('dialing'), 'not-answered');
    assert.equal(outcomeOf('agent-dialing'), 'agent-no-answer');
    assert.equal(outcomeOf('waiting'), 'abandoned');
  });

  it('only a call with an agent on it can be controlled from the page', () => {
    for (const s of ['connected', 'held', 'consulting', 'conference'] as CallState[]) assert.ok(isControllable(s), s);
    for (const s of ['waiting', 'offering', 'transferring', 'dialing', 'ended'] as CallState[]) assert.ok(!isControllable(s), s);
  });
});
