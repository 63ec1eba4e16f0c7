import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, dialledForm, type DialRule } from '../../../server/acd/outbound/dial-rules.js';

const cn = { internationalPrefix: '00', countryCode: '86', premiumPrefixes: ['1600', '95'] };
const rule = (id: number, prefix: string, action: 'allow' | 'deny'): DialRule => ({ id, prefix, action, label: prefix });

test('a + number is read in its dialled form: international, or national for our own country code', () => {
  assert.equal(dialledForm('+44 20 7946 0000', '442079460000', cn), '00442079460000');
  assert.equal(dialledForm('+86 138 0013 8000', '8613800138000', cn), '13800138000');
  assert.equal(dialledForm('+86 1600 123 4567', '8616001234567', cn), '16001234567');
  assert.equal(dialledForm('010 8888 0000', '01088880000', cn), '01088880000');
});

test('international and premium numbers are refused unless a rule allows them', () => {
  assert.deepEqual(decide('00442079460000', [], cn), { allowed: false, reason: 'international' });
  assert.deepEqual(decide('16001234567', [], cn), { allowed: false, reason: 'premium' });
  assert.deepEqual(decide('01088880000', [], cn), { allowed: true });
  const uk = rule(1, '0044', 'allow');
  assert.deepEqual(decide('00442079460000', [uk], cn), { allowed: true, rule: uk });
  assert.deepEqual(decide('0033123456789', [uk], cn), { allowed: false, reason: 'international' });
});

test('the longest matching rule wins, so a country may be allowed but one of its ranges kept out', () => {
  const uk = rule(1, '0044', 'allow');
  const ukPremium = rule(2, '00449', 'deny');
  assert.deepEqual(decide('00449098765432', [uk, ukPremium], cn), { allowed: false, reason: 'rule', rule: ukPremium });
  assert.deepEqual(decide('00442079460000', [ukPremium, uk], cn), { allowed: true, rule: uk });
  const blockCity = rule(3, '021', 'deny');
  assert.deepEqual(decide('02155550000', [blockCity], cn), { allowed: false, reason: 'rule', rule: blockCity });
});
