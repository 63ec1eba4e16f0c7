// What may be dialled from a transfer, a click to dial or a phone's Refer-To: digits only,
// counted, a short number to a desk phone and a long one through the trunk.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialTarget, digitsOf, dtmfDigits, referDigits } from '../../../server/acd/call-control/dial-target.js';

const trunk = { endpoint: 'carrier', host: '127.0.0.2:5060' };
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('dial targets', () => {
  it('a number written the way people write it keeps only its digits', () => {
    assert.equal(digitsOf('+1 (555) 700-2000'), '15557002000');
    assert.equal(digitsOf(' 555.7002 '), '5557002');
  });

  it('anything that could reach a dial string is refused, not filtered', () => {
    for (const bad of ['1002@evil', '1002;transport=tcp', 'PJSIP/1002', '12a4', '', '1002&1003', 'sip:1002']) {
      assert.equal(code(() => digitsOf(bad)), 'bad-number', bad);
    }
  });

  it('2 to 6 digits ring a desk phone directly', () => {
    assert.deepEqual(dialTarget('1002', trunk), { digits: '1002', internal: true, endpoint: 'PJSIP/1002' });
  });

  it('7 to 15 digits go out through the trunk to the carrier', () => {
    assert.deepEqual(dialTarget('+86 138 0000 0000', trunk), { digits: '8613800000000', internal: false, endpoint: 'PJSIP/carrier/sip:8613800000000@127.0.0.2:5060' });
  });

  it('lengths that are neither are refused', () => {
    assert.equal(code(() => dialTarget('1', trunk)), 'bad-number');
    assert.equal(code(() => dialTarget('1234567', trunk)), undefined);
    assert.equal(code(() => dialTarget('123456789012345', trunk)), undefined);
    assert.equal(code(() => dialTarget('1234567890123456', trunk)), 'bad-number', '16 digits is more than E.164 allows');
  });

  it('DTMF is 1-32 keys of 0-9 * # A-D', () => {
    assert.equal(dtmfDigits('12#*ab'), '12#*AB');
    assert.equal(code(() => dtmfDigits('12 3')), 'bad-number');
    assert.equal(code(() => dtmfDigits('')), 'bad-number');
  });

  it("a phone's Refer-To gives its user part only when that is a number", () => {
    assert.equal(referDigits('1002'), '1002');
    assert.equal(referDigits('sip:1002@127.0.0.1:5060'), '1002');
    assert.equal(referDigits('+15557002000'), '15557002000');
    assert.equal(referDigits('alice'), undefined);
    assert.equal(referDigits(undefined), undefined);
  });
});
