// The Redis lease that keeps a single owner of the Stasis app across server instances.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import pino from 'pino';
import { RedisLease } from '../../../server/core/lease.js';
import { testConfig, TEST_REDIS_DB } from '../../support/config.js';

const config = testConfig();
const redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB });
const log = pino({ level: 'silent' });
const key = `cc:test:lease:${process.pid}`;

function watch(lease: RedisLease) {
  const seen: string[] = [];
  lease.start({ acquired: () => seen.push('acquired'), lost: () => seen.push('lost'), standby: (h) => seen.push(`standby:${h}`) });
  return seen;
}
const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 80 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(ok(), what);
};

describe('a lease held in Redis', () => {
  before(() => redis.del(key));
  after(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('given two instances, one owns and the other waits; when the owner stops, the other takes over', async () => {
    const a = new RedisLease({ redis, key, ttlMs: 900, log });
    const b = new RedisLease({ redis, key, ttlMs: 900, log });
    const seenA = watch(a);
    await until('a acquires', () => seenA.includes('acquired'));
    const seenB = watch(b);
    await until('b stands by naming a', () => seenB.includes(`standby:${a.owner}`));
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(await redis.get(key), a.owner, 'the owner keeps renewing past the TTL');
    assert.ok(!seenB.includes('acquired'));
    await a.stop();
    await until('b takes over', () => seenB.includes('acquired'));
    assert.equal(await redis.get(key), b.owner);
    await b.stop();
    assert.equal(await redis.get(key), null, 'a clean stop releases the lease');
  });

  it('an owner whose lease was taken from it hears that it lost', async () => {
    const a = new RedisLease({ redis, key, ttlMs: 600, log });
    const seen = watch(a);
    await until('acquired', () => seen.includes('acquired'));
    await redis.set(key, 'elsewhere:1:abcd', 'PX', 5000);
    await until('lost', () => seen.includes('lost'));
    await a.stop();
    assert.equal(await redis.get(key), 'elsewhere:1:abcd', 'stopping does not release a lease it no longer holds');
    await redis.del(key);
  });

  it('a lease left by a dead process of this host is taken at once, without waiting for the TTL', async () => {
    await redis.set(key, `${hostname()}:999999:dead`, 'PX', 60000);
    const a = new RedisLease({ redis, key, ttlMs: 60000, log });
    const seen = watch(a);
    await until('acquired from the dead holder', () => seen.includes('acquired'));
    await a.stop();
  });
});
