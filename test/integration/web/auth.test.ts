import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Config } from '../../../server/core/config.js';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';

const SESSION = 'cc_session';
const ADMIN = { username: 'web-admin', password: 'admin password 1', role: 'admin', displayName: 'Web Admin' } as const;
const AGENT = { username: 'web-agent', password: 'agent password 1', role: 'agent', displayName: 'Web Agent' } as const;

let app: FastifyInstance;
let config: Config;

function sessionCookie(res: { cookies: Array<{ name: string; value: string }> }): string | undefined {
  const c = res.cookies.find((x) => x.name === SESSION);
  return c ? `${SESSION}=${c.value}` : undefined;
}

function csrfTokenIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a CSRF token field');
  return m[1] as string;
}

/** Opens the login page like a browser: an anonymous session cookie and the form's token. */
async function openLoginForm(headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url: '/login', headers });
  const cookie = sessionCookie(res);
  assert.ok(cookie, 'the login page starts a session for its CSRF secret');
  return { res, cookie, csrf: csrfTokenIn(res.body) };
}

async function postLogin(username: string, password: string) {
  const form = await openLoginForm();
  return app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.csrf, username, password, next: '/admin/agents' }).toString(),
  });
}

async function signIn(user: { username: string; password: string }): Promise<string> {
  const res = await postLogin(user.username, user.password);
  assert.equal(res.statusCode, 303, res.body);
  const cookie = sessionCookie(res);
  assert.ok(cookie);
  return cookie;
}

const get = (url: string, headers: InjectOptions['headers'] = {}) => app.inject({ method: 'GET', url, headers });

describe('signing in to the web pages and the API', () => {
  before(async () => {
    config = testConfig();
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.ready();
    await app.users.create(ADMIN);
    await app.users.create(AGENT);
  });

  after(async () => {
    await app?.close();
  });

  it('seeds the configured admin at first boot and never overwrites its password later', async () => {
    const { adminUser, adminPassword } = config.demo;
    assert.ok(adminPassword, 'the test config sets demo.adminPassword');
    assert.ok(await app.users.authenticate(adminUser, adminPassword));
    const second = await buildApp(testConfig({ demo: { ...config.demo, adminPassword: 'a changed password' } }), { telephony: false });
    try {
      assert.ok(await second.users.authenticate(adminUser, adminPassword));
      assert.equal(await second.users.authenticate(adminUser, 'a changed password'), null);
    } finally {
      await second.close();
    }
  });

  it('renders the login page in English by default, with the fields the browser test uses', async () => {
    const { res } = await openLoginForm();
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    assert.match(res.body, /<html lang="en">/);
    assert.match(res.body, /<input id="username" name="username"/);
    assert.match(res.body, /<input id="password" name="password" type="password"/);
    assert.match(res.body, />Sign in</);
  });

  it('renders the login page in Chinese for a zh-CN browser, and the lang cookie overrides the browser', async () => {
    const zh = await get('/login', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    assert.match(zh.body, /<html lang="zh-CN">/);
    assert.match(zh.body, /用户名/);
    const en = await get('/login', { 'accept-language': 'zh-CN', cookie: 'lang=en' });
    assert.match(en.body, /<html lang="en">/);
  });

  it('switches language through /lang/:locale and returns to a local page only', async () => {
    const res = await get('/lang/zh-CN?next=%2Flogin');
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/login');
    assert.equal(res.cookies.find((c) => c.name === 'lang')?.value, 'zh-CN');
    const away = await get('/lang/en?next=%2F%2Fevil.example');
    assert.equal(away.headers.location, '/');
  });

  it('serves pages with a CSP that allows scripts from this site only', async () => {
    const res = await get('/login');
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
  });

  it('answers a wrong password with a 401 page that says so, and signs nobody in', async () => {
    const res = await postLogin(ADMIN.username, 'not the password');
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /id="login-error"[^>]*>Wrong username or password\./);
    const cookie = sessionCookie(res);
    const page = await get('/admin/agents', cookie ? { cookie } : {});
    assert.equal(page.statusCode, 302);
    assert.match(page.headers.location as string, /^\/login/);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await postLogin('nobody-here', 'whatever password');
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /Wrong username or password\./);
  });

  it('refuses a login form posted without its CSRF token', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username: ADMIN.username, password: ADMIN.password }).toString(),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(sessionCookie(res), undefined);
  });

  it('signs in with the right password: an HttpOnly SameSite=Lax cookie that opens /admin/agents', async () => {
    const res = await postLogin(ADMIN.username, ADMIN.password);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/admin/agents');
    const set = res.cookies.find((c) => c.name === SESSION);
    assert.ok(set);
    assert.equal(set.httpOnly, true);
    assert.equal(set.sameSite, 'Lax');
    const page = await get('/admin/agents', { cookie: `${SESSION}=${set.value}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<table id="agents"/);
    assert.match(page.body, /Signed in as Web Admin/);
  });

  it('issues a new session id at sign-in, so an id planted beforehand is worthless', async () => {
    const form = await openLoginForm();
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: form.csrf, username: ADMIN.username, password: ADMIN.password }).toString(),
    });
    assert.notEqual(sessionCookie(res), form.cookie);
    const withOld = await get('/admin/agents', { cookie: form.cookie });
    assert.equal(withOld.statusCode, 302);
  });

  it('sends a stranger from a page to /login, remembering where they were going', async () => {
    const res = await get('/admin/agents');
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/login?next=%2Fadmin%2Fagents');
    assert.equal((await get('/')).headers.location, '/login');
  });

  it('refuses /admin/agents to an agent-role user with 403', async () => {
    const cookie = await signIn(AGENT);
    const res = await get('/admin/agents', { cookie });
    assert.equal(res.statusCode, 403);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
  });

  it('refuses POST /logout without the CSRF token with 403, and the session stays', async () => {
    const cookie = await signIn(ADMIN);
    const res = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(res.statusCode, 403);
    assert.equal((await get('/admin/agents', { cookie })).statusCode, 200);
  });

  it('signs out with the token from the page, after which the cookie opens nothing', async () => {
    const cookie = await signIn(ADMIN);
    const page = await get('/admin/agents', { cookie });
    const res = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfTokenIn(page.body) }).toString(),
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login');
    assert.equal((await get('/admin/agents', { cookie })).statusCode, 302);
  });

  it('answers /api/v1/agents without a session with 401 JSON', async () => {
    const res = await get('/api/v1/agents');
    assert.equal(res.statusCode, 401);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.equal(res.json().error.code, 'not-signed-in');
  });

  it('answers a malformed state change with 400 JSON that names the problem', async () => {
    const cookie = await signIn(ADMIN);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/1/state',
      headers: { cookie, 'content-type': 'application/json' },
      payload: { state: 'dancing' },
    });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, 'invalid-request');
    assert.match(error.message, /body\/state/);
  });

  it('refuses an API state change sent as a form without a CSRF token (only JSON bodies are exempt)', async () => {
    const cookie = await signIn(ADMIN);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/1/state',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'state=ready',
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf-token-invalid');
  });

  it('refuses a state change to an agent-role user with 403 JSON', async () => {
    const cookie = await signIn(AGENT);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/1/state',
      headers: { cookie, 'content-type': 'application/json' },
      payload: { state: 'ready' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'forbidden');
  });

  it('answers a body over the size limit with 413 and says what the limit is', async () => {
    const cookie = await signIn(ADMIN);
    const limit = app.initialConfig.bodyLimit ?? 1048576;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/1/state',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ state: 'ready', reason: 'x'.repeat(limit) }),
    });
    assert.equal(res.statusCode, 413);
    const { error } = res.json();
    assert.equal(error.code, 'payload-too-large');
    assert.match(error.message, new RegExp(`${limit}-byte limit`));
  });

  it('answers unknown API paths with 404 JSON and unknown pages with a 404 page', async () => {
    const api = await get('/api/v1/nothing');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not-found');
    const page = await get('/nothing-here');
    assert.equal(page.statusCode, 404);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
  });

  it('reports mariadb and redis on /healthz, with 200 only when every component is up', async () => {
    const res = await get('/healthz');
    const body = res.json();
    assert.equal(res.statusCode, body.ok ? 200 : 503);
    assert.equal(body.components.mariadb.up, true);
    assert.equal(body.components.redis.up, true);
  });

  it('publishes the OpenAPI document with the agents API', async () => {
    const res = await get('/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.ok(doc.paths['/api/v1/agents']);
    assert.ok(doc.paths['/api/v1/agents/{id}/state'].post);
    assert.equal(doc.paths['/login'], undefined);
  });
});
