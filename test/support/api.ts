// Signs in to a running test server like a browser would, for tests that drive the REST API.
import { TEST_HTTP_PORT } from './config.js';

const base = `http://127.0.0.1:${TEST_HTTP_PORT}`;
const sessionOf = (res: Response) => /cc_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

export async function apiSession(username: string, password: string): Promise<(method: string, path: string, body?: unknown) => Promise<Response>> {
  const form = await fetch(`${base}/login`);
  const anon = sessionOf(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `cc_session=${anon}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  const sid = sessionOf(res);
  if (!sid) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  return (method, path, body) => fetch(`${base}${path}`, {
    method,
    headers: { cookie: `cc_session=${sid}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
