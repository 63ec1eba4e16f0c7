import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keys } from '../../../server/live/keys.js';

// LiveAgents' claimPhone script builds the keys of a phone's agent and an agent's phone
// from prefixes; a drifted builder would leave stale hot-desk links behind silently.
describe('hot-desk key layout', () => {
  it('phone and agent keys are prefix + id + suffix, as the claim script builds them', () => {
    assert.equal(keys.phoneAgent('1002'), `${keys.phoneAgent('').slice(0, -':agent'.length)}1002:agent`);
    assert.equal(keys.agentPhone(42), `${keys.agentPrefix()}42:phone`);
  });
});
