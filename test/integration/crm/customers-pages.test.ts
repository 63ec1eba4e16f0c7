// The customers pages, rendered by the real app against real MariaDB: list, new, view and
// edit, notes, history; markup in names and notes is printed as text; refused forms show
// the problem and change nothing; both languages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
let cookie: string;
let csrf: string;
const EVIL = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const ESCAPED = '&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;';

const page = (url: string, c = cookie) => h.app.inject({ method: 'GET', url, headers: { cookie: c } });
const form = (url: string, fields: Record<string, string>) =>
  h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });

describe('the customers pages', () => {
  before(async () => {
    h = await routingHarness();
    cookie = await h.signInAs('agent');
    csrf = /name="_csrf" value="([^"]+)"/.exec((await page('/customers')).body)?.[1] ?? '';
    assert.ok(csrf);
  });

  after(async () => {
    await h?.close();
  });

  it('a stranger is sent to sign in', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/customers' });
    assert.equal(res.statusCode, 302);
    assert.match(res.headers.location as string, /^\/login\?next=/);
  });

  it('the new-customer form is prefilled with a caller id, and creating leads to the customer page', async () => {
    const blank = await page(`/customers/new?number=${encodeURIComponent('00 44 20 7946 0958')}`);
    assert.equal(blank.statusCode, 200);
    assert.match(blank.body, /<textarea id="nc-numbers" name="numbers" rows="2">\+442079460958<\/textarea>/);
    const res = await form('/customers', { name: EVIL, numbers: '+44 20 7946 0958\n020 7946 0000', level: 'gold', tags: 'a, <b>', notes: '<i>note</i>', email: '', company: '' });
    assert.equal(res.statusCode, 303, res.body);
    const id = Number(/^\/customers\/(\d+)\?saved=1$/.exec(res.headers.location as string)?.[1]);
    const row = await h.app.db('customers').where({ id }).first();
    assert.equal(row.name, EVIL, 'stored as typed');
    const view = await page(`/customers/${id}?saved=1`);
    assert.equal(view.statusCode, 200);
    assert.ok(view.body.includes(`<a href="/customers/${id}" data-field="name">${ESCAPED}</a>`), 'the name is escaped in the card');
    assert.ok(view.body.includes(`value="${ESCAPED}"`), 'and in the edit form');
    assert.ok(view.body.includes('&lt;i&gt;note&lt;/i&gt;'));
    assert.ok(view.body.includes('<li>&lt;b&gt;</li>'));
    assert.match(view.body, /id="customer-saved"/);
    assert.doesNotMatch(view.body, /<script>alert|<img src=x/);
    const list = await page(`/customers?q=${encodeURIComponent('<img')}`);
    assert.ok(list.body.includes(`data-field="name">${ESCAPED}</a>`));
    assert.doesNotMatch(list.body, /<script>alert|<img src=x/);
  });

  it('a refused form shows the problem, keeps what was typed, and creates nothing', async () => {
    const count = async () => Number((await h.app.db('customers').count({ n: '*' }))[0]!.n);
    const was = await count();
    const res = await form('/customers', { name: 'Typed Name', numbers: 'call me maybe', level: 'silver' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="new-customer-problems"/);
    assert.match(res.body, /numbers\/0/);
    assert.match(res.body, /value="Typed Name"/);
    assert.match(res.body, /<option value="silver" selected>/);
    assert.equal(await count(), was);
  });

  it('editing and adding a note from the customer page; a refused edit leaves the customer unchanged', async () => {
    const c = await h.app.crm.create({ name: 'Page Person', numbers: ['5550123456'] }, { userId: null, name: 'test' });
    const saved = await form(`/customers/${c.id}`, { name: 'Page Person Jr', level: 'vip', numbers: '5550123456\n5550654321', tags: 'x,y', notes: 'kept', email: 'p@example.com', company: 'ACME' });
    assert.equal(saved.statusCode, 303, saved.body);
    const after = await h.app.crm.get(c.id);
    assert.equal(after.name, 'Page Person Jr');
    assert.deepEqual(after.numbers, ['5550123456', '5550654321']);
    assert.deepEqual(after.tags, ['x', 'y']);
    const refused = await form(`/customers/${c.id}`, { name: '', level: 'vip', numbers: '5550123456' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /id="customer-problems"/);
    assert.deepEqual(await h.app.crm.get(c.id), after);
    const note = await form(`/customers/${c.id}/notes`, { text: `${EVIL} promised a callback` });
    assert.equal(note.statusCode, 303);
    const view = await page(`/customers/${c.id}`);
    assert.ok(view.body.includes(`<span class="crm-note-text">${ESCAPED} promised a callback</span>`));
    const empty = await form(`/customers/${c.id}/notes`, { text: ' ' });
    assert.equal(empty.statusCode, 422);
    assert.equal((await h.app.crm.get(c.id)).latestNotes.length, 1);
    assert.equal((await page('/customers/999999')).statusCode, 404);
  });

  it('shows the history with wrap-up and recordings, and a link to older calls', async () => {
    const c = await h.app.crm.create({ name: 'Caller With Past', numbers: ['5550999000'] }, { userId: null, name: 'test' });
    for (let i = 0; i < 22; i++) {
      await h.app.db('interactions').insert({
        id: randomUUID(), direction: 'inbound', caller_number: '5550999000', entered_at: new Date(Date.UTC(2026, 0, 1, 8, i)), outcome: i === 21 ? 'abandoned' : 'answered',
        wait_ms: 65_000, talk_ms: 3_725_000, disposition: i === 21 ? `<b>disp</b>` : null, wrap_note: i === 21 ? EVIL : null, follow_up: i === 21,
      });
    }
    const view = await page(`/customers/${c.id}`);
    assert.equal((view.body.match(/<tr data-interaction-id=/g) ?? []).length, 20);
    assert.match(view.body, /<time datetime="2026-01-01T08:21:00.000Z">2026-01-01 08:21<\/time>/);
    assert.match(view.body, /<td>1:05<\/td>\s*<td>1:02:05<\/td>/);
    assert.match(view.body, /&lt;b&gt;disp&lt;\/b&gt; <span class="crm-follow-up">Follow up<\/span>/);
    assert.ok(view.body.includes(`<td>${ESCAPED}</td>`));
    const older = /<a href="([^"]+)#history" id="history-older">/.exec(view.body)?.[1]?.replace(/&#x3D;/g, '=');
    assert.ok(older);
    const second = await page(older);
    assert.equal((second.body.match(/<tr data-interaction-id=/g) ?? []).length, 2);
  });

  it('the pages in Simplified Chinese', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/customers', headers: { cookie: `${cookie}; lang=zh-CN` } });
    assert.match(res.body, /<h1>客户<\/h1>/);
    assert.match(res.body, /新建客户/);
    const c = await h.app.crm.create({ name: '王芳', level: 'gold' }, { userId: null, name: 'test' });
    const view = await h.app.inject({ method: 'GET', url: `/customers/${c.id}`, headers: { cookie: `${cookie}; lang=zh-CN` } });
    assert.match(view.body, /<h3>最新记录<\/h3>/, 'partials translate too');
    assert.match(view.body, /data-value="gold">金卡</);
  });
});
