import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';
import { signIn } from '../../support/web-session.js';

// Seconds instead of hours: a session unused for 2 s is gone, and none lives past 5 s.
const SESSION = { ...testConfig().session, idleTimeoutSec: 2, absoluteTimeoutSec: 5 };
const USER = { username: 'expiring', password: 'expiring password 1', role: 'supervisor', displayName: 'Expiring' } as const;

let app: FastifyInstance;
const page = (cookie: string) => app.inject({ url: '/account', headers: { cookie } });

describe('session expiry', () => {
  before(async () => {
    const config = testConfig({ session: SESSION });
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.ready();
    await app.users.create(USER);
  });

  after(async () => {
    await app?.close();
  });

  it('ends a session left unused for longer than the idle timeout', async () => {
    const cookie = await signIn(app, USER.username, USER.password);
    assert.equal((await page(cookie)).statusCode, 200);
    await sleep(2600);
    const res = await page(cookie);
    assert.equal(res.statusCode, 302);
    assert.match(res.headers.location as string, /^\/login/);
  });

  it('keeps a session in use alive past the idle timeout, but not past the absolute lifetime', async () => {
    // The server stamps the sign-in somewhere between these two instants (hashing takes a while).
    const signedAt = Date.now();
    const cookie = await signIn(app, USER.username, USER.password);
    const signedBy = Date.now();
    const statuses: number[] = [];
    // A request every second or so (never 2 s apart) until 4.6 s after sign-in: all still in.
    for (const at of [1200, 2400, 3600, 4600]) {
      await sleep(Math.max(0, signedAt + at - Date.now()));
      statuses.push((await page(cookie)).statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200], 'a session in use outlives the 2 s idle timeout');
    await sleep(Math.max(0, signedBy + 5300 - Date.now()));
    assert.equal((await page(cookie)).statusCode, 302, 'past 5 s the session is over however busy it was');
  });
});
