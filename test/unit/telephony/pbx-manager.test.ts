import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aorOfContact } from '../../../server/telephony/ami/pbx-manager.js';

describe('AMI contact listing', () => {
  it('takes the AOR of a ContactList entry from its ObjectName, as Asterisk 22 sends no AOR field there', () => {
    // Fields as PJSIPShowContacts returned them on Asterisk 22.10.1 (asterisk-manager lower-cases keys).
    assert.equal(aorOfContact({ event: 'ContactList', objecttype: 'contact', objectname: '1001;@e6e8a16fbb9649fd1f9b64183fe6d7f6', endpoint: '1001', uri: 'sip:1001@127.0.0.1:53398' }), '1001');
  });

  it('prefers an AOR field when the event has one', () => {
    assert.equal(aorOfContact({ aor: '2001', objectname: '1001;@abc' }), '2001');
  });

  it('is empty for an entry with neither', () => {
    assert.equal(aorOfContact({ event: 'ContactList' }), '');
  });
});
