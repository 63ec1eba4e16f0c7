// The summary's cells (server/reports/kpi/cells.ts) against cases counted by hand from
// KPIS.md: what each 15-minute bucket, queue, DID and agent holds, and the handling figures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addCells, emptyCell, foldCells, handlingKpisOf, handlingsOf, type Cell, type InteractionFacts } from '../../../server/reports/kpi/cells.js';
import { callerKeyOf, isRepeat } from '../../../server/reports/kpi/handling.js';
import { kpisOf, thresholdsOf, type KpiEvent } from '../../../server/reports/kpi/index.js';

// 2026-11-21 23:50 UTC: ten minutes before midnight, and on a 15-minute edge at 23:45 + 5 min.
const T0 = Date.UTC(2026, 10, 21, 23, 50, 0);
const at = (s: number) => T0 + s * 1000;
const seqs = new Map<string, number>();
function ev(id: string, type: string, s: number, queue: string | null, more: { agentId?: number; data?: Record<string, unknown> } = {}): KpiEvent {
  const seq = (seqs.get(id) ?? 0) + 1;
  seqs.set(id, seq);
  return { interactionId: id, seq, type, at: at(s), queue, agentId: more.agentId ?? null, data: more.data ?? null };
}
const byInteraction = (events: KpiEvent[]) => [...events].sort((a, b) => a.interactionId.localeCompare(b.interactionId) || a.seq - b.seq);

function fold(events: KpiEvent[], facts: Record<string, Partial<InteractionFacts>> = {}, from = at(-3600), to = at(3600)): Cell[] {
  const sorted = byInteraction(events);
  return foldCells(sorted, handlingsOf(sorted), {
    thresholds: () => thresholdsOf({}),
    includes: (t) => t >= from && t < to,
    facts: (id) => ({ did: '', wrapMs: 0, repeat: false, ...facts[id] }),
  });
}
const sum = (cells: Cell[], pick: (c: Cell) => boolean = () => true) => cells.filter(pick).reduce((a, c) => addCells(a, c), emptyCell());
const bucketAt = (s: number) => Math.floor(at(s) / 900_000) * 900;

describe('summary cells', () => {
  it('counts an entry in the 15-minute bucket of its enter-queue, however late it is answered', () => {
    // Enters 23:59:50, answered 00:00:20 the next day, ends 00:05:20.
    const cells = fold([
      ev('A', 'enter-queue', 590, 'sales'), ev('A', 'connect', 620, 'sales', { agentId: 7, data: { waitMs: 30_000 } }), ev('A', 'complete', 920, 'sales'),
    ]);
    assert.equal(cells.length, 2, 'the offer (no agent) and the answer (agent 7) are two cells of one bucket');
    assert.ok(cells.every((c) => c.bucket === bucketAt(590)), 'both in 23:45-24:00 of the entry day');
    const c = sum(cells);
    assert.deepEqual([c.offered, c.answered, c.answeredWithinSl, c.handled, c.talkMs], [1, 1, 0, 1, 300_000]);
    assert.equal(cells.find((x) => x.agentId === 7)?.answered, 1);
  });

  it('puts entries either side of a 15-minute edge in their own buckets', () => {
    // 23:59:59.999 and 00:00:00 (edge = +600 s from 23:50).
    const cells = fold([ev('E1', 'enter-queue', 599.999, 'sales'), ev('E2', 'enter-queue', 600, 'sales')]);
    assert.deepEqual(cells.map((c) => [c.bucket, c.offered]).sort(), [[bucketAt(0), 1], [bucketAt(600), 1]].sort());
  });

  it('leaves out of a folded range an entry made before it, even when answered inside', () => {
    const cells = fold([ev('X', 'enter-queue', -10, 'sales'), ev('X', 'connect', 5, 'sales', { agentId: 1, data: { waitMs: 15_000 } })], {}, at(0), at(900));
    assert.equal(sum(cells).offered + sum(cells).answered + sum(cells).handled, 0);
  });

  it('keeps short abandons out of the abandon rate and the inclusive service level', () => {
    const c = kpisOf(sum(fold([
      ev('S', 'enter-queue', 0, 'q'), ev('S', 'abandon', 4, 'q', { data: { waitMs: 4_999 } }),
      ev('L', 'enter-queue', 0, 'q'), ev('L', 'abandon', 5, 'q', { data: { waitMs: 5_000 } }),
      ev('A', 'enter-queue', 0, 'q'), ev('A', 'connect', 10, 'q', { agentId: 1, data: { waitMs: 10_000 } }),
      ev('B', 'enter-queue', 0, 'q'), ev('B', 'connect', 21, 'q', { agentId: 1, data: { waitMs: 21_000 } }),
    ])));
    assert.deepEqual([c.offered, c.abandoned, c.shortAbandoned], [4, 2, 1]);
    assert.equal(c.abandonRate, 1 / 3, '(2 - 1) / (4 - 1)');
    assert.equal(c.serviceLevel, 1 / 2, 'A within 20 s of A, B');
    assert.equal(c.serviceLevelInclusive, 1 / 3, 'A / (A + B + L)');
    assert.equal(c.asaSec, 15.5);
  });

  it('counts callbacks apart: not answered, not abandoned, in no rate', () => {
    const raw = sum(fold([
      ev('C', 'enter-queue', 0, 'q'), ev('C', 'divert', 30, 'q', { data: { type: 'callback' } }), ev('C', 'callback-request', 40, 'q'),
      // The callback later reaches an agent: its events do not answer the queue entry again.
      ev('C', 'callback-connect', 900, 'q', { agentId: 3 }),
      ev('D', 'enter-queue', 0, 'q'), ev('D', 'abandon', 30, 'q', { data: { waitMs: 30_000 } }),
    ]));
    const c = kpisOf(raw);
    assert.deepEqual([c.offered, c.callbacks, c.answered, c.abandoned, raw.handled], [2, 1, 0, 1, 0]);
    assert.equal(c.abandonRate, 1 / 2, 'the callback stays in offered, as KPIS.md and Amazon Connect count it');
  });

  it('counts a transferred call once as handled, with the first agent, and as transferred', () => {
    const cells = fold([
      ev('T', 'enter-queue', 0, 'sales'), ev('T', 'connect', 10, 'sales', { agentId: 1, data: { waitMs: 10_000 } }),
      ev('T', 'hold', 40, 'sales', { agentId: 1 }), ev('T', 'resume', 70, 'sales', { agentId: 1 }),
      ev('T', 'transfer', 100, 'sales', { agentId: 1, data: { kind: 'blind', to: { type: 'queue', queue: 'support' } } }),
      ev('T', 'enter-queue', 100, 'support'), ev('T', 'connect', 130, 'support', { agentId: 2, data: { waitMs: 30_000, transferred: true } }),
      ev('T', 'complete', 310, 'support', { agentId: 2 }),
    ], { T: { wrapMs: 20_000, did: '5551000' } });
    const all = sum(cells);
    assert.equal(all.handled, 1, 'once, although two agents answered it');
    assert.equal(all.transferred, 1);
    assert.deepEqual([all.offered, all.answered], [2, 2], 'each queue was offered the call and answered it');
    const first = sum(cells, (c) => c.agentId === 1);
    assert.deepEqual([first.handled, first.talkMs, first.holdMs, first.wrapMs], [1, 300_000, 30_000, 20_000]);
    assert.ok(cells.every((c) => c.did === '5551000'));
    const h = handlingKpisOf(all);
    assert.equal(h.ahtSec, 350, '(300 + 30 + 20) / 1');
    assert.equal(h.transferRate, 1);
  });

  it('counts an agent leaving a conference as a transfer out, and the other party leaving as none', () => {
    const conference = (id: string, who: 'agent' | 'target') => [
      ev(id, 'enter-queue', 0, 'q'), ev(id, 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }),
      ev(id, 'conference', 60, 'q', { agentId: 1, data: { to: { type: 'agent', agent: '1002' } } }),
      ev(id, 'conference-leave', 90, 'q', { agentId: who === 'agent' ? 2 : 1, data: { by: 'agent', who, from: { agentId: 1 }, to: { type: 'agent', agent: '1002' } } }),
      ev(id, 'complete', 150, 'q', { agentId: who === 'agent' ? 2 : 1 }),
    ];
    const all = sum(fold([...conference('L', 'agent'), ...conference('S', 'target')]));
    assert.deepEqual([all.handled, all.transferred], [2, 1]);
    assert.equal(handlingKpisOf(all).transferRate, 1 / 2);
  });

  it('computes AHT over handled calls as (talk + hold + wrap-up) / handled', () => {
    const cells = fold([
      ev('A', 'enter-queue', 0, 'q'), ev('A', 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }), ev('A', 'complete', 125, 'q'),
      // Ends while on hold: the last hold counts up to the end.
      ev('B', 'enter-queue', 0, 'q'), ev('B', 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }), ev('B', 'hold', 65, 'q'), ev('B', 'complete', 85, 'q'),
      ev('N', 'enter-queue', 0, 'q'), ev('N', 'abandon', 60, 'q', { data: { waitMs: 60_000 } }),
    ], { A: { wrapMs: 30_000 }, B: { wrapMs: 10_000 } });
    const h = handlingKpisOf(sum(cells));
    assert.deepEqual([h.handled, h.talkMs, h.holdMs, h.wrapMs], [2, 200_000, 20_000, 40_000]);
    assert.equal(h.ahtSec, 130, '(200 + 20 + 40) / 2');
    assert.equal(h.transferRate, 0);
  });

  it('averages survey scores 1..5 and ignores a score out of range', () => {
    const call = (id: string, score: unknown) => [
      ev(id, 'enter-queue', 0, 'q'), ev(id, 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }), ev(id, 'complete', 65, 'q'),
      ev(id, 'survey-score', 75, 'q', { data: { score } }),
    ];
    const h = handlingKpisOf(sum(fold([...call('a', 5), ...call('b', 4), ...call('c', 1), ...call('d', 9), ...call('e', '5')])));
    assert.equal(h.csatResponses, 3);
    assert.equal(h.csatMean, 10 / 3);
    assert.equal(h.csatTopShare, 2 / 3);
  });

  it('gives the score of a transferred call to the agent the caller rated, and counts it once', () => {
    const cells = fold([
      ev('R', 'enter-queue', 0, 'sales'), ev('R', 'connect', 10, 'sales', { agentId: 1, data: { waitMs: 10_000 } }),
      ev('R', 'transfer-connect', 60, 'sales', { agentId: 2, data: { kind: 'blind', to: { type: 'agent', agent: '1002' } } }),
      ev('R', 'complete', 200, 'sales', { agentId: 2 }),
      ev('R', 'survey-score', 210, 'sales', { agentId: 2, data: { score: 2 } }),
    ]);
    const first = sum(cells, (c) => c.agentId === 1);
    const second = sum(cells, (c) => c.agentId === 2);
    assert.deepEqual([first.handled, first.transferred, first.csatResponses], [1, 1, 0], 'handled once, with the agent who answered');
    assert.deepEqual([second.handled, second.csatResponses, second.csatSum, second.csatTop], [0, 1, 2, 0], 'the score is the second agent\'s');
    const all = sum(cells);
    assert.deepEqual([all.handled, all.csatResponses, all.offered], [1, 1, 1], 'the totals count the call once');
    assert.ok(cells.every((c) => c.queue === 'sales' && c.bucket === cells[0]!.bucket), 'in the entry\'s queue and bucket');
  });

  it('gives null ratios, never 0 or 100 %, when nothing was handled', () => {
    const h = handlingKpisOf(emptyCell());
    assert.deepEqual([h.ahtSec, h.transferRate, h.fcr, h.csatMean, h.csatTopShare], [null, null, null, null, null]);
  });
});

describe('repeat calls (FCR)', () => {
  const WEEK = 168 * 3_600_000;
  it('normalises caller ids and never groups anonymous ones', () => {
    assert.equal(callerKeyOf('+86 138-0000-0001'), '8613800000001');
    assert.equal(callerKeyOf('008613800000001'), '8613800000001');
    for (const anon of ['anonymous', '', null, 'Restricted', '12', undefined]) assert.equal(callerKeyOf(anon), null, String(anon));
  });

  it('counts a repeat when the caller had an answered call within the window before', () => {
    const day = 86_400_000;
    const earlier = [
      { interactionId: 'p1', callerKey: '8613800000001', at: at(0) - 3 * day },
      { interactionId: 'p2', callerKey: '8613800000002', at: at(0) - 8 * day },
      { interactionId: 'anon', callerKey: null, at: at(0) - day },
    ];
    assert.equal(isRepeat({ interactionId: 'n1', callerKey: '8613800000001', enteredAt: at(0) }, earlier, WEEK), true);
    assert.equal(isRepeat({ interactionId: 'n2', callerKey: '8613800000002', enteredAt: at(0) }, earlier, WEEK), false, 'older than 168 h');
    assert.equal(isRepeat({ interactionId: 'n3', callerKey: null, enteredAt: at(0) }, earlier, WEEK), false, 'anonymous');
    assert.equal(isRepeat({ interactionId: 'p1', callerKey: '8613800000001', enteredAt: at(0) - 3 * day + 1 }, earlier, WEEK), false, 'not its own repeat');
  });

  it('turns repeats into FCR = 1 - repeats / handled', () => {
    const cells = fold([
      ev('r1', 'enter-queue', 0, 'q'), ev('r1', 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }),
      ev('r2', 'enter-queue', 0, 'q'), ev('r2', 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }),
      ev('r3', 'enter-queue', 0, 'q'), ev('r3', 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }),
      ev('r4', 'enter-queue', 0, 'q'), ev('r4', 'connect', 5, 'q', { agentId: 1, data: { waitMs: 5_000 } }),
    ], { r1: { repeat: true } });
    assert.equal(handlingKpisOf(sum(cells)).fcr, 0.75);
  });
});
