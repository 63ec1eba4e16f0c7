import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, unavailableReasonOf } from '../../../server/agents/agent-state.js';
import { lampOf } from '../../../server/agents/agent-lamp.js';

const phone = (registered: boolean, deviceState = 'NOT_INUSE') => ({ registered, deviceState });

describe('agent state rules', () => {
  it('a logged-out agent can only log in (ready or paused), never be reserved for a call', () => {
    assert.equal(canTransition('logged_out', 'ready'), true);
    assert.equal(canTransition('logged_out', 'paused'), true);
    assert.equal(canTransition('logged_out', 'reserved'), false);
    assert.equal(canTransition('logged_out', 'ringing'), false);
  });

  it('a paused agent may change its reason (paused to paused) and go ready or log out', () => {
    assert.equal(canTransition('paused', 'paused'), true);
    assert.equal(canTransition('paused', 'ready'), true);
    assert.equal(canTransition('paused', 'on_call'), false);
  });

  it('says why an agent gets no calls: logged out, paused, wrap-up, phone unregistered or busy', () => {
    assert.equal(unavailableReasonOf('logged_out', phone(true)), 'logged-out');
    assert.equal(unavailableReasonOf('paused', phone(true)), 'paused');
    assert.equal(unavailableReasonOf('wrap_up', phone(true)), 'wrap-up');
    assert.equal(unavailableReasonOf('ready', phone(false)), 'phone-unregistered');
    assert.equal(unavailableReasonOf('ready', phone(true, 'INUSE')), 'phone-busy');
  });

  it('gives no reason when the agent may be offered a call or is busy with one', () => {
    assert.equal(unavailableReasonOf('ready', phone(true)), undefined);
    assert.equal(unavailableReasonOf('ready', phone(true, 'UNKNOWN')), undefined);
    assert.equal(unavailableReasonOf('on_call', phone(true, 'INUSE')), undefined);
    assert.equal(unavailableReasonOf('ringing', phone(true, 'RINGING')), undefined);
  });

  it('lights the busy lamp by state: free when ready, in use on a call, busy when paused, unavailable when logged out', () => {
    assert.equal(lampOf('ready'), 'NOT_INUSE');
    assert.equal(lampOf('ringing'), 'RINGING');
    assert.equal(lampOf('on_call'), 'INUSE');
    assert.equal(lampOf('paused'), 'BUSY');
    assert.equal(lampOf('wrap_up'), 'ONHOLD');
    assert.equal(lampOf('logged_out'), 'UNAVAILABLE');
  });
});
