// The caps on concurrent outside calls (server/acd/outbound/outbound-cap.ts) against real
// Redis and MariaDB: per agent and in all, released when a call ends, never stuck by a
// release a crash lost, atomic under concurrent dials, and taken only for numbers the dial
// rules allow.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { OutboundCap, type OutboundLimits } from '../../../server/acd/outbound/outbound-cap.js';
import { DialPolicy } from '../../../server/acd/outbound/dial-policy.js';
import { DialRuleRepository } from '../../../server/acd/outbound/dial-rule-repository.js';
import { keys } from '../../../server/live/keys.js';
import { createDb, migrateLatest, type Knex } from '../../../server/core/db.js';
import { resetDatabase, testConfig, TEST_REDIS_DB } from '../../support/config.js';

const config = testConfig();
let redis: Redis;
let db: Knex;

const capOf = (limits: OutboundLimits, maxCallSec = 14400) => new OutboundCap({ redis, limits, maxCallSec });
const refusal = (limit: 'agent' | 'total') => (e: unknown) => {
  const err = e as { statusCode?: number; code?: string; details?: { limit?: string } };
  return err.statusCode === 429 && err.code === 'outbound-limit' && err.details?.limit === limit;
};

describe('outside-call caps', () => {
  before(async () => {
    await resetDatabase(config);
    db = createDb(config);
    await migrateLatest(db);
    redis = new Redis({ host: config.redis.host, port: config.redis.port, db: TEST_REDIS_DB });
  });

  beforeEach(async () => {
    await redis.del(keys.outboundSlots(), keys.callsActive(), keys.callbacksActive());
  });

  after(async () => {
    redis?.disconnect();
    await db?.destroy();
  });

  it('refuses an agent\'s second outside call with maxPerAgent 1 while another agent may dial, and allows it again after hang-up', async () => {
    const cap = capOf({ maxPerAgent: 1, maxTotal: 10 });
    await cap.acquire({ callId: 'c1', agentId: 7, leg: 'dial' });
    await assert.rejects(cap.acquire({ callId: 'c2', agentId: 7, leg: 'dial' }), (e: unknown) =>
      refusal('agent')(e) && /already has 1 outside call\(s\) up.*outbound\.maxPerAgent 1/.test((e as Error).message));
    await cap.acquire({ callId: 'c3', agentId: 8, leg: 'dial' });
    assert.deepEqual(await cap.count(7), { total: 2, agent: 1 });
    await cap.release('c1');
    await cap.acquire({ callId: 'c2', agentId: 7, leg: 'dial' });
    assert.deepEqual(await cap.count(7), { total: 2, agent: 1 });
  });

  it('refuses any call over maxTotal, whoever dials, with a message naming the setting', async () => {
    const cap = capOf({ maxPerAgent: 0, maxTotal: 2 });
    await cap.acquire({ callId: 'a', agentId: 1, leg: 'dial' });
    await cap.acquire({ callId: 'b', agentId: null, leg: 'callback' });
    await assert.rejects(cap.acquire({ callId: 'c', agentId: 3, leg: 'dial' }), (e: unknown) => refusal('total')(e) && /outbound\.maxTotal 2/.test((e as Error).message));
    await cap.release('b');
    await cap.acquire({ callId: 'c', agentId: 3, leg: 'dial' });
  });

  it('counts the same slot once when it is taken twice, and releases one leg without the others', async () => {
    const cap = capOf({ maxPerAgent: 2, maxTotal: 10 });
    await cap.acquire({ callId: 'x', agentId: 5, leg: 'dial' });
    await cap.acquire({ callId: 'x', agentId: 5, leg: 'dial' });
    await cap.acquire({ callId: 'x', agentId: 5, leg: 'xfer' });
    assert.equal((await cap.count(5)).agent, 2);
    await cap.release('x', 'xfer');
    assert.deepEqual(await redis.zrange(keys.outboundSlots(), '0', '-1'), ['x|5|dial']);
    await cap.release('x');
    await cap.release('never-held');
    assert.equal(await redis.zcard(keys.outboundSlots()), 0);
  });

  it('lets 3 of 10 simultaneous dials through with maxTotal 3 (the count and the take are one step)', async () => {
    const cap = capOf({ maxPerAgent: 0, maxTotal: 3 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => cap.acquire({ callId: `p${i}`, agentId: i, leg: 'dial' })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    assert.equal(await redis.zcard(keys.outboundSlots()), 3);
  });

  it('drops a slot whose release was lost once its call is no longer live, but keeps one whose call still is', async () => {
    const cap = capOf({ maxPerAgent: 1, maxTotal: 10 });
    const twoMinutesAgo = Date.now() - 120_000;
    await cap.acquire({ callId: 'lost', agentId: 9, leg: 'dial' }, twoMinutesAgo);
    await cap.acquire({ callId: 'live', agentId: 10, leg: 'dial' }, twoMinutesAgo);
    await cap.acquire({ callId: 'live-cb', agentId: 11, leg: 'callback' }, twoMinutesAgo);
    await redis.sadd(keys.callsActive(), 'live');
    await redis.sadd(keys.callbacksActive(), 'live-cb');
    await cap.acquire({ callId: 'next', agentId: 9, leg: 'dial' });
    await assert.rejects(cap.acquire({ callId: 'other', agentId: 10, leg: 'dial' }), refusal('agent'));
    await assert.rejects(cap.acquire({ callId: 'other', agentId: 11, leg: 'dial' }), refusal('agent'));
    assert.deepEqual((await redis.zrange(keys.outboundSlots(), '0', '-1')).sort(), ['live-cb|11|callback', 'live|10|dial', 'next|9|dial']);
  });

  it('does not take a slot just dialled for lost before its call is saved (grace), and drops any slot older than maxCallSec', async () => {
    const cap = capOf({ maxPerAgent: 1, maxTotal: 10 }, 600);
    await cap.acquire({ callId: 'fresh', agentId: 1, leg: 'dial' });
    await assert.rejects(cap.acquire({ callId: 'again', agentId: 1, leg: 'dial' }), refusal('agent'));
    await cap.acquire({ callId: 'ancient', agentId: 2, leg: 'dial' }, Date.now() - 601_000);
    await redis.sadd(keys.callsActive(), 'ancient');
    await cap.acquire({ callId: 'new', agentId: 2, leg: 'dial' });
  });

  it('through the dial policy: a number no rule allows is refused with 403 and takes no slot', async () => {
    const policy = new DialPolicy(new DialRuleRepository(db), { internationalPrefix: '00', countryCode: '86', premiumPrefixes: [] }, capOf({ maxPerAgent: 1, maxTotal: 10 }));
    await assert.rejects(policy.admit({ callId: 'intl', agentId: 4, leg: 'dial' }, '001 555 0100', '0015550100'), (e: unknown) =>
      (e as { statusCode?: number; code?: string }).statusCode === 403 && (e as { code?: string }).code === 'dial-refused');
    assert.equal(await redis.zcard(keys.outboundSlots()), 0);
    await policy.admit({ callId: 'local', agentId: 4, leg: 'dial' }, '010 6552 9988', '01065529988');
    await assert.rejects(policy.admit({ callId: 'local2', agentId: 4, leg: 'dial' }, '010 6552 9989', '01065529989'), refusal('agent'));
    assert.deepEqual(await policy.outsideCalls(4), { total: 1, agent: 1 });
    await policy.release('local');
    assert.deepEqual(await policy.outsideCalls(4), { total: 0, agent: 0 });
  });
});
