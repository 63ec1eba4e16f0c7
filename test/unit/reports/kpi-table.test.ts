// Rows of a KPI table from summed cells (server/reports/kpi/table.ts) and the query checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRows, totalRow } from '../../../server/reports/kpi/table.js';
import { emptyCell } from '../../../server/reports/kpi/cells.js';
import { validateQuery } from '../../../server/reports/kpi-service.js';
import { AppError } from '../../../server/core/errors.js';

const intervals = [{ from: 0, to: 3_600_000, label: 'h0' }, { from: 3_600_000, to: 7_200_000, label: 'h1' }];
const cell = (interval: number, key: string, over: Partial<ReturnType<typeof emptyCell>>) => ({ interval, key, ...emptyCell(), ...over });

describe('KPI table rows', () => {
  it('gives a total split one row per interval, empty ones included', () => {
    const rows = buildRows({ intervals, by: 'total', cells: [cell(1, '', { offered: 3, answered: 2, answeredWithinSl: 1 })], paid: () => false, nameOf: (k) => k });
    assert.deepEqual(rows.map((r) => [r.label, r.queue.offered, r.queue.serviceLevel]), [['h0', 0, null], ['h1', 3, 0.5]]);
    assert.equal(rows[0]?.key, null);
  });

  it('splits by agent in key order, with state time, hold from the calls and names', () => {
    const rows = buildRows({
      intervals, by: 'agent', paid: (r) => r === 'break', nameOf: (k) => `Agent ${k}`,
      cells: [cell(0, '10', { answered: 1, handled: 1, talkMs: 60_000, holdMs: 10_000 }), cell(0, '2', { answered: 1, handled: 1, talkMs: 30_000 })],
      time: [
        { interval: 0, agentId: 2, state: 'on_call', reason: '', ms: 30_000 }, { interval: 0, agentId: 2, state: 'ready', reason: '', ms: 30_000 },
        { interval: 1, agentId: 10, state: 'paused', reason: 'break', ms: 60_000 },
      ],
    });
    assert.deepEqual(rows.map((r) => [r.label, r.key, r.name]), [['h0', '2', 'Agent 2'], ['h0', '10', 'Agent 10'], ['h1', '10', 'Agent 10']]);
    assert.equal(rows[0]?.agentTime?.occupancy, 0.5);
    assert.equal(rows[1]?.agentTime?.holdMs, 10_000);
    assert.equal(rows[2]?.agentTime?.paidPausedMs, 60_000);
    assert.equal(rows[2]?.agentTime?.utilisation, 0);
  });

  it('adds up the total line', () => {
    const t = totalRow({ from: 0, to: 7_200_000, label: 'all' }, { ...emptyCell(), offered: 4, abandoned: 2, shortAbandoned: 1 }, undefined, () => false);
    assert.equal(t.queue.abandonRate, 1 / 3);
    assert.equal(t.agentTime, undefined);
  });
});

describe('KPI query checks', () => {
  const code = (fn: () => void) => {
    try {
      fn();
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof AppError && err.statusCode === 400);
      return err.code;
    }
  };
  const q = (from: string, to: string, grain = 'day', by = 'total') => () => validateQuery({ from, to, grain: grain as 'day', by: by as 'total' });
  it('refuses bad dates, reversed and absurd ranges, and unknown grains', () => {
    assert.equal(code(q('2026-11-01', '2026-11-30')), 'ok');
    assert.equal(code(q('2026-13-01', '2026-11-30')), 'kpi-invalid-date');
    assert.equal(code(q('2026-11-01', 'yesterday')), 'kpi-invalid-date');
    assert.equal(code(q('2026-11-30', '2026-11-01')), 'kpi-range-reversed');
    assert.equal(code(q('2025-01-01', '2026-11-30')), 'kpi-range-too-long');
    assert.equal(code(q('2026-10-01', '2026-11-30', '15m')), 'kpi-range-too-long');
    assert.equal(code(q('2026-11-01', '2026-11-30', '15m')), 'ok');
    assert.equal(code(q('2026-11-01', '2026-11-30', 'fortnight')), 'kpi-invalid-parameter');
    assert.equal(code(q('2026-11-01', '2026-11-30', 'day', 'skill')), 'kpi-invalid-parameter');
  });
});
