// The interaction search against real MariaDB: every filter, keyset paging without gaps or
// repeats, refused input (a 400 that says what is wrong), CSV with a formula cell
// neutralised, role checks, one interaction's timeline, and names and notes shown as text.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const cookies: Record<string, string> = {};
const EVIL = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const ESCAPED = '&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;';
const FORMULA = '=HYPERLINK("http://evil.example","x")';
const T = new Date('2026-03-10T10:00:00.000Z');
const at = (sec: number) => new Date(T.getTime() + sec * 1000);
const ids: Record<string, string> = {};
const agents: Record<string, number> = {};
const pagingIds: string[] = [];

const get = (url: string, who = 'super') => h.app.inject({ method: 'GET', url, headers: cookies[who] ? { cookie: cookies[who] } : {} });
const search = async (qs: string, who = 'super') => {
  const res = await get(`/api/v1/interactions?${qs}`, who);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { items: Array<{ id: string; callerName: string | null; agentName: string | null }>; nextBefore: string | null };
};
const found = async (qs: string) => (await search(qs)).items.map((i) => i.id).sort();
const named = (...names: string[]) => names.map((n) => ids[n]).sort();

async function seed(): Promise<void> {
  const db = h.app.db;
  for (const [key, number, name] of [['ann', '7101', 'Ann Agent'], ['bob', '7102', 'Bob <b>Agent</b>']] as const) {
    const [id] = await db('agents').insert({ number, name, extension: number });
    agents[key] = Number(id);
  }
  const row = (key: string, o: Record<string, unknown>) => {
    ids[key] = randomUUID();
    return { id: ids[key], direction: 'inbound', caller_number: '5550000', entered_at: T, ...o };
  };
  await db('interactions').insert([
    row('intl', { caller_number: '+447700900123', caller_name: EVIL, queue: 'support', agent_id: agents.ann, outcome: 'answered', talk_ms: 45_000, wait_ms: 3000, disposition: 'sale', wrap_note: `note ${EVIL}`, ended_at: at(60), answered_at: at(10) }),
    row('national', { caller_number: '07700900123', queue: 'billing', agent_id: agents.bob, outcome: 'answered', talk_ms: 300_400, disposition: 'refund', entered_at: at(60) }),
    row('abandon', { caller_number: '5551234', queue: 'support', outcome: 'abandoned', wait_ms: 40_000, entered_at: at(120) }),
    row('formula', { direction: 'outbound', caller_number: '5559999', caller_name: FORMULA, agent_id: agents.ann, outcome: 'answered', talk_ms: 10_000, entered_at: at(180), wrap_note: '+1 called back, "quoted", line\nbreak' }),
  ]);
  // Sixty calls for paging, a day earlier, three to a millisecond so ties are broken by id.
  const rows = Array.from({ length: 60 }, (_, n) => ({ id: randomUUID(), direction: 'inbound', caller_number: '5551111', queue: 'paging', entered_at: at(-86_400 + Math.floor(n / 3)) }));
  await db('interactions').insert(rows);
  pagingIds.push(...rows.sort((a, b) => b.entered_at.getTime() - a.entered_at.getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id));
}

describe('the interaction search', () => {
  before(async () => {
    h = await routingHarness();
    cookies.super = await h.signInAs('supervisor');
    cookies.quality = await h.signInAs('quality');
    cookies.agent = await h.signInAs('agent');
    cookies.reports = await h.signInAs('reports');
    cookies.admin = h.cookie;
    await seed();
  });

  after(async () => {
    // The fetch given up on below leaves its socket to the server's keep-alive timeout (72 s);
    // closing it here keeps the run short.
    h?.app.server.closeAllConnections();
    await h?.close();
  });

  it('is for admins, supervisors and quality auditors only', async () => {
    assert.equal((await get('/api/v1/interactions', 'nobody')).statusCode, 401);
    for (const who of ['agent', 'reports']) {
      assert.equal((await get('/api/v1/interactions', who)).statusCode, 403, who);
      assert.equal((await get('/api/v1/interactions.csv', who)).statusCode, 403, who);
      assert.equal((await get(`/api/v1/interactions/${ids.intl}`, who)).statusCode, 403, who);
      assert.equal((await get('/interactions', who)).statusCode, 403, who);
    }
    const stranger = await get('/interactions', 'nobody');
    assert.equal(stranger.statusCode, 302);
    for (const who of ['admin', 'super', 'quality']) assert.equal((await get('/api/v1/interactions', who)).statusCode, 200, who);
  });

  it('filters by time range, from inclusive and to exclusive, with or without a zone', async () => {
    assert.deepEqual(await found('from=2026-03-10T10:00:00Z&to=2026-03-10T10:02:00Z'), named('intl', 'national'));
    assert.deepEqual(await found('from=2026-03-10T10:01&to=2026-03-10T12:00'), named('national', 'abandon', 'formula'));
    assert.deepEqual(await found('from=2026-03-10T11:01:00%2B01:00&to=2026-03-10T10:02:00.001Z'), named('national', 'abandon'));
  });

  it('finds a number however it is written, and by a part of it', async () => {
    const window = 'from=2026-03-10&to=2026-03-11';
    assert.deepEqual(await found(`${window}&number=${encodeURIComponent('+44 (7700) 900-123')}`), named('intl'));
    assert.deepEqual(await found(`${window}&number=${encodeURIComponent('0044 7700 900123')}`), named('intl'));
    assert.deepEqual(await found(`${window}&number=900123`), named('intl', 'national'));
    assert.deepEqual(await found(`${window}&number=555`), named('abandon', 'formula'));
  });

  it('filters by agent, queue, disposition, outcome, direction and talk time', async () => {
    const w = 'from=2026-03-10&to=2026-03-11';
    assert.deepEqual(await found(`${w}&agent=${agents.ann}`), named('intl', 'formula'));
    assert.deepEqual(await found(`${w}&queue=support`), named('intl', 'abandon'));
    assert.deepEqual(await found(`${w}&disposition=refund`), named('national'));
    assert.deepEqual(await found(`${w}&outcome=abandoned`), named('abandon'));
    assert.deepEqual(await found(`${w}&direction=outbound`), named('formula'));
    assert.deepEqual(await found(`${w}&minTalk=45`), named('intl', 'national'));
    assert.deepEqual(await found(`${w}&maxTalk=45`), named('intl', 'formula'));
    assert.deepEqual(await found(`${w}&minTalk=46&maxTalk=300`), named('national'), 'maxTalk 300 keeps 300.4 s');
    assert.deepEqual(await found(`${w}&queue=support&outcome=answered&agent=${agents.ann}&minTalk=1`), named('intl'));
    const one = await search(`${w}&queue=billing`);
    assert.equal(one.items[0]?.agentName, 'Bob <b>Agent</b>');
  });

  it('pages newest first by a cursor, with no row missed or repeated across ties', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await search(`queue=paging&limit=7${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      before = page.nextBefore;
      pages += 1;
    } while (before && pages < 20);
    assert.equal(pages, 9);
    assert.deepEqual(seen, pagingIds);
  });

  it('refuses bad input with a 400 that says what is wrong', async () => {
    const refused = async (qs: string, code: string, text?: RegExp) => {
      const res = await get(`/api/v1/interactions?${qs}`);
      assert.equal(res.statusCode, 400, `${qs}: ${res.body}`);
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, code, qs);
      if (text) assert.match(body.error.message, text);
    };
    await refused('from=2026-03-11&to=2026-03-10', 'invalid-time-range', /from .* must be before to/);
    await refused('from=2026-03-10&to=2026-03-10', 'invalid-time-range');
    await refused('from=yesterday', 'invalid-time', /from is not a date or time/);
    await refused('to=2026-02-30', 'invalid-time', /to is not a date/);
    await refused('from=2026-03-10T25:00', 'invalid-time');
    await refused('minTalk=60&maxTalk=30', 'invalid-talk-range', /minTalk \(60 s\) must not be more than maxTalk \(30 s\)/);
    await refused('number=call-me', 'invalid-number');
    await refused('before=not-a-cursor', 'invalid-cursor');
    await refused('minTalk=abc', 'invalid-request');
    await refused('agent=0', 'invalid-request');
    await refused('direction=sideways', 'invalid-request');
    await refused('limit=100000', 'invalid-request');
    const csv = await get('/api/v1/interactions.csv?from=2026-03-11&to=2026-03-10');
    assert.equal(csv.statusCode, 400);
    assert.equal((csv.json() as { error: { code: string } }).error.code, 'invalid-time-range');
  });

  it('exports the same search as CSV, formula cells neutralised and quoted fields intact', async () => {
    const res = await get('/api/v1/interactions.csv?from=2026-03-10&to=2026-03-11');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/csv/);
    assert.match(res.headers['content-disposition'] as string, /^attachment; filename="interactions-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.ok(res.body.startsWith('\uFEFFinteraction_id,entered_at,'));
    const lines = res.body.split('\r\n');
    assert.equal(lines.at(-1), '');
    assert.equal(lines.length, 1 + 4 + 1, 'header, four calls (a bare line break inside a quoted note ends no record), and the last CRLF');
    const formula = res.body.slice(res.body.indexOf(ids.formula as string));
    assert.ok(formula.startsWith(`${ids.formula},2026-03-10T10:03:00.000Z,outbound,5559999,"'=HYPERLINK(""http://evil.example"",""x"")",`), formula.slice(0, 120));
    assert.ok(formula.includes(`,"'+1 called back, ""quoted"", line\nbreak",`));
    assert.doesNotMatch(res.body, /,=HYPERLINK/);
    const filtered = await get(`/api/v1/interactions.csv?queue=paging`);
    assert.equal(filtered.body.split('\r\n').length, 1 + 60 + 1);
  });

  it('opens one interaction with its timeline, notes filed on it and callbacks', async () => {
    const id = ids.intl as string;
    const [customer] = await h.app.db('customers').insert({ name: 'Timeline Customer', level: 'standard', tags: '[]' });
    await h.app.db('interactions').where({ id }).update({ customer_id: customer, ivr_path: JSON.stringify([{ flow: 'main', step: 'menu', input: '2', result: 'support' }]), handled_by: JSON.stringify([agents.ann, agents.bob]) });
    const ev = (seq: number, type: string, sec: number, o: Record<string, unknown> = {}) => ({ interaction_id: id, seq, type, at: at(sec), ...o });
    await h.app.db('call_events').insert([
      ev(1, 'enter', 0, { data: JSON.stringify({ did: '5000' }) }),
      ev(2, 'ivr-step', 2, { data: JSON.stringify({ flow: 'main', step: 'menu', input: '2' }) }),
      ev(3, 'enter-queue', 5, { queue: 'support' }),
      ev(4, 'offer', 6, { queue: 'support', agent_id: agents.bob }),
      ev(5, 'ring-no-answer', 8, { queue: 'support', agent_id: agents.bob, data: JSON.stringify({ reason: 'timeout' }) }),
      ev(6, 'connect', 10, { queue: 'support', agent_id: agents.ann, data: JSON.stringify({ waitMs: 3000 }) }),
      ev(7, 'hold', 20, { agent_id: agents.ann }),
      ev(8, 'resume', 25, { agent_id: agents.ann }),
      ev(9, 'transfer', 30, { agent_id: agents.ann, data: JSON.stringify({ kind: 'blind', to: { agent: 7102 } }) }),
      ev(10, 'complete', 60, { queue: 'support', agent_id: agents.bob }),
      ev(11, 'wrap-up', 70, { queue: 'support', agent_id: agents.bob, data: JSON.stringify({ disposition: 'sale', note: true }) }),
    ]);
    await h.app.db('customer_notes').insert([
      { customer_id: customer, author_name: 'Bob', body: `filed ${EVIL}`, created_at: at(40) },
      { customer_id: customer, author_name: 'Bob', body: 'a week later', created_at: at(7 * 86_400) },
    ]);
    await h.app.db('callbacks').insert({ interaction_id: id, queue: 'support', number: '+447700900123', source: 'caller', status: 'completed', attempts: 1, requested_at: at(15), expires_at: at(3600) });
    const res = await get(`/api/v1/interactions/${id}`, 'quality');
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json() as { interaction: Record<string, unknown>; timeline: Array<{ kind: string; agentName: string | null; details: Record<string, unknown> }>; callbacks: unknown[] };
    assert.deepEqual(d.timeline.map((e) => e.kind), ['enter', 'ivr-step', 'enter-queue', 'offer', 'ring-no-answer', 'connect', 'hold', 'resume', 'transfer', 'note', 'complete', 'wrap-up']);
    assert.equal(d.timeline[4]?.agentName, 'Bob <b>Agent</b>');
    assert.equal(d.timeline[1]?.details.input, '2');
    assert.equal(d.timeline[8]?.details.to, '{"agent":7102}');
    assert.equal(d.timeline[9]?.details.text, `filed ${EVIL}`);
    assert.deepEqual(d.timeline[11]?.details, { disposition: 'sale', note: `note ${EVIL}`, followUp: false });
    assert.deepEqual(d.interaction.handledBy, [{ agentId: agents.ann, agentName: 'Ann Agent' }, { agentId: agents.bob, agentName: 'Bob <b>Agent</b>' }]);
    assert.deepEqual(d.interaction.queues, ['support']);
    assert.deepEqual(d.interaction.ivrPath, [{ flow: 'main', step: 'menu', input: '2', result: 'support' }]);
    assert.equal(d.callbacks.length, 1);
    const missing = await get(`/api/v1/interactions/${randomUUID()}`);
    assert.equal(missing.statusCode, 404);
    assert.equal((missing.json() as { error: { code: string } }).error.code, 'interaction-not-found');

    const page = await get(`/interactions/${id}`, 'quality');
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`<dd id="caller-name">${ESCAPED}`), 'caller name as text');
    assert.ok(page.body.includes(`<dd id="wrap-note">note ${ESCAPED}</dd>`), 'wrap-up note as text');
    assert.ok(page.body.includes(`text: filed ${ESCAPED}`), 'customer note as text');
    assert.ok(page.body.includes('Bob &lt;b&gt;Agent&lt;/b&gt;'));
    assert.doesNotMatch(page.body, /<script>alert|<img src=x|<b>Agent/);
    assert.match(page.body, /<li data-kind="ring-no-answer">/);
    assert.match(page.body, /No recording\./);
  });

  it('the search page filters, links each row to its interaction and the CSV to the same search, and shows a refusal', async () => {
    const res = await get('/interactions?from=2026-03-10T00:00&to=2026-03-11T00:00&queue=support&number=&agent=', 'quality');
    assert.equal(res.statusCode, 200, res.body);
    const rows = [...res.body.matchAll(/<tr data-interaction-id="([^"]+)">/g)].map((m) => m[1]).sort();
    assert.deepEqual(rows, named('intl', 'abandon'));
    assert.ok(res.body.includes(`<a href="/interactions/${ids.intl}" class="open-interaction">`));
    assert.ok(res.body.includes(`<td data-field="caller-name">${ESCAPED}</td>`));
    assert.doesNotMatch(res.body, /<script>alert|<img src=x/);
    const csvHref = /<a href="([^"]+)" id="records-csv"/.exec(res.body)?.[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    assert.equal(csvHref, '/api/v1/interactions.csv?from=2026-03-10T00%3A00&to=2026-03-11T00%3A00&queue=support');
    assert.match(res.body, /<option value="support" selected>support<\/option>/);
    const refused = await get('/interactions?from=2026-03-11&to=2026-03-10', 'quality');
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="records-problem" role="alert">from \(2026-03-11T00:00:00.000Z\) must be before to/);
    const notWhole = await get('/interactions?minTalk=ten', 'quality');
    assert.equal(notWhole.statusCode, 400);
    assert.match(notWhole.body, /Talk at least \(s\) must be a whole number\./);
    const paged = await get('/interactions?queue=paging');
    assert.match(paged.body, /<a href="\/interactions\?queue&#x3D;paging&amp;before&#x3D;[^"]+" id="records-next">/);
    const zh = await h.app.inject({ method: 'GET', url: '/interactions?queue=support', headers: { cookie: `${cookies.super}; lang=zh-CN` } });
    assert.match(zh.body, /<h1>通话记录<\/h1>/);
    assert.match(zh.body, /来电者姓名/);
  });

  it('a download given up half way frees its database connection for the next queries', async () => {
    // Enough rows that the export is still running when the client leaves.
    await h.app.db.raw(`INSERT INTO interactions (id, direction, caller_number, queue, entered_at)
      SELECT CONCAT('00000000-0000-4000-9000-', LPAD(seq, 12, '0')), 'inbound', '5552222', 'abort', TIMESTAMPADD(SECOND, seq, '2025-01-01') FROM seq_1_to_50000`);
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const poolMax = h.config.db.poolMax;
    for (let round = 0; round < poolMax + 1; round++) {
      const abort = new AbortController();
      const res = await fetch(`${base}/api/v1/interactions.csv?queue=abort`, { headers: { cookie: cookies.super as string }, signal: abort.signal });
      const reader = res.body?.getReader();
      assert.ok(reader && !(await reader.read()).done, 'the export started');
      abort.abort();
    }
    await new Promise((r) => setTimeout(r, 500));
    // Every pooled connection must answer: one left mid-result would hang its next query.
    const answers = await Promise.race([
      Promise.all(Array.from({ length: poolMax * 2 }, () => h.app.db.raw('SELECT 1 AS one'))),
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000)),
    ]);
    assert.notEqual(answers, 'hung', 'a connection was left in the middle of a result');
    const after = await get('/api/v1/interactions?queue=abort&limit=1');
    assert.equal(after.statusCode, 200);
  });
});
