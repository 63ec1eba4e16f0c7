import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { ROLES, type Role } from '../../../server/users/index.js';
import { seededDatabase, testConfig } from '../../support/config.js';
import { csrfTokenIn, sessionCookie, signIn } from '../../support/web-session.js';
import { probe, type Outcome } from '../../support/role-probe.js';

import { MATRIX, PUBLIC, type Access } from './role-matrix-table.js';

const PASSWORD = 'matrix password 1';

let app: FastifyInstance;
const routes = new Set<string>();
const sessions = new Map<Role | 'anonymous', { cookie: string; csrf: string }>();

async function roleSession(role: Role) {
  const cookie = await signIn(app, `matrix-${role}`, PASSWORD);
  const page = await app.inject({ url: '/account', headers: { cookie } });
  return { cookie, csrf: csrfTokenIn(page.body) };
}

/** A stranger with a session that holds a CSRF secret only (from the login page), so a refusal is the guard's, not CSRF's. */
async function anonymousSession() {
  const page = await app.inject({ url: '/login' });
  return { cookie: sessionCookie(page) as string, csrf: csrfTokenIn(page.body) };
}

/** Some allowed routes end the session (logout, log out everywhere, password changes): sign in again after those. */
async function keepSignedIn(who: Role | 'anonymous'): Promise<void> {
  const s = sessions.get(who)!;
  if (who === 'anonymous') {
    const res = await app.inject({ url: '/login', headers: { cookie: s.cookie } });
    if (!res.body.includes(s.csrf)) sessions.set(who, await anonymousSession());
    return;
  }
  const res = await app.inject({ url: '/account', headers: { cookie: s.cookie } });
  if (res.statusCode !== 200) sessions.set(who, await roleSession(who));
}

function expected(route: string, who: Role | 'anonymous'): Outcome {
  const access = MATRIX[route] as Access;
  if (access === PUBLIC) return 'allowed';
  if (who === 'anonymous') return route.split(' ')[1]!.startsWith('/api/') ? 'unauthorized' : 'to-login';
  return access.includes(who) ? 'allowed' : 'refused';
}

describe('the role matrix: every route, every role, and strangers', () => {
  before(async () => {
    const config = testConfig();
    await seededDatabase(config);
    app = await buildApp(config, {
      telephony: false,
      onRoute: (r: RouteOptions) => {
        // HEAD routes are Fastify's automatic twins of GET routes.
        for (const method of [r.method].flat()) if (method !== 'HEAD') routes.add(`${method} ${r.url}`);
      },
    });
    await app.ready();
    for (const role of ROLES) {
      await app.users.create({ username: `matrix-${role}`, password: PASSWORD, role, displayName: `Matrix ${role}` });
      sessions.set(role, await roleSession(role));
    }
    sessions.set('anonymous', await anonymousSession());
  });

  after(async () => {
    await app?.close();
  });

  it('has a line for every registered route, and no line for a route that does not exist', () => {
    const missing = [...routes].filter((r) => !(r in MATRIX)).sort();
    assert.deepEqual(missing, [], `routes missing from MATRIX in ${import.meta.url}: add a line for each`);
    const stale = Object.keys(MATRIX).filter((r) => !routes.has(r)).sort();
    assert.deepEqual(stale, [], 'MATRIX lines for routes that are no longer registered');
  });

  it('answers each route for each role, and for a stranger, as the matrix says', async () => {
    const wrong: string[] = [];
    for (const route of [...routes].filter((r) => r in MATRIX).sort()) {
      const [method, pattern] = route.split(' ') as [string, string];
      for (const who of [...ROLES, 'anonymous'] as const) {
        const got = await probe(app, method, pattern, sessions.get(who)!);
        const want = expected(route, who);
        if (got.outcome !== want) wrong.push(`${route} as ${who}: expected ${want}, got ${got.outcome} (${got.status})`);
        if (method !== 'GET') await keepSignedIn(who);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('the table in docs/permissions.md says exactly what the matrix says', () => {
    const doc = readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    const documented = new Map<string, string>();
    for (const m of doc.matchAll(/^\| `(\w+ [^`]+)` \| (.+) \|$/gm)) documented.set(m[1] as string, (m[2] as string).split(' | ').join(','));
    const expected = new Map(Object.entries(MATRIX).map(([route, access]) => [route,
      ROLES.map((r) => (access === PUBLIC ? '*public*' : access.includes(r) ? '✓' : '–')).join(',')]));
    assert.deepEqual([...documented.keys()].sort(), [...expected.keys()].sort(), 'the same routes in the doc and the matrix');
    for (const [route, cells] of expected) assert.equal(documented.get(route), cells, route);
  });

  it('walked enough of the suite to mean something', () => {
    assert.ok(routes.size > 100, `only ${routes.size} routes were registered`);
  });
});
