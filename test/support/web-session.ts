// Signs in to an app built in the test process (app.inject) like a browser: the login
// form's session cookie and CSRF token, then the form post.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

export const SESSION = 'cc_session';

export function sessionCookie(res: { cookies: Array<{ name: string; value: string }> }): string | undefined {
  const c = res.cookies.find((x) => x.name === SESSION);
  return c ? `${SESSION}=${c.value}` : undefined;
}

export function csrfTokenIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a CSRF token field');
  return m[1] as string;
}

/** Posts a form with the session's cookie and the token read from `page` (a GET of a page with a form). */
export async function postForm(app: FastifyInstance, cookie: string, pageUrl: string, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  const page = await app.inject({ method: 'GET', url: pageUrl, headers: { cookie } });
  return app.inject({
    method: 'POST', url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfTokenIn(page.body), ...fields }).toString(),
  });
}

/** The login form posted; the answer as it came (303 on success), with the cookie to use next. */
export async function postLogin(app: FastifyInstance, username: string, password: string, remoteAddress = '127.0.0.1'): Promise<{ res: LightMyRequestResponse; cookie: string }> {
  const form = await app.inject({ method: 'GET', url: '/login', remoteAddress });
  const anon = sessionCookie(form);
  assert.ok(anon, 'the login page starts a session for its CSRF secret');
  const res = await app.inject({
    method: 'POST', url: '/login', remoteAddress,
    headers: { cookie: anon, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfTokenIn(form.body), username, password }).toString(),
  });
  return { res, cookie: sessionCookie(res) ?? anon };
}

/** A signed-in session cookie; fails the test when sign-in does not succeed. */
export async function signIn(app: FastifyInstance, username: string, password: string): Promise<string> {
  const { res, cookie } = await postLogin(app, username, password);
  assert.equal(res.statusCode, 303, `sign-in of ${username}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return cookie;
}

/** A JSON API call with a session. */
export function api(app: FastifyInstance, cookie: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return app.inject({ method, url, headers: { cookie, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, payload: payload as InjectOptions['payload'] });
}
