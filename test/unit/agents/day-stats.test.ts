import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agentDay, dayBounds, stateTotals } from '../../../server/agents/day-stats.js';
import type { StateLogEntry } from '../../../server/agents/state-log-repository.js';
import type { AgentState } from '../../../server/agents/schemas.js';

let seq = 0;
const at = (hhmm: string) => new Date(`2024-03-13T${hhmm}:00Z`);
const entry = (time: string, from: AgentState, to: AgentState, reason?: string): StateLogEntry => ({ agentId: 1, seq: ++seq, from, to, reason, at: at(time) });

describe("the agent's day", () => {
  it('a local day in a zone with a DST change that day is 23 hours long and starts at local midnight', () => {
    const { start, end } = dayBounds('2024-03-31', 'Europe/Paris');
    assert.equal(start.toISOString(), '2024-03-30T23:00:00.000Z');
    assert.equal(end.toISOString(), '2024-03-31T22:00:00.000Z');
    assert.equal(dayBounds('2024-03-13', 'Asia/Shanghai').start.toISOString(), '2024-03-12T16:00:00.000Z');
    assert.equal(dayBounds('2024-03-13', 'UTC').end.toISOString(), '2024-03-14T00:00:00.000Z');
  });

  it('adds up time in each state and each pause reason; the day opens in the state left from the day before', () => {
    const before = entry('00:00', 'logged_out', 'paused', 'break');
    before.at = new Date('2024-03-12T23:00:00Z');
    const entries = [
      entry('08:00', 'paused', 'ready'),
      entry('09:00', 'ready', 'on_call'),
      entry('09:10', 'on_call', 'wrap_up'),
      entry('09:12', 'wrap_up', 'paused', 'lunch'),
      entry('10:00', 'paused', 'logged_out'),
    ];
    const t = stateTotals(before, entries, at('00:00'), at('12:00'));
    const h = 3600_000;
    assert.equal(t.stateMs.paused, 8 * h + 48 * 60_000);
    assert.equal(t.pauseMs.break, 8 * h);
    assert.equal(t.pauseMs.lunch, 48 * 60_000);
    assert.equal(t.stateMs.ready, h);
    assert.equal(t.stateMs.on_call, 10 * 60_000);
    assert.equal(t.stateMs.wrap_up, 2 * 60_000);
    assert.equal(t.stateMs.logged_out, 2 * h);
  });

  it('AHT is talk plus wrap-up per handled call; paid and unpaid pauses are split by the reason flags', () => {
    const t = stateTotals(undefined, [entry('09:00', 'logged_out', 'paused', 'lunch'), entry('09:30', 'paused', 'paused', 'break'), entry('09:40', 'paused', 'wrap_up'), entry('09:50', 'wrap_up', 'logged_out')], at('00:00'), at('12:00'));
    const day = agentDay({ agentId: 1, date: '2024-03-13', timezone: 'UTC', totals: t, calls: 2, talkMs: 300_000, paid: (r) => r === 'break' });
    assert.equal(day.callsHandled, 2);
    assert.equal(day.wrapUpSec, 600);
    assert.equal(day.ahtSec, (300 + 600) / 2);
    assert.equal(day.pausePaidSec, 600);
    assert.equal(day.pauseUnpaidSec, 1800);
    assert.equal(agentDay({ agentId: 1, date: '2024-03-13', timezone: 'UTC', totals: t, calls: 0, talkMs: 0, paid: () => true }).ahtSec, null);
  });
});
