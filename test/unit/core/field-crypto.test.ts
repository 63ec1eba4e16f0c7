// Sealed fields (server/core/field-crypto.ts): what goes in comes out, an altered value or
// the wrong key is a clear error instead of garbage, and a rotated key still opens old values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { FieldCipher, FieldDecryptError, createFieldCipher, dataKeyProblems, generateDataKey } from '../../../server/core/field-crypto.js';
import { ConfigError, envOverrides, validateConfig } from '../../../server/core/config.js';

const key = () => randomBytes(32);
const CTX = 'customers.email';

describe('field encryption', () => {
  const k1 = key();
  const cipher = new FieldCipher({ currentKeyId: 'k1', keys: { k1 } });

  it('gives back what was sealed, Chinese and emoji included, and never the same envelope twice', () => {
    for (const plain of ['li.wei@example.cn', '', '王小明 的 备注 🙂', 'x'.repeat(4000)]) {
      const sealed = cipher.seal(plain, CTX);
      assert.match(sealed, /^enc:v1:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
      if (plain) assert.ok(!sealed.includes(plain));
      assert.equal(cipher.open(sealed, CTX), plain);
    }
    assert.notEqual(cipher.seal('same', CTX), cipher.seal('same', CTX));
  });

  it('reads a value without the envelope as plain text written before encryption', () => {
    assert.equal(cipher.open('legacy@example.com', CTX), 'legacy@example.com');
    assert.equal(cipher.openOrNull(null, CTX), null);
    assert.equal(cipher.sealOrNull(null, CTX), null);
  });

  it('refuses a value whose ciphertext, tag or IV was altered, saying which column', () => {
    const sealed = cipher.seal('secret note', CTX);
    const parts = sealed.split(':');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] = (buf[0] as number) ^ 1;
      return buf.toString('base64');
    };
    for (const i of [3, 4, 5]) {
      const bad = parts.map((p, j) => (j === i ? flip(p) : p)).join(':');
      assert.throws(() => cipher.open(bad, CTX), (e: unknown) =>
        e instanceof FieldDecryptError && e.code === 'field-decrypt-failed' && /customers\.email/.test(e.message) && /does not authenticate/.test(e.message));
    }
    assert.throws(() => cipher.open('enc:v1:k1:only-two', CTX), /malformed envelope/);
  });

  it('refuses a value moved to another column (the context is authenticated)', () => {
    const totp = cipher.seal('JBSWY3DPEHPK3PXP', 'users.totp_secret');
    assert.throws(() => cipher.open(totp, CTX), FieldDecryptError);
  });

  it('refuses a value sealed under a key it does not hold, or under a different key with the same id', () => {
    const other = new FieldCipher({ currentKeyId: 'k2', keys: { k2: key() } });
    assert.throws(() => other.open(cipher.seal('a', CTX), CTX), /data key 'k1', which security.dataKeys does not hold/);
    const impostor = new FieldCipher({ currentKeyId: 'k1', keys: { k1: key() } });
    assert.throws(() => impostor.open(cipher.seal('a', CTX), CTX), /does not authenticate under data key 'k1'/);
  });

  it('after a rotation seals under the new key, still opens the old key\'s values, and says which need re-sealing', () => {
    const oldValue = cipher.seal('before rotation', CTX);
    const rotated = new FieldCipher({ currentKeyId: 'k2', keys: { k1, k2: key() } });
    assert.equal(rotated.open(oldValue, CTX), 'before rotation');
    const fresh = rotated.seal('after', CTX);
    assert.ok(fresh.startsWith('enc:v1:k2:'));
    assert.equal(rotated.needsSealing(oldValue), true);
    assert.equal(rotated.needsSealing('plain'), true);
    assert.equal(rotated.needsSealing(fresh), false);
    assert.equal(rotated.needsSealing(null), false);
  });

  it('gives a blind index that ignores case and spacing, depends on key and column, and is found under any configured key', () => {
    const index = cipher.blindIndex('Li.Wei@Example.CN', CTX);
    assert.match(index ?? '', /^[0-9a-f]{32}$/);
    assert.equal(cipher.blindIndex('  li.wei@example.cn ', CTX), index);
    assert.equal(cipher.blindIndex('Ｌｉ.Wei@Example.CN', CTX), index, 'full-width letters are the same after NFKC');
    assert.notEqual(cipher.blindIndex('li.wei@example.com', CTX), index);
    assert.notEqual(cipher.blindIndex('Li.Wei@Example.CN', 'customers.company'), index, 'bound to the column');
    assert.notEqual(new FieldCipher({ currentKeyId: 'k1', keys: { k1: key() } }).blindIndex('Li.Wei@Example.CN', CTX), index, 'bound to the key');
    assert.equal(cipher.blindIndex('   ', CTX), null);
    assert.equal(cipher.blindIndex(null, CTX), null);
    assert.deepEqual(cipher.blindIndexCandidates(' ', CTX), []);
    const rotated = new FieldCipher({ currentKeyId: 'k2', keys: { k1, k2: key() } });
    const candidates = rotated.blindIndexCandidates('li.wei@example.cn', CTX);
    assert.equal(candidates.length, 2);
    assert.ok(candidates.includes(index as string), 'a row indexed under the old key is still found');
    assert.ok(candidates.includes(rotated.blindIndex('li.wei@example.cn', CTX) as string));
    assert.ok(!(index as string).includes('li'), 'no plain text in it');
  });
});

describe('data key settings', () => {
  const base = { instanceName: 'test', db: { password: 'x' }, ari: { password: 'x' }, ami: { password: 'x' }, session: { secret: 's'.repeat(32) } };

  it('stops the boot when no key is configured, saying how to make one', () => {
    assert.throws(() => createFieldCipher(validateConfig(base)), (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => p.startsWith('security.dataKeyId: no data key configured')));
  });

  it('names each malformed key: short, not base64, bad id, current id missing', () => {
    const problems = dataKeyProblems({ dataKeyId: 'k9', dataKeys: { k1: randomBytes(16).toString('base64'), k2: 'not base64!', 'bad id': generateDataKey() } });
    assert.ok(problems.some((p) => p.startsWith("security.dataKeyId: 'k9' is not among")));
    assert.ok(problems.some((p) => p.startsWith('security.dataKeys.k1: must be 32 random bytes')));
    assert.ok(problems.some((p) => p.startsWith('security.dataKeys.k2: must be 32 random bytes')));
    assert.ok(problems.some((p) => p.startsWith('security.dataKeys.bad id: a key id is')));
  });

  it('accepts a key given in the environment (CC__SECURITY__DATA_KEYS as JSON) and seals with it', () => {
    const env = envOverrides({ CC__SECURITY__DATA_KEY_ID: 'k1', CC__SECURITY__DATA_KEYS: JSON.stringify({ k1: generateDataKey() }) });
    const c = createFieldCipher(validateConfig({ ...base, ...env }));
    assert.equal(c.currentKeyId, 'k1');
    assert.equal(c.open(c.seal('ok', CTX), CTX), 'ok');
  });
});
