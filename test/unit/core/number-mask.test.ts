// The masking rule for phone numbers shown to roles that do not need them (docs/privacy.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskNumber, maskNumbersIn, seesNumbers } from '../../../server/core/number-mask.js';
import { ConfigError, validateConfig } from '../../../server/core/config.js';

const base = { instanceName: 'test', db: { password: 'x' }, ari: { password: 'x' }, ami: { password: 'x' }, session: { secret: 's'.repeat(32) } };

describe('masking a phone number', () => {
  it('keeps the country and mobile prefix and the last 4 digits of an international number', () => {
    assert.equal(maskNumber('+8613812345678'), '+86138****5678');
  });

  it('keeps the first 3 and the last 4 digits of an 11-digit national number', () => {
    assert.equal(maskNumber('13812345678'), '138****5678');
    assert.equal(maskNumber('55501001234'), '555****1234');
  });

  it('hides the 4 digits before the last 4 of a short number, and everything before them when fewer', () => {
    assert.equal(maskNumber('55501234'), '****1234');
    assert.equal(maskNumber('5551234'), '***1234');
    assert.equal(maskNumber('5550100123'), '55****0123');
  });

  it('never shows more than 5 leading digits, however long the number', () => {
    assert.equal(maskNumber('+861012345678901'), '+86101******8901');
    assert.equal(maskNumber('008613812345678'), '00861******5678');
  });

  it('reads a number written with spaces, dashes and brackets the same way', () => {
    assert.equal(maskNumber('+86 138-1234-5678'), '+86138****5678');
    assert.equal(maskNumber('(555) 010-1234'), '55****1234');
  });

  it('leaves extensions, short codes and things that are no number as they are', () => {
    assert.equal(maskNumber('1001'), '1001');
    assert.equal(maskNumber('123456'), '123456');
    assert.equal(maskNumber('anonymous'), 'anonymous');
    assert.equal(maskNumber('erased-123456789012345678'), 'erased-123456789012345678');
    assert.equal(maskNumber(''), '');
  });

  it('never lets the hidden digits through', () => {
    for (const n of ['+8613812345678', '13812345678', '5551234', '+15551234567']) {
      const shown = maskNumber(n);
      const middle = n.replace('+', '').slice(-8, -4);
      assert.ok(!shown.includes(n.replace('+', '')), `${n} shown whole`);
      assert.ok(shown.includes('****'.slice(0, Math.min(4, middle.length))), `${n} -> ${shown}`);
    }
  });
});

describe('masking the numbers in a JSON answer', () => {
  it('masks callerNumber, number and numbers at any depth and leaves everything else', () => {
    const masked = maskNumbersIn({
      items: [{ callerNumber: '+8613812345678', callerName: 'Li', did: '+862155550000' }],
      customer: { numbers: ['+8613812345678', '13912345678'], name: 'Li' },
      callbacks: [{ number: '13812345678', attempts: 2 }],
      agent: { number: '1001', extension: '2001' },
      at: new Date('2026-03-01T00:00:00Z'),
    });
    assert.deepEqual(masked, {
      items: [{ callerNumber: '+86138****5678', callerName: 'Li', did: '+862155550000' }],
      customer: { numbers: ['+86138****5678', '139****5678'], name: 'Li' },
      callbacks: [{ number: '138****5678', attempts: 2 }],
      agent: { number: '1001', extension: '2001' },
      at: '2026-03-01T00:00:00.000Z',
    });
  });

  it('does not change the value it was given', () => {
    const original = { callerNumber: '13812345678' };
    maskNumbersIn(original);
    assert.equal(original.callerNumber, '13812345678');
  });
});

describe('who sees numbers', () => {
  it('admins and supervisors by default; agents, quality auditors and report viewers see them masked', () => {
    const { unmaskedRoles } = validateConfig(base).privacy;
    assert.deepEqual(unmaskedRoles, ['admin', 'supervisor']);
    assert.equal(seesNumbers('admin', unmaskedRoles), true);
    assert.equal(seesNumbers('supervisor', unmaskedRoles), true);
    for (const role of ['agent', 'quality', 'reports']) assert.equal(seesNumbers(role, unmaskedRoles), false, role);
    assert.equal(seesNumbers(undefined, unmaskedRoles), false);
  });

  it('refuses a role that does not exist in privacy.unmaskedRoles, naming the key', () => {
    assert.throws(() => validateConfig({ ...base, privacy: { unmaskedRoles: ['admin', 'root'] } }), (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => p.startsWith('privacy.unmaskedRoles')));
  });
});
