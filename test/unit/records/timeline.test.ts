import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline, flatDetails, handlersOf, queuesOf, type EventRow } from '../../../server/records/timeline.js';

const at = (s: number) => new Date(Date.UTC(2026, 2, 10, 10, 0, s));
const ev = (seq: number, type: string, s: number, o: Partial<EventRow> = {}): EventRow => ({ seq, type, at: at(s), queue: null, agent_id: null, data: null, ...o });
const names = new Map([[7, 'Ann']]);

test('events keep their order, same-millisecond events their sequence, and notes fall in by time', () => {
  const events = [ev(1, 'enter', 0), ev(2, 'enter-queue', 5, { queue: 'support' }), ev(3, 'offer', 5, { agent_id: 7 }), ev(4, 'connect', 9, { agent_id: 7 }), ev(5, 'complete', 30)];
  const notes = [{ id: 1, created_at: at(20), author_name: 'Ann', body: 'asked for a refund' }];
  const t = buildTimeline({ events, notes, wrapUp: { disposition: null, note: null, followUp: false }, agentName: (id) => names.get(id) ?? null });
  assert.deepEqual(t.map((e) => e.kind), ['enter', 'enter-queue', 'offer', 'connect', 'note', 'complete']);
  assert.equal(t[2]?.agentName, 'Ann');
  assert.deepEqual(t[4]?.details, { author: 'Ann', text: 'asked for a refund' });
});

test('the wrap-up entry carries the disposition, the note text and the follow-up flag from the interaction', () => {
  const t = buildTimeline({ events: [ev(1, 'wrap-up', 0, { data: '{"disposition":"sale","note":true,"by":"ann"}' })], notes: [], wrapUp: { disposition: 'sale', note: 'call back Monday', followUp: true }, agentName: () => null });
  assert.deepEqual(t[0]?.details, { disposition: 'sale', note: 'call back Monday', followUp: true, by: 'ann' });
});

test('event data becomes flat name/value pairs; nested values their JSON; broken JSON nothing', () => {
  assert.deepEqual(flatDetails('{"to":{"agent":1002},"keys":["1","2"],"ok":true,"n":null,"s":"x"}'), { to: '{"agent":1002}', keys: '["1","2"]', ok: true, n: null, s: 'x' });
  assert.deepEqual(flatDetails('{not json'), {});
  assert.deepEqual(flatDetails([1, 2]), {});
  assert.equal((flatDetails({ long: 'y'.repeat(2000) }).long as string).length, 500);
});

test('queues in the order entered, and handlers from handled_by or the one agent', () => {
  assert.deepEqual(queuesOf([ev(1, 'enter-queue', 0, { queue: 'a' }), ev(2, 'divert', 1, { queue: 'a' }), ev(3, 'enter-queue', 2, { queue: 'b' })], 'b'), ['a', 'b']);
  assert.deepEqual(queuesOf([], 'c'), ['c']);
  assert.deepEqual(handlersOf('[3,5,3]', 3), [3, 5]);
  assert.deepEqual(handlersOf(null, 4), [4]);
  assert.deepEqual(handlersOf('garbage', null), []);
});
