import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULE, deliveredForms, matchForms, normaliseNumber, type NumberRule } from '../../../server/crm/phone-number.js';

const china: NumberRule = { countryCode: '86', nationalPrefix: '0', internationalPrefix: '00', nationalMinDigits: 8 };
const nanp: NumberRule = { countryCode: '1', nationalPrefix: '1', internationalPrefix: '011', nationalMinDigits: 10 };

describe('phone number normalisation', () => {
  it('drops spaces, dashes, dots, slashes and brackets and keeps a leading +', () => {
    assert.equal(normaliseNumber('+1 (555) 010-2000'), '+15550102000');
    assert.equal(normaliseNumber(' +44 20.7946/0958 '), '+442079460958');
    assert.equal(normaliseNumber('555-0100'), '5550100');
  });

  it('turns a leading international prefix into +', () => {
    assert.equal(normaliseNumber('0044 20 7946 0958'), '+442079460958');
    assert.equal(normaliseNumber('011 44 20 7946 0958', nanp), '+442079460958');
  });

  it('without a country code keeps national numbers as their digits', () => {
    assert.equal(normaliseNumber('010 1234 5678', DEFAULT_RULE), '01012345678');
    assert.equal(normaliseNumber('13812345678', DEFAULT_RULE), '13812345678');
  });

  it('with a country code, a national number with the trunk prefix becomes international', () => {
    assert.equal(normaliseNumber('010 1234 5678', china), '+861012345678');
    assert.equal(normaliseNumber('1 555 010 2000', nanp), '+15550102000');
  });

  it('with a country code, a long national number without a prefix becomes international; a short one stays', () => {
    assert.equal(normaliseNumber('13812345678', china), '+8613812345678');
    assert.equal(normaliseNumber('555 010 2000', nanp), '+15550102000');
    assert.equal(normaliseNumber('1001', china), '1001', 'an extension is not a national number');
    assert.equal(normaliseNumber('5550100', nanp), '5550100', 'seven digits is a local number in NANP');
  });

  it('every way of writing one Chinese mobile number gives the same stored form', () => {
    const forms = ['+86 138-1234-5678', '0086 13812345678', '13812345678', '+8613812345678'];
    assert.deepEqual(new Set(forms.map((f) => normaliseNumber(f, china))), new Set(['+8613812345678']));
  });

  it('anonymous, empty, garbage, too short and too long never give a number', () => {
    for (const raw of ['', '   ', null, undefined, 'anonymous', 'Anonymous', 'unknown', 'Restricted', '12', '+', '++123456', '12+3456', '1234a', '<script>', '1'.repeat(21)]) {
      assert.equal(normaliseNumber(raw, china), undefined, String(raw));
    }
  });

  it('lists the forms a trunk may have delivered a stored number in', () => {
    assert.deepEqual(new Set(deliveredForms('+8613812345678', china)), new Set(['+8613812345678', '8613812345678', '008613812345678', '013812345678', '13812345678']));
    assert.deepEqual(new Set(deliveredForms('+442079460958', china)), new Set(['+442079460958', '442079460958', '00442079460958']));
    assert.deepEqual(deliveredForms('1001', china), ['1001']);
  });

  it('a caller id matches its normalised form first, and a long bare digit string also as an international number', () => {
    assert.deepEqual(matchForms('13812345678', china), ['+8613812345678', '+13812345678']);
    assert.deepEqual(matchForms('442079460958', DEFAULT_RULE), ['442079460958', '+442079460958']);
    assert.deepEqual(matchForms('+442079460958', china), ['+442079460958']);
    assert.deepEqual(matchForms('0044 20 7946 0958', china), ['+442079460958']);
    assert.deepEqual(matchForms('1001', china), ['1001']);
    assert.deepEqual(matchForms('anonymous', china), []);
  });

  it('every form a trunk may deliver a stored number in is matched back to it', () => {
    for (const rule of [china, nanp, DEFAULT_RULE]) {
      for (const stored of ['+8613812345678', '+15550102000', '+442079460958']) {
        for (const form of deliveredForms(stored, rule)) assert.ok(matchForms(form, rule).includes(stored), `${form} under ${rule.countryCode || 'no country'}`);
      }
    }
  });
});
