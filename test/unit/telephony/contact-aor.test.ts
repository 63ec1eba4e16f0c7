// PJSIPShowContacts names each contact's AOR only inside its object name; the device
// tracker's resynchronisation after a (re)connect depends on reading it from there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contactAor } from '../../../server/telephony/ami/pbx-manager.js';

describe('the AOR of a listed PJSIP contact', () => {
  it('given a ContactList event as Asterisk 22 sends it (no AOR field), the AOR is the object name before ";@"', () => {
    const event = { event: 'ContactList', objecttype: 'contact', objectname: '1001;@dc3e36c307bf6fb034c5f990843c0b50', endpoint: '1001', uri: 'sip:1001@127.0.0.1:56480', status: 'Reachable' };
    assert.equal(contactAor(event), '1001');
  });

  it('given an event that names its AOR (ContactStatus), that AOR is used', () => {
    assert.equal(contactAor({ event: 'ContactStatus', aor: '1002', uri: 'sip:1002@127.0.0.1:5070', contactstatus: 'Created' }), '1002');
  });

  it('given neither, the AOR is empty rather than a wrong name', () => {
    assert.equal(contactAor({ event: 'ContactList', uri: 'sip:x@127.0.0.1' }), '');
  });
});
