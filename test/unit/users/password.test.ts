import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from '../../../server/users/password.js';

describe('password hashing', () => {
  it('encodes scrypt with N=2^15, r=8, p=1, a 16-byte salt and a 32-byte hash as scrypt$N$r$p$salt$hash', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p, salt, hash, ...rest] = encoded.split('$');
    assert.equal(scheme, 'scrypt');
    assert.deepEqual([n, r, p], ['32768', '8', '1']);
    assert.equal(Buffer.from(salt ?? '', 'base64').length, 16);
    assert.equal(Buffer.from(hash ?? '', 'base64').length, 32);
    assert.equal(rest.length, 0);
  });

  it('verifies the password a hash was made from', async () => {
    const encoded = await hashPassword('s3cret-enough');
    assert.equal(await verifyPassword('s3cret-enough', encoded), true);
  });

  it('refuses any other password, including one differing only in case or a trailing space', async () => {
    const encoded = await hashPassword('s3cret-enough');
    for (const wrong of ['S3cret-enough', 's3cret-enough ', '', 's3cret-enoug']) {
      assert.equal(await verifyPassword(wrong, encoded), false, wrong);
    }
  });

  it('salts every hash afresh, so one password never gives the same hash twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    assert.notEqual(a, b);
    assert.notEqual(a.split('$')[4], b.split('$')[4]);
  });

  it('accepts the same visible password typed in another Unicode normal form', async () => {
    const composed = 'caf\u00e9-passw0rd';
    const decomposed = 'cafe\u0301-passw0rd';
    assert.equal(await verifyPassword(decomposed, await hashPassword(composed)), true);
  });

  it('treats a malformed stored hash as a mismatch instead of throwing', async () => {
    const good = await hashPassword('whatever-pass');
    const parts = good.split('$');
    const malformed = [
      '',
      'plain-text-password',
      `bcrypt$${parts.slice(1).join('$')}`,
      parts.slice(0, 5).join('$'),
      ['scrypt', '1000', ...parts.slice(2)].join('$'), // N not a power of two
      ['scrypt', 'abc', ...parts.slice(2)].join('$'),
      ['scrypt', parts[1], parts[2], parts[3], '', parts[5]].join('$'),
    ];
    for (const encoded of malformed) assert.equal(await verifyPassword('whatever-pass', encoded), false, encoded);
  });

  it('refuses, without computing it, a stored hash whose parameters would need gigabytes of memory', async () => {
    const good = await hashPassword('whatever-pass');
    const parts = good.split('$');
    const huge = ['scrypt', String(2 ** 24), ...parts.slice(2)].join('$');
    const started = Date.now();
    assert.equal(await verifyPassword('whatever-pass', huge), false);
    assert.ok(Date.now() - started < 1000);
  });
});
