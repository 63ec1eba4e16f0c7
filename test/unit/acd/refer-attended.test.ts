// The party of a desk phone's attended REFER is known only by its channel name: which
// endpoint (desk phone) that is decides whether an agent takes the call over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endpointOf } from '../../../server/acd/call-control/refer-attended.js';

describe('endpointOf (channel name to desk phone)', () => {
  it('reads the endpoint of a PJSIP channel', () => {
    assert.equal(endpointOf('PJSIP/1002-00000184'), '1002');
    assert.equal(endpointOf('PJSIP/carrier-0000001a'), 'carrier');
  });

  it('gives nothing for other technologies, a missing name or a name without its sequence', () => {
    assert.equal(endpointOf('Local/1002@from-phones-00000001;1'), undefined);
    assert.equal(endpointOf(undefined), undefined);
    assert.equal(endpointOf('PJSIP/1002'), undefined);
    assert.equal(endpointOf('PJSIP/1002-00000184;junk'), undefined);
  });
});
