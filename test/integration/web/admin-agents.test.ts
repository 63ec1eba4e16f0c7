import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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

/** Reads an event stream until `predicate` holds for the text received so far, for at most 5 s. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out; got: ${text}`)), 5000);
  });
  try {
    while (!predicate(text)) {
      const { value, done } = await Promise.race([reader.read(), timeout]);
      assert.ok(!done, `stream ended early; got: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } finally {
    clearTimeout(timer);
  }
}

describe('the live agent board', () => {
  before(async () => {
    const config = testConfig();
    await resetDatabase(config);
    app = await buildApp(config, { telephony: false });
    await app.users.create(ADMIN);
    // The agents room has no create operation yet; the row is what provisioning would write.
    const [id] = await app.db('agents').insert({ number: '1001', name: 'Ann <b>Lee</b>', extension: '1001' });
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
    assert.match(res.body, new RegExp(`<tr data-extension="1001" data-agent-id="${agentId}">`));
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
    const res = await fetch(`${baseUrl}/admin/agents/events`, { headers: { accept: 'text/event-stream' } });
    assert.equal(res.status, 401);
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
    const abort = new AbortController();
    const res = await fetch(`${baseUrl}/admin/agents/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();

    const first = await readUntil(reader, (t) => t.includes('event: snapshot'));
    assert.match(first, /"extension":"1001"/);

    const target = (await app.agents.get(agentId)).state === 'ready' ? 'paused' : 'ready';
    await app.agents.requestState(agentId, { state: target }, 'test');
    await app.live.publish('devices', { extension: '1001', registered: true, deviceState: 'NOT_INUSE', secret: 'not for browsers' });
    const later = await readUntil(reader, (t) => t.includes('event: agent') && t.includes('event: device'));
    assert.match(later, new RegExp(`"agentId":${agentId},"state":"${target}"`));
    assert.match(later, /"extension":"1001","registered":true/);
    assert.doesNotMatch(later, /not for browsers/);

    abort.abort();
    const deadline = Date.now() + 3000;
    while (unsubscribed.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    app.live.subscribe = subscribe;
    assert.deepEqual(unsubscribed.sort(), ['agents', 'devices']);
  });

  it('ends open streams when the server closes instead of waiting for the browsers', async () => {
    const res = await fetch(`${baseUrl}/admin/agents/events`, { headers: { cookie, accept: 'text/event-stream' } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(reader, (t) => t.includes('event: snapshot'));
    const started = Date.now();
    await app.close();
    assert.ok(Date.now() - started < 3000, 'close did not wait for the stream');
    const rest = await reader.read().catch(() => ({ done: true }));
    assert.equal(rest.done, true);
  });
});
