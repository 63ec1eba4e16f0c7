// A customer's history against real MariaDB: earlier interactions from any of its numbers
// (in whatever form the trunk delivered them) and those linked to it, newest first, paged,
// with wrap-up, agent names and recording ids; and the screen-pop card built from it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { routingHarness, type Harness } from '../ivr/routing-harness.js';
import type { HistoryItem } from '../../../server/crm/index.js';

let h: Harness;
let agent: { id: number; name: string };
let customerId: number;
const t0 = Date.parse('2026-03-01T09:00:00.000Z');
const ids: Record<string, string> = {};

/** An interaction row as the interactions room writes it, minutes after t0. */
async function call(key: string, minutes: number, o: Record<string, unknown>): Promise<void> {
  ids[key] = randomUUID();
  await h.app.db('interactions').insert({
    id: ids[key], direction: 'inbound', caller_number: '0000', entered_at: new Date(t0 + minutes * 60_000), queue: 'support', outcome: 'answered', ...o,
  });
}

const keysOf = (items: HistoryItem[]) => items.map((i) => Object.entries(ids).find(([, id]) => id === i.interactionId)?.[0]);

describe('customer history (country code 86)', () => {
  before(async () => {
    h = await routingHarness({ crm: { countryCode: '86', nationalPrefix: '0', internationalPrefix: '00', nationalMinDigits: 8 } });
    const row = await h.app.db('agents').orderBy('id').first();
    agent = { id: row.id, name: row.name };
    const c = await h.app.crm.create({ name: 'History Han', numbers: ['+86 138 0000 5555', '010 8888 7777'] }, { userId: null, name: 'test' });
    customerId = c.id;
    // From the customer's numbers in three delivered forms, one linked from a number it no
    // longer has, one from a stranger, and one at the same instant as another (tie on time).
    await call('national', 1, { caller_number: '13800005555', agent_id: agent.id, wait_ms: 12_000, talk_ms: 95_000, disposition: 'billing', wrap_note: 'refund <promised>', follow_up: 1 });
    await call('landline', 2, { caller_number: '01088887777', outcome: 'abandoned', wait_ms: 40_000 });
    await call('plus', 3, { caller_number: '+8613800005555', agent_id: agent.id, talk_ms: 30_000 });
    await call('linked', 4, { caller_number: '+15550109999', customer_id: customerId });
    await call('stranger', 5, { caller_number: '13999999999' });
    await call('tie-a', 6, { caller_number: '008613800005555' });
    await call('tie-b', 6, { caller_number: '13800005555', customer_id: customerId });
    const recording = (key: string, n: number, ms: number) => ({
      interaction_id: ids[key], path: `/tmp/crm-test/${key}-${n}.wav`, size_bytes: 1000, duration_ms: ms, sha256: 'x'.repeat(64), started_at: new Date(t0 + n * 1000),
    });
    await h.app.db('recordings').insert([recording('national', 1, 95_000), recording('national', 2, 5_000), recording('plus', 3, 30_000)]);
  });

  after(async () => {
    await h?.close();
  });

  it('lists the customer\'s interactions newest first, from every number form and by link, once each', async () => {
    const page = await h.app.crm.history({ customerId, limit: 50 });
    const order = keysOf(page.items);
    assert.deepEqual(order.slice(0, 2).sort(), ['tie-a', 'tie-b'], 'the two at the same instant come first');
    assert.deepEqual(order.slice(2), ['linked', 'plus', 'landline', 'national']);
    assert.equal(page.nextBefore, null);
  });

  it('carries agent name, outcome, wait, talk, wrap-up and recording ids', async () => {
    const { items } = await h.app.crm.history({ customerId, limit: 50 });
    const national = items.find((i) => i.interactionId === ids.national)!;
    assert.equal(national.agentName, agent.name);
    assert.equal(national.agentId, agent.id);
    assert.equal(national.queue, 'support');
    assert.equal(national.outcome, 'answered');
    assert.equal(national.waitMs, 12_000);
    assert.equal(national.talkMs, 95_000);
    assert.equal(national.disposition, 'billing');
    assert.equal(national.note, 'refund <promised>');
    assert.equal(national.followUp, true);
    assert.equal(national.at, new Date(t0 + 60_000).toISOString());
    assert.deepEqual(national.recordings.map((r) => r.durationMs), [95_000, 5_000]);
    assert.ok(national.recordings.every((r) => Number.isInteger(r.id)));
    const landline = items.find((i) => i.interactionId === ids.landline)!;
    assert.equal(landline.agentName, null);
    assert.equal(landline.outcome, 'abandoned');
    assert.equal(landline.followUp, false);
    assert.deepEqual(landline.recordings, []);
  });

  it('pages with the before cursor without skipping or repeating, also across a tie on time', async () => {
    const seen: HistoryItem[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await h.app.crm.history({ customerId, limit: 1, before });
      assert.ok(page.items.length <= 1);
      seen.push(...page.items);
      before = page.nextBefore ?? undefined;
      pages++;
    } while (before && pages < 20);
    assert.deepEqual(seen.map((i) => i.interactionId), (await h.app.crm.history({ customerId, limit: 50 })).items.map((i) => i.interactionId));
    assert.equal(pages, 6);
  });

  it('the same over the API, and a bad cursor or an unknown customer is refused', async () => {
    const first = (await h.api('GET', `/api/v1/customers/${customerId}/history?limit=4`)).json() as { items: HistoryItem[]; nextBefore: string };
    assert.equal(first.items.length, 4);
    const rest = (await h.api('GET', `/api/v1/customers/${customerId}/history?limit=4&before=${first.nextBefore}`)).json() as { items: HistoryItem[]; nextBefore: string | null };
    assert.deepEqual(keysOf(rest.items), ['landline', 'national']);
    assert.equal(rest.nextBefore, null);
    const bad = await h.api('GET', `/api/v1/customers/${customerId}/history?before=nonsense`);
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'invalid-cursor');
    assert.equal((await h.api('GET', '/api/v1/customers/999999/history')).statusCode, 404);
  });

  it('history of a number alone finds its calls in every delivered form, and can leave out the call in progress', async () => {
    const { items } = await h.app.crm.history({ number: '+86 138-0000-5555', excludeInteractionId: ids['tie-a'] });
    assert.deepEqual(keysOf(items), ['tie-b', 'plus', 'national']);
  });

  it('the screen-pop card: customer with latest notes and history for a known caller; the number\'s own calls for an unknown one', async () => {
    await h.app.crm.addNote(customerId, { text: 'called about the refund' }, { userId: null, name: 'Agent Ann' });
    const card = await h.app.crm.card('013800005555', { interactionId: ids['tie-b'], historyLimit: 3 });
    assert.equal(card.number, '+8613800005555');
    assert.equal(card.customer?.id, customerId);
    assert.deepEqual(card.customer?.latestNotes.map((n) => [n.author, n.text]), [['Agent Ann', 'called about the refund']]);
    assert.deepEqual(keysOf(card.history.items), ['tie-a', 'linked', 'plus']);
    assert.ok(card.history.nextBefore);
    const stranger = await h.app.crm.card('13999999999');
    assert.equal(stranger.customer, undefined);
    assert.deepEqual(keysOf(stranger.history.items), ['stranger']);
    assert.deepEqual(await h.app.crm.card('anonymous'), { history: { items: [], nextBefore: null } });
  });

  it('linking an interaction to the customer makes it part of the history whatever number it came from', async () => {
    await call('other-phone', 7, { caller_number: '+447700900123' });
    assert.ok(!keysOf((await h.app.crm.history({ customerId })).items).includes('other-phone'));
    await h.app.crm.linkInteraction(ids['other-phone']!, customerId);
    await h.app.interactions.settled(ids['other-phone']!);
    assert.equal(keysOf((await h.app.crm.history({ customerId })).items)[0], 'other-phone');
  });
});
