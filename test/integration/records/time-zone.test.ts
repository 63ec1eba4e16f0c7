// The records pages read and print times on the contact center's clock (config timezone),
// not UTC: a manager in Shanghai typing 18:00 means 10:00 UTC, and sees 18:00 printed.
// Real MariaDB; the harness runs with timezone Asia/Shanghai.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';

let h: Harness;
const id = randomUUID();
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: h.cookie } });
const found = async (qs: string) => ((await get(`/api/v1/interactions?${qs}`)).json() as { items: Array<{ id: string }> }).items.some((i) => i.id === id);

describe('records on the contact center\'s clock', () => {
  before(async () => {
    h = await routingHarness({ timezone: 'Asia/Shanghai' });
    const at = new Date('2026-03-10T10:00:00.000Z');
    await h.app.db('interactions').insert({ id, direction: 'inbound', caller_number: '5550142', queue: 'tzq', outcome: 'answered', entered_at: at, answered_at: at, ended_at: new Date(at.getTime() + 60000) });
  });

  after(async () => {
    await h?.close();
  });

  it('reads a search time without a zone on that clock, and one with a zone as given', async () => {
    assert.equal(await found('from=2026-03-10T17:59&to=2026-03-10T18:01'), true, '18:00 in Shanghai is 10:00 UTC');
    assert.equal(await found('from=2026-03-10T09:59&to=2026-03-10T10:01'), false, 'the same numbers as UTC would be 01:59-02:01 UTC');
    assert.equal(await found('from=2026-03-10T09:59Z&to=2026-03-10T10:01Z'), true, 'a time with a zone is taken as given');
    assert.equal(await found('from=2026-03-10&to=2026-03-11'), true, 'a date is the local day');
  });

  it('prints times on that clock on the search and detail pages, and says which clock', async () => {
    const list = await get('/interactions?from=2026-03-10T00:00&to=2026-03-11T00:00');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Asia\/Shanghai/);
    assert.match(list.body, /2026-03-10 18:00:00/);
    assert.doesNotMatch(list.body, /2026-03-10 10:00:00/);
    const detail = await get(`/interactions/${id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /2026-03-10 18:00:00/);
    assert.match(detail.body, /2026-03-10 18:01:00/);
  });
});
