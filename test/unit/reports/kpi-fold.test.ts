// The KPI fold against cases counted by hand from KPIS.md's definitions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, createFold, foldEvents, kpisOf, thresholdsOf, type KpiEvent, type FoldOptions } from '../../../server/reports/kpi/index.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const sec = (s: number) => T0 + s * 1000;
const seqs = new Map<string, number>();
function ev(id: string, type: string, atSec: number, queue: string | null, data?: Record<string, unknown>): KpiEvent {
  const seq = (seqs.get(id) ?? 0) + 1;
  seqs.set(id, seq);
  return { interactionId: id, seq, type, at: sec(atSec), queue, data: data ?? null };
}
const opts = (over: Partial<FoldOptions> = {}): FoldOptions => ({
  thresholds: () => thresholdsOf({}),
  includes: (at) => at >= T0 && at < T0 + 86_400_000,
  ...over,
});

// Queue 'sales', T = 20 s, short abandon 5 s (the defaults).
const day: KpiEvent[] = [
  ev('A', 'enter-queue', 0, 'sales'), ev('A', 'connect', 10, 'sales', { waitMs: 10_000 }), ev('A', 'complete', 100, 'sales'),
  ev('B', 'enter-queue', 5, 'sales'), ev('B', 'connect', 35, 'sales', { waitMs: 30_000 }),
  ev('C', 'enter-queue', 10, 'sales'), ev('C', 'abandon', 13, 'sales', { waitMs: 3_000 }),
  ev('D', 'enter-queue', 20, 'sales'), ev('D', 'abandon', 60, 'sales', { waitMs: 40_000 }),
  // An overflow stage sends E to voicemail after 60 s: timed out, not abandoned.
  ev('E', 'enter-queue', 30, 'sales'), ev('E', 'overflow', 90, 'sales', { type: 'voicemail' }), ev('E', 'divert', 90, 'sales', { type: 'voicemail' }), ev('E', 'leave', 90, 'sales'),
  // F asks for a callback (the dialog opens at 50, confirmed at 60): counted apart.
  ev('F', 'enter-queue', 40, 'sales'), ev('F', 'divert', 50, 'sales', { type: 'callback' }), ev('F', 'callback-request', 60, 'sales'), ev('F', 'end', 61, 'sales'),
  // G opens the callback dialog, declines, keeps waiting and then hangs up: an abandon.
  ev('G', 'enter-queue', 50, 'sales'), ev('G', 'divert', 55, 'sales', { type: 'callback' }), ev('G', 'callback-declined', 60, 'sales'), ev('G', 'abandon', 75, 'sales', { waitMs: 25_000 }),
  ev('H', 'enter-queue', 60, 'sales'),
  // Entered before the interval: its answer inside the interval is not this interval's.
  ev('I', 'enter-queue', -30, 'sales'), ev('I', 'connect', 5, 'sales', { waitMs: 35_000 }),
  // Hung up in the greeting: never offered to a queue.
  ev('J', 'greeting', 1, 'sales'), ev('J', 'abandon', 2, 'sales', { waitMs: 1_000 }),
  // Exactly T: within the service level (answered within T means wait <= T).
  ev('K', 'enter-queue', 70, 'sales'), ev('K', 'connect', 90, 'sales', { waitMs: 20_000 }),
  // Exactly 5 s: not a short abandon (short means wait < 5 s).
  ev('L', 'enter-queue', 80, 'sales'), ev('L', 'abandon', 85, 'sales', { waitMs: 5_000 }),
];

describe('the KPI fold', () => {
  it('counts a day of one queue as KPIS.md defines it', () => {
    const s = foldEvents(day, opts());
    const k = kpisOf(s.queues.get('sales')!);
    assert.equal(k.offered, 10, 'A B C D E F G H K L');
    assert.equal(k.answered, 3, 'A B K');
    assert.equal(k.answeredWithinSl, 2, 'A K');
    assert.equal(k.abandoned, 4, 'C D G L');
    assert.equal(k.shortAbandoned, 1, 'C');
    assert.equal(k.timedOut, 1, 'E');
    assert.equal(k.callbacks, 1, 'F');
    assert.equal(k.exitedWithKey, 0);
    assert.equal(k.serviceLevel, 2 / 3);
    assert.equal(k.serviceLevelInclusive, 2 / 7, '2 / (3 answered + 4 abandoned - 1 short + 1 timed out)');
    assert.equal(k.abandonRate, 3 / 9, '(4 - 1) / (10 - 1)');
    assert.equal(k.asaSec, 20, '(10 + 30 + 20) / 3');
    assert.equal(k.maxWaitSec, 60, 'E waited 60 s before its overflow');
    assert.equal(s.open.size, 1, 'H is still waiting');
  });

  it('counts an event seen twice (MariaDB snapshot, then the live topic) once', () => {
    const s = createFold(opts());
    for (const e of [...day, ...day]) applyEvent(s, e);
    assert.deepEqual(s.queues.get('sales'), foldEvents(day, opts()).queues.get('sales'));
  });

  it('gives figures with nothing to divide by as null, not 0 or 100 %', () => {
    const s = foldEvents([ev('M', 'enter-queue', 1, 'empty'), ev('M', 'abandon', 3, 'empty', { waitMs: 2_000 })], opts());
    const k = kpisOf(s.queues.get('empty')!);
    assert.equal(k.offered, 1);
    assert.equal(k.shortAbandoned, 1);
    assert.equal(k.serviceLevel, null);
    assert.equal(k.serviceLevelInclusive, null, 'a short abandon alone leaves no denominator');
    assert.equal(k.abandonRate, null, 'offered minus short abandons is 0');
    assert.equal(k.asaSec, null);
  });

  it('uses each queue\'s own thresholds', () => {
    const strict = opts({ thresholds: (q) => thresholdsOf(q === 'vip' ? { serviceLevelSec: 10, shortAbandonSec: 8 } : {}) });
    const events = [
      ev('N', 'enter-queue', 0, 'vip'), ev('N', 'connect', 15, 'vip', { waitMs: 15_000 }),
      ev('O', 'enter-queue', 0, 'vip'), ev('O', 'abandon', 7, 'vip', { waitMs: 7_000 }),
      ev('P', 'enter-queue', 0, 'sales'), ev('P', 'connect', 15, 'sales', { waitMs: 15_000 }),
      ev('Q', 'enter-queue', 0, 'sales'), ev('Q', 'abandon', 7, 'sales', { waitMs: 7_000 }),
    ];
    const s = foldEvents(events, strict);
    assert.equal(s.queues.get('vip')!.answeredWithinSl, 0, '15 s is over vip\'s 10 s');
    assert.equal(s.queues.get('vip')!.shortAbandoned, 1, '7 s is under vip\'s 8 s');
    assert.equal(s.queues.get('sales')!.answeredWithinSl, 1);
    assert.equal(s.queues.get('sales')!.shortAbandoned, 0);
  });

  it('keeps callbacks scheduled through the API and callback calls out of the queue figures', () => {
    const s = foldEvents([
      ev('R', 'callback-request', 1, 'sales', { source: 'api' }), ev('R', 'callback-offer', 2, 'sales'), ev('R', 'callback-connect', 9, 'sales'),
    ], opts());
    assert.equal(s.queues.get('sales'), undefined);
  });

  it('counts a caller leaving with the exit key to voicemail apart from abandons and timeouts', () => {
    const s = foldEvents([ev('S', 'enter-queue', 0, 'sales'), ev('S', 'exit-key', 30, 'sales', { digit: '9', to: 'voicemail' }), ev('S', 'leave', 30, 'sales')], opts());
    const c = s.queues.get('sales')!;
    assert.deepEqual([c.offered, c.exitedWithKey, c.abandoned, c.timedOut], [1, 1, 0, 0]);
  });

  it('a waiting caller moved to another queue counts as offered in both, timed out in the first', () => {
    const s = foldEvents([ev('U', 'enter-queue', 0, 'sales'), ev('U', 'enter-queue', 40, 'support'), ev('U', 'connect', 50, 'support', { waitMs: 10_000 })], opts());
    assert.deepEqual([s.queues.get('sales')!.offered, s.queues.get('sales')!.timedOut], [1, 1]);
    assert.deepEqual([s.queues.get('support')!.offered, s.queues.get('support')!.answered, s.queues.get('support')!.answeredWithinSl], [1, 1, 1]);
  });
});
