// Alert conditions against hand-made floor snapshots: when each kind fires, and how
// episodes start, go on and end between two evaluations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alertChanges, firings, type ActiveAlert } from '../../../server/alerts/conditions.js';
import type { AlertRule } from '../../../server/alerts/schemas.js';
import { buildSnapshot, type FloorInputs } from '../../../server/wallboard/floor-snapshot.js';
import { emptyCounters, thresholdsOf } from '../../../server/reports/kpi/index.js';
import type { AgentView } from '../../../server/agents/schemas.js';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const ago = (sec: number) => new Date(NOW - sec * 1000).toISOString();
let nextId = 1;
const rule = (kind: AlertRule['kind'], threshold: number, queue: string | null = null): AlertRule => ({
  id: nextId++, name: `${kind} ${threshold}`, kind, queue, threshold, enabled: true, notifyWebhook: true, notifyEmail: true, updatedAt: ago(0),
});
const agent = (id: number, state: AgentView['state'], sinceSec: number, registered = true): AgentView => ({
  id, number: String(1000 + id), name: `Agent ${id}`, extension: String(1000 + id), phone: String(1000 + id), state, stateSince: ago(sinceSec), registered, deviceState: 'NOT_INUSE',
});

function floor(over: Partial<FloorInputs> = {}) {
  return buildSnapshot({
    now: NOW, day: '2026-11-21', timeZone: 'UTC', agents: [], calls: [],
    queues: [
      { name: 'sales', thresholds: thresholdsOf({}), members: [1, 2], today: emptyCounters() },
      { name: 'support', thresholds: thresholdsOf({}), members: [3], today: emptyCounters() },
    ],
    ...over,
  });
}
const waiting = (queue: string, sinceSec: number, id = `c-${queue}-${sinceSec}`) => ({ interactionId: id, state: 'waiting', queue, callerNumber: '555', queuedAt: ago(sinceSec) });

describe('alert conditions', () => {
  it('waiting over N fires per queue, only above N, and only for its queue when it names one', () => {
    const snap = floor({ calls: [waiting('sales', 10), waiting('sales', 5), waiting('support', 3)] });
    const all = firings([rule('waiting_over', 1)], snap, NOW);
    assert.deepEqual(all.map((f) => [f.subject, f.value]), [['queue:sales', 2]], 'support has 1, not over 1');
    assert.deepEqual(firings([rule('waiting_over', 0, 'support')], snap, NOW).map((f) => f.subject), ['queue:support']);
  });

  it('longest wait over T seconds reads the oldest waiting caller', () => {
    const snap = floor({ calls: [waiting('sales', 31), waiting('sales', 5)] });
    assert.deepEqual(firings([rule('longest_wait_over', 30)], snap, NOW).map((f) => [f.subject, f.value]), [['queue:sales', 31]]);
    assert.equal(firings([rule('longest_wait_over', 31)], snap, NOW).length, 0, 'over, not at');
  });

  it('service level under X uses today\'s inclusive service level, and says nothing before the first call', () => {
    const today = { ...emptyCounters(), offered: 4, answered: 3, answeredWithinSl: 2, abandoned: 1 };
    const snap = floor({ queues: [{ name: 'sales', thresholds: thresholdsOf({}), members: [], today }, { name: 'support', thresholds: thresholdsOf({}), members: [], today: emptyCounters() }] });
    const f = firings([rule('service_level_under', 80)], snap, NOW);
    assert.deepEqual(f.map((x) => [x.subject, x.value]), [['queue:sales', 50]], '2 / (3 + 1) = 50 %; support has no calls');
  });

  it('an agent paused over M minutes, and a logged-in agent whose phone is unregistered', () => {
    const snap = floor({ agents: [agent(1, 'paused', 11 * 60), agent(2, 'paused', 60), agent(3, 'ready', 5, false), agent(4, 'logged_out', 5, false)] });
    assert.deepEqual(firings([rule('agent_paused_over', 10)], snap, NOW).map((f) => [f.subject, f.value]), [['agent:1', 11]]);
    assert.deepEqual(firings([rule('phone_unregistered', 0)], snap, NOW).map((f) => f.subject), ['agent:3'], 'a logged-out agent\'s phone may be off');
    assert.deepEqual(firings([rule('agent_paused_over', 0, 'support')], snap, NOW).map((f) => f.subject), [], 'agent 1 and 2 are sales agents');
  });

  it('a disabled rule never fires', () => {
    const r = { ...rule('waiting_over', 0), enabled: false };
    assert.equal(firings([r], floor({ calls: [waiting('sales', 1)] }), NOW).length, 0);
  });
});

describe('alert episodes', () => {
  const r = rule('waiting_over', 0);
  const fire = (value: number) => ({ rule: r, subject: 'queue:sales', label: 'sales', value });
  const active = (peak: number): ActiveAlert => ({ id: 7, ruleId: r.id, kind: r.kind, subject: 'queue:sales', peakValue: peak });

  it('raises once when the condition starts, keeps the peak while it lasts, and ends when it clears', () => {
    assert.deepEqual(alertChanges([], [fire(1)]).raise.map((f) => f.value), [1], 'starts: raised');
    const going = alertChanges([active(1)], [fire(3)]);
    assert.deepEqual([going.raise.length, going.end.length], [0, 0], 'goes on: no second alert');
    assert.deepEqual(going.update, [{ id: 7, value: 3, peak: 3 }]);
    assert.deepEqual(alertChanges([active(3)], [fire(2)]).update, [{ id: 7, value: 2, peak: 3 }], 'the peak stays at the worst value');
    const cleared = alertChanges([active(3)], []);
    assert.deepEqual(cleared.end.map((a) => a.id), [7]);
    assert.equal(cleared.raise.length, 0);
  });

  it('for a service level the lower value is the worse one', () => {
    const sl = rule('service_level_under', 80);
    const a: ActiveAlert = { id: 8, ruleId: sl.id, kind: sl.kind, subject: 'queue:sales', peakValue: 60 };
    assert.deepEqual(alertChanges([a], [{ rule: sl, subject: 'queue:sales', label: 'sales', value: 40 }]).update, [{ id: 8, value: 40, peak: 40 }]);
  });

  it('an alert whose rule was deleted ends', () => {
    const orphan: ActiveAlert = { id: 9, ruleId: null, kind: 'waiting_over', subject: 'queue:sales', peakValue: 1 };
    assert.deepEqual(alertChanges([orphan], [fire(1)]).end.map((a) => a.id), [9]);
  });

  it('disk rules fire below their free percent or GB, one subject for the recordings disk, never without a reading', () => {
    const disk = { path: '/rec', freeBytes: 12_345_000_000, totalBytes: 100_000_000_000 };
    const pct = rule('recordings_disk_pct_under', 12.4);
    assert.deepEqual(firings([pct], floor(), NOW, disk).map((f) => [f.subject, f.label, f.value]), [['disk:recordings', '/rec', 12.3]]);
    assert.deepEqual(firings([rule('recordings_disk_pct_under', 12.3)], floor(), NOW, disk), [], 'strictly under');
    assert.deepEqual(firings([rule('recordings_disk_gb_under', 20)], floor(), NOW, disk).map((f) => f.value), [12.35]);
    assert.deepEqual(firings([rule('recordings_disk_gb_under', 12)], floor(), NOW, disk), []);
    assert.deepEqual(firings([pct], floor(), NOW), [], 'no reading');
    assert.deepEqual(firings([pct], floor(), NOW, { ...disk, totalBytes: 0 }), [], 'a file system without size');
  });

  it('a disk alert\'s peak is its lowest free space', () => {
    const r = rule('recordings_disk_gb_under', 50);
    const active: ActiveAlert = { id: 4, ruleId: r.id, kind: r.kind, subject: 'disk:recordings', peakValue: 10 };
    const now = firings([r], floor(), NOW, { path: '/rec', freeBytes: 8e9, totalBytes: 1e11 });
    assert.deepEqual(alertChanges([active], now).update, [{ id: 4, value: 8, peak: 8 }]);
    const better = firings([r], floor(), NOW, { path: '/rec', freeBytes: 9e9, totalBytes: 1e11 });
    assert.deepEqual(alertChanges([{ ...active, peakValue: 8 }], better).update, [{ id: 4, value: 9, peak: 8 }]);
  });
});
