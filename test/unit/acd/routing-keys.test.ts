import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keys } from '../../../server/live/keys.js';

// The routing Lua scripts build keys as prefix .. id; a prefix that drifted from its
// builder would make them read and write keys nobody else uses, silently.
describe('routing key prefixes', () => {
  it('each prefix is exactly the start of the key its builder makes', () => {
    assert.equal(keys.agent(42), `${keys.agentPrefix()}42`);
    assert.equal(keys.routingAgent(42), `${keys.routingAgentPrefix()}42`);
    assert.equal(keys.routingCall('c-1'), `${keys.routingCallPrefix()}c-1`);
  });

  it('ready sets per level never collide with the waiting set or each other', () => {
    const all = [keys.queueWaiting('q'), keys.queueOfferSeq('q'), keys.queueLastOffer('q'), ...[1, 2, 3, 4, 5].map((l) => keys.queueReadyAtLevel('q', l))];
    assert.equal(new Set(all).size, all.length);
  });
});
