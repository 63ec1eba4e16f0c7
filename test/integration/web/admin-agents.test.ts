import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import { resetDatabase, testConfig } from '../../support/config.js';

const ADMIN = { username: 'board-admin', password: 'admin password 1', role: 'admin', displayName: 'Board Admin' } as const;

let app: FastifyInstance;
let baseUrl: string;
let cookie: string;
let agentId: number;

async function signIn(): Promise<string> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const anon = form.cookies.find((c) => c.name === 'cc_session');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `cc_session=${anon?.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, username: ADMIN.username, password: ADMIN.password }).toString(),
  });
  const set = res.cookies.find((c) => c.name === 'cc_session');
  assert.ok(set, 'signed in');
  return `cc_session=${set.value}`;
}

interface OpenStream {
  status: number;
  contentType: string;
  /** Resolves with everything received so far once `predicate` holds; fails after 5 s. */
  readUntil(predicate: (text: string) => boolean): Promise<string>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

// node:http with agent:false, not fetch: fetch's pool may open spare sockets that
// keep a closing server waiting, which would blur what the shutdown test measures.
function openStream(path: string, headers: Record<string, string>): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const wake of waiters) wake();
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        ended,
        close: () => req.destroy(),
        readUntil: (predicate) =>
          new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`timed out; got: ${text}`)), 5000);
            const check = () => {
              if (!predicate(text)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done(text);
            };
            waiters.add(check);
            check();
          }),
      });
    });
    req.on('error', reject);
  });
}

describe('the live agent board', () => {
  before(async () => {
    const config = testConfig();
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.users.create(ADMIN);
    // The agents room has no create operation yet; the row is what provisioning would write.
    const [id] = await app.db('agents').insert({ number: '1090', name: 'Ann <b>Lee</b>', extension: '1090' });
    agentId = Number(id);
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    cookie = await signIn();
  });

  after(async () => {
    await app?.close();
  });

  it('lists each agent in a row keyed by extension, with names shown as text', async () => {
    // Live state sits in Redis, which may outlive a previous run: expect whatever the agents room reports.
    const view = await app.agents.get(agentId);
    const res = await app.inject({ method: 'GET', url: '/admin/agents', headers: { cookie } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`<tr data-extension="1090" data-agent-id="${agentId}">`));
    assert.match(res.body, /Ann &lt;b&gt;Lee&lt;\/b&gt;/);
    assert.match(res.body, new RegExp(`data-field="registered" data-value="${view.registered}"`));
    assert.match(res.body, new RegExp(`data-field="state" data-value="${view.state}"`));
    assert.match(res.body, /<script src="\/static\/agents-live\.js" defer><\/script>/);
    assert.doesNotMatch(res.body, /<script>/);
  });

  it('serves the live script from /static, and nothing outside it', async () => {
    const js = await app.inject({ method: 'GET', url: '/static/agents-live.js' });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /^text\/javascript/);
    assert.doesNotMatch(js.body, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/);
    for (const url of ['/static/..%2F..%2Fpackage.json', '/static/missing.js']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
    }
  });

  it('refuses the event stream to a stranger with 401', async () => {
    const stream = await openStream('/admin/agents/events', {});
    assert.equal(stream.status, 401);
    stream.close();
  });

  it('streams a snapshot, then state and phone changes, and unsubscribes when the browser goes away', async () => {
    const unsubscribed: string[] = [];
    const subscribe = app.live.subscribe.bind(app.live);
    app.live.subscribe = async (topic, handler) => {
      const unsubscribe = await subscribe(topic, handler);
      return () => {
        unsubscribed.push(topic);
        unsubscribe();
      };
    };
    const stream = await openStream('/admin/agents/events', { cookie });
    assert.equal(stream.status, 200);
    assert.match(stream.contentType, /^text\/event-stream/);
    assert.match(await stream.readUntil((t) => t.includes('event: snapshot')), /"extension":"1090"/);

    const target = (await app.agents.get(agentId)).state === 'ready' ? 'paused' : 'ready';
    await app.agents.requestState(agentId, { state: target }, 'test');
    await app.live.publish('devices', { extension: '1090', registered: true, deviceState: 'NOT_INUSE', secret: 'not for browsers' });
    const text = await stream.readUntil((t) => t.includes('event: agent') && t.includes('event: device'));
    assert.match(text, new RegExp(`"agentId":${agentId},"state":"${target}"`));
    assert.match(text, /"extension":"1090","registered":true/);
    assert.doesNotMatch(text, /not for browsers/);

    stream.close();
    const deadline = Date.now() + 3000;
    while (unsubscribed.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    app.live.subscribe = subscribe;
    assert.deepEqual(unsubscribed.sort(), ['agents', 'devices']);
  });

  it('ends open streams when the server closes instead of waiting for the browsers', async () => {
    const stream = await openStream('/admin/agents/events', { cookie });
    await stream.readUntil((t) => t.includes('event: snapshot'));
    const started = Date.now();
    await app.close();
    assert.ok(Date.now() - started < 3000, 'close did not wait for the stream');
    await stream.ended;
  });
});
