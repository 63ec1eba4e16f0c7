import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contactAor } from '../../../server/telephony/ami/pbx-manager.js';

// Fields as asterisk-manager hands them over: names lower-cased.
describe('the AOR of a ContactList entry', () => {
  it('is read from the contact id, since Asterisk 22 sends no AOR field in ContactList', () => {
    assert.equal(contactAor({ event: 'ContactList', objectname: '1001;@5f3b2c9e4a1d8e7f', uri: 'sip:1001@127.0.0.1:40000', status: 'Reachable' }), '1001');
  });

  it('prefers an explicit AOR field when one is there', () => {
    assert.equal(contactAor({ event: 'ContactList', aor: '1002', objectname: 'other;@abc' }), '1002');
  });

  it('is empty for an entry that names neither', () => {
    assert.equal(contactAor({ event: 'ContactList' }), '');
  });
});
