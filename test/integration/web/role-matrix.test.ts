import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { ROLES, type Role } from '../../../server/users/index.js';
import { seededDatabase, testConfig } from '../../support/config.js';
import { csrfTokenIn, sessionCookie, signIn } from '../../support/web-session.js';
import { probe, type Outcome } from '../../support/role-probe.js';

// The permission matrix (docs/permissions.md), route by route. EVERY registered route must
// have a line here: a new route without one fails this test. One line per method and
// pattern, exactly as Fastify registers it.
//   PUBLIC     anyone, signed in or not
//   SIGNED_IN  every role
//   [roles]    only these roles; the others get 403, a stranger 401 (API) or /login (page)
const PUBLIC = 'public';
const SIGNED_IN = [...ROLES];
type Access = typeof PUBLIC | readonly Role[];

const MATRIX: Record<string, Access> = {
  // Reports (readers: admin, supervisor, report viewer; schedules: admin) and records (admin, supervisor, quality auditor).
  'DELETE /api/v1/report-schedules/:id': ['admin'],
  'GET /admin/report-schedules': ['admin'],
  'GET /api/v1/report-schedules': ['admin'],
  'GET /api/v1/report-schedules/:id': ['admin'],
  'POST /admin/report-schedules': ['admin'],
  'POST /admin/report-schedules/:id': ['admin'],
  'POST /admin/report-schedules/:id/delete': ['admin'],
  'POST /api/v1/report-schedules': ['admin'],
  'PUT /api/v1/report-schedules/:id': ['admin'],
  'GET /api/v1/reports/:kind/:value': ['admin', 'supervisor', 'reports'],
  'GET /api/v1/reports/kpis': ['admin', 'supervisor', 'reports'],
  'GET /api/v1/reports/kpis.csv': ['admin', 'supervisor', 'reports'],
  'GET /reports': ['admin', 'supervisor', 'reports'],
  'GET /reports/:kind/:value': ['admin', 'supervisor', 'reports'],
  'GET /reports/:kind/:value/:file': ['admin', 'supervisor', 'reports'],
  'GET /reports/open': ['admin', 'supervisor', 'reports'],
  'GET /api/v1/interactions': ['admin', 'supervisor', 'quality'],
  'GET /api/v1/interactions.csv': ['admin', 'supervisor', 'quality'],
  'GET /api/v1/interactions/:id': ['admin', 'supervisor', 'quality'],
  'GET /api/v1/recordings/access-log': ['admin'],
  'GET /interactions': ['admin', 'supervisor', 'quality'],
  'GET /interactions/:id': ['admin', 'supervisor', 'quality'],
  'GET /recordings/:id/download': ['admin', 'supervisor', 'quality'],
  'GET /recordings/:id/play': ['admin', 'supervisor', 'quality'],
  // Desk phones: admins; a phone fetches its provisioning file with the secret in the URL, no session.
  'GET /admin/phones': ['admin'],
  'POST /admin/phones': ['admin'],
  'POST /admin/phones/:id': ['admin'],
  'POST /admin/phones/:id/delete': ['admin'],
  'POST /admin/phones/:id/regenerate': ['admin'],
  'POST /admin/phones/:id/reveal': ['admin'],
  'GET /api/v1/phones': ['admin'],
  'POST /api/v1/phones': ['admin'],
  'GET /api/v1/phones/:id': ['admin'],
  'PUT /api/v1/phones/:id': ['admin'],
  'DELETE /api/v1/phones/:id': ['admin'],
  'GET /api/v1/phones/:id/secrets': ['admin'],
  'POST /api/v1/phones/:id/regenerate': ['admin'],
  'GET /provision/:secret/:file': PUBLIC,
  // Toll-fraud dial rules, SIP bans, recording retention, DID recording switch: admins only.
  'GET /admin/dial-rules': ['admin'],
  'POST /admin/dial-rules': ['admin'],
  'POST /admin/dial-rules/:id/delete': ['admin'],
  'GET /api/v1/dial-rules': ['admin'],
  'POST /api/v1/dial-rules': ['admin'],
  'DELETE /api/v1/dial-rules/:id': ['admin'],
  'GET /admin/sip-bans': ['admin'],
  'POST /admin/sip-bans': ['admin'],
  'POST /admin/sip-bans/:id/lift': ['admin'],
  'GET /api/v1/sip-bans': ['admin'],
  'GET /api/v1/sip-bans/firewall': ['admin'],
  'POST /api/v1/sip-bans': ['admin'],
  'DELETE /api/v1/sip-bans/:id': ['admin'],
  'POST /admin/dids': ['admin'],
  'POST /admin/dids/:number/recording': ['admin'],
  // Numbers (DIDs) and named business hours: admins only, like flows and queues.
  'GET /admin/numbers': ['admin'],
  'POST /admin/numbers': ['admin'],
  'POST /admin/numbers/:number': ['admin'],
  'POST /admin/numbers/:number/delete': ['admin'],
  'POST /api/v1/dids': ['admin'],
  'GET /api/v1/dids/:number': ['admin'],
  'DELETE /api/v1/dids/:number': ['admin'],
  'GET /admin/hours': ['admin'],
  'POST /admin/hours': ['admin'],
  'POST /admin/hours/:id': ['admin'],
  'POST /admin/hours/:id/delete': ['admin'],
  'GET /api/v1/schedules': ['admin'],
  'POST /api/v1/schedules': ['admin'],
  'GET /api/v1/schedules/:id': ['admin'],
  'PUT /api/v1/schedules/:id': ['admin'],
  'DELETE /api/v1/schedules/:id': ['admin'],
  'POST /admin/recordings/retention/run': ['admin'],
  'GET /api/v1/recordings/retention': ['admin'],
  'POST /api/v1/recordings/retention/run': ['admin'],
  // The queue_log export feeds existing reporting tools: whoever reads reports.
  'GET /api/v1/exports/queue_log': ['admin', 'supervisor', 'reports'],
  'GET /': PUBLIC,
  'GET /account': SIGNED_IN,
  'POST /account/logout-everywhere': SIGNED_IN,
  'POST /account/password': SIGNED_IN,
  'POST /account/totp/confirm': SIGNED_IN,
  'POST /account/totp/start': SIGNED_IN,
  'GET /admin/agents': ['admin', 'supervisor'],
  'GET /admin/agents/events': ['admin', 'supervisor'],
  // Agents set up by admins: identity, user, skills and PIN on one page; the API's parts apart.
  'GET /admin/agents/setup': ['admin'],
  'POST /admin/agents/setup': ['admin'],
  'POST /admin/agents/setup/:id': ['admin'],
  'POST /admin/agents/setup/:id/delete': ['admin'],
  'POST /api/v1/agents': ['admin'],
  'PUT /api/v1/agents/:id': ['admin'],
  'DELETE /api/v1/agents/:id': ['admin'],
  'GET /admin/alert-rules': ['admin'],
  'POST /admin/alert-rules': ['admin'],
  'POST /admin/alert-rules/:id': ['admin'],
  'POST /admin/alert-rules/:id/delete': ['admin'],
  'GET /admin/dispositions': ['admin'],
  'POST /admin/dispositions': ['admin'],
  'POST /admin/dispositions/:id/active': ['admin'],
  'POST /admin/dispositions/:id/delete': ['admin'],
  'GET /admin/flows': ['admin'],
  'POST /admin/flows': ['admin'],
  'GET /admin/flows/:name': ['admin'],
  'POST /admin/flows/:name': ['admin'],
  'POST /admin/flows/:name/delete': ['admin'],
  'GET /admin/flows/new': ['admin'],
  'GET /admin/monitor/events': ['admin', 'supervisor'],
  'GET /admin/pause-reasons': ['admin'],
  'POST /admin/pause-reasons': ['admin'],
  'POST /admin/pause-reasons/:id': ['admin'],
  'POST /admin/pause-reasons/:id/delete': ['admin'],
  'GET /admin/queues': ['admin'],
  'POST /admin/queues': ['admin'],
  'GET /admin/queues/:name': ['admin'],
  'POST /admin/queues/:name': ['admin'],
  'POST /admin/queues/:name/delete': ['admin'],
  'GET /admin/queues/new': ['admin'],
  'GET /admin/users': ['admin'],
  'POST /admin/users': ['admin'],
  'POST /admin/users/:id': ['admin'],
  'POST /admin/users/:id/logout-everywhere': ['admin'],
  'POST /admin/users/:id/password': ['admin'],
  'POST /admin/users/:id/totp-reset': ['admin'],
  'POST /admin/users/:id/unlock': ['admin'],
  'GET /api/docs': PUBLIC,
  'GET /api/docs/json': PUBLIC,
  'GET /api/docs/static/*': PUBLIC,
  'GET /api/docs/static/index.html': PUBLIC,
  'GET /api/docs/static/swagger-initializer.js': PUBLIC,
  'GET /api/docs/yaml': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /api/v1/agents': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/agents/:id': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/agents/:id/day': ['admin', 'supervisor'],
  'POST /api/v1/agents/:id/force-logout': ['admin', 'supervisor'],
  'POST /api/v1/agents/:id/force-pause': ['admin', 'supervisor'],
  'PUT /api/v1/agents/:id/pin': ['admin'],
  'DELETE /api/v1/agents/:id/session': ['admin', 'supervisor'],
  'POST /api/v1/agents/:id/session': ['admin', 'supervisor'],
  'GET /api/v1/agents/:id/skills': ['admin'],
  'PUT /api/v1/agents/:id/skills': ['admin'],
  'POST /api/v1/agents/:id/state': ['admin', 'supervisor'],
  'GET /api/v1/alert-rules': ['admin'],
  'POST /api/v1/alert-rules': ['admin'],
  'DELETE /api/v1/alert-rules/:id': ['admin'],
  'GET /api/v1/alert-rules/:id': ['admin'],
  'PUT /api/v1/alert-rules/:id': ['admin'],
  'GET /api/v1/alerts': ['admin', 'supervisor'],
  'GET /api/v1/audit': ['admin'],
  'GET /api/v1/callbacks': ['admin', 'supervisor'],
  'POST /api/v1/callbacks': ['admin', 'supervisor'],
  'DELETE /api/v1/callbacks/:interactionId': ['admin', 'supervisor'],
  'GET /api/v1/callbacks/:interactionId': ['admin', 'supervisor'],
  'GET /api/v1/calls/:interactionId': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/cancel-transfer': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/complete-transfer': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/conference': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/dtmf': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/hangup': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/hold': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/recording/pause': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/recording/resume': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/resume': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/:interactionId/transfer': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/calls/dial': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/customers': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/customers': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/customers/:id': ['admin', 'supervisor', 'agent'],
  'PATCH /api/v1/customers/:id': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/customers/:id/history': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/customers/:id/notes': ['admin', 'supervisor', 'agent'],
  // A customer's export and erasure (PIPL): admins only.
  'POST /api/v1/customers/:id/export': ['admin'],
  'POST /api/v1/customers/:id/erase': ['admin'],
  'GET /api/v1/customers/lookup': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/desk': ['agent'],
  'GET /api/v1/desk/day': ['agent'],
  'POST /api/v1/desk/login': ['agent'],
  'POST /api/v1/desk/state': ['agent'],
  'GET /api/v1/dids': ['admin'],
  'PUT /api/v1/dids/:number': ['admin'],
  'GET /api/v1/dispositions': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/dispositions': ['admin'],
  'DELETE /api/v1/dispositions/:id': ['admin'],
  'PATCH /api/v1/dispositions/:id': ['admin'],
  'POST /api/v1/interactions/:id/customer': ['agent'],
  'POST /api/v1/interactions/:id/wrap-up': ['admin', 'supervisor', 'agent'],
  'GET /api/v1/ivr/flows': ['admin'],
  'POST /api/v1/ivr/flows': ['admin'],
  'DELETE /api/v1/ivr/flows/:name': ['admin'],
  'GET /api/v1/ivr/flows/:name': ['admin'],
  'PUT /api/v1/ivr/flows/:name': ['admin'],
  'GET /api/v1/ivr/prompts': ['admin'],
  'DELETE /api/v1/ivr/prompts/:id': ['admin'],
  'POST /api/v1/ivr/prompts/tts': ['admin'],
  'POST /api/v1/ivr/prompts/upload': ['admin'],
  'POST /api/v1/me/logout-everywhere': SIGNED_IN,
  'PUT /api/v1/me/password': SIGNED_IN,
  'POST /api/v1/me/totp': SIGNED_IN,
  'POST /api/v1/me/totp/confirm': SIGNED_IN,
  'GET /api/v1/monitor': ['admin', 'supervisor'],
  'POST /api/v1/monitor': ['admin', 'supervisor'],
  'DELETE /api/v1/monitor/:id': ['admin', 'supervisor'],
  'GET /api/v1/monitor/:id': ['admin', 'supervisor'],
  'PATCH /api/v1/monitor/:id': ['admin', 'supervisor'],
  'GET /api/v1/pause-reasons': ['admin', 'supervisor', 'agent'],
  'POST /api/v1/pause-reasons': ['admin'],
  'DELETE /api/v1/pause-reasons/:id': ['admin'],
  'PUT /api/v1/pause-reasons/:id': ['admin'],
  'GET /api/v1/queues': ['admin'],
  'POST /api/v1/queues': ['admin'],
  'DELETE /api/v1/queues/:name': ['admin'],
  'GET /api/v1/queues/:name': ['admin'],
  'PUT /api/v1/queues/:name': ['admin'],
  'GET /api/v1/queues/:name/agents': ['admin'],
  'GET /api/v1/users': ['admin'],
  'POST /api/v1/users': ['admin'],
  'GET /api/v1/users/:id': ['admin'],
  'PATCH /api/v1/users/:id': ['admin'],
  'POST /api/v1/users/:id/logout-everywhere': ['admin'],
  'PUT /api/v1/users/:id/password': ['admin'],
  'DELETE /api/v1/users/:id/totp': ['admin'],
  'POST /api/v1/users/:id/unlock': ['admin'],
  'GET /api/v1/wallboard': ['admin', 'supervisor'],
  'GET /customers': ['admin', 'supervisor', 'agent'],
  'POST /customers': ['admin', 'supervisor', 'agent'],
  'GET /customers/:id': ['admin', 'supervisor', 'agent'],
  'POST /customers/:id': ['admin', 'supervisor', 'agent'],
  'POST /customers/:id/notes': ['admin', 'supervisor', 'agent'],
  'POST /customers/:id/export': ['admin'],
  'POST /customers/:id/erase': ['admin'],
  'GET /customers/new': ['admin', 'supervisor', 'agent'],
  'GET /desk': ['agent'],
  'GET /desk/events': ['agent'],
  'GET /healthz': PUBLIC,
  'GET /lang/:locale': PUBLIC,
  'GET /login': PUBLIC,
  'POST /login': PUBLIC,
  'POST /login/totp': PUBLIC,
  'POST /logout': PUBLIC,
  'GET /static/:file': PUBLIC,
  'GET /supervisor/agents': ['admin', 'supervisor'],
  'GET /wallboard': ['admin', 'supervisor'],
  'GET /wallboard/events': ['admin', 'supervisor'],
  'GET /wallboard/tv': ['admin', 'supervisor'],
};

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
