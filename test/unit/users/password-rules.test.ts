import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblems } from '../../../server/users/password-rules.js';

const codes = (password: string, username = 'alice') => passwordProblems(password, username, 10).map((p) => p.code);

describe('password rules', () => {
  it('accepts a long passphrase that is not the username', () => {
    assert.deepEqual(codes('correct horse battery'), []);
    assert.deepEqual(codes('agent password 1'), []);
  });

  it('refuses a password shorter than the configured minimum and says the minimum', () => {
    const problems = passwordProblems('short1x', 'alice', 10);
    assert.deepEqual(problems.map((p) => p.code), ['password-too-short']);
    assert.match(problems[0]!.message, /at least 10 characters/);
  });

  it('counts characters, not bytes, so a Chinese passphrase of ten characters is long enough', () => {
    assert.deepEqual(codes('我的密码是很长的一句话'), []);
  });

  it('refuses the username itself, in any case and with a few characters around it', () => {
    assert.ok(codes('alicealice', 'alicealice').includes('password-is-username'));
    assert.ok(codes('AliceAlice1', 'alicealice').includes('password-is-username'));
    assert.ok(codes('supervisor01', 'supervisor01').includes('password-is-username'));
  });

  it('refuses the well-known passwords even with digits or punctuation appended', () => {
    for (const p of ['password123!', 'Password2024', 'qwertyuiop', 'P@ssw0rd1234', 'letmein12345', 'callcenter1']) {
      assert.ok(codes(p).includes('password-too-common'), p);
    }
  });

  it('refuses runs of one character, of digits, or of consecutive letters', () => {
    for (const p of ['aaaaaaaaaaaa', '12345678901', 'abcdefghijk']) assert.ok(codes(p).includes('password-too-common'), p);
  });

  it('refuses an over-long password so a sign-in cannot be made expensive', () => {
    assert.ok(codes('x y z '.repeat(50)).includes('password-too-long'));
  });
});
