// Hours steps that name a stored schedule: validation, the runner reading it at call time,
// and the hours page's text lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateFlow, type FlowContext } from '../../../server/ivr/flow-validation.js';
import type { Schedule, Step } from '../../../server/ivr/schemas.js';
import { holidaysText, parseHolidays, parseWeekly, weeklyText } from '../../../server/web/view-models/schedules.js';
import { ERROR, flowOf, queue, setup } from './fake-io.js';

const ctx = (ids: number[]): FlowContext => ({
  queueExists: () => true, flowExists: () => true, agentExists: () => true, uploadExists: () => true, scheduleExists: (id) => ids.includes(id),
});
const hours = (more: Partial<Extract<Step, { type: 'hours' }>>): Step => ({ type: 'hours', open: 'open', closed: 'closed', ...more } as Step);
const flowWith = (h: Step) => flowOf('main', 'hours', { hours: h, open: queue('sales'), closed: { type: 'hangup' } });
const WEEKDAYS: Schedule = { timezone: 'Asia/Shanghai', weekly: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }], holidays: [] };

describe('hours steps naming a schedule', () => {
  it('accepts a schedule that exists and refuses one that does not, naming it', () => {
    assert.deepEqual(validateFlow(flowWith(hours({ scheduleId: 3 })), ctx([3])), []);
    const problems = validateFlow(flowWith(hours({ scheduleId: 4 })), ctx([3]));
    assert.deepEqual(problems.map((p) => p.code), ['missing-schedule']);
    assert.match(problems[0]?.message ?? '', /schedule 4/);
  });

  it('refuses a step with both a schedule and a scheduleId, or with neither', () => {
    assert.deepEqual(validateFlow(flowWith(hours({ scheduleId: 3, schedule: WEEKDAYS })), ctx([3])).map((p) => p.code), ['bad-schedule']);
    assert.deepEqual(validateFlow(flowWith(hours({})), ctx([3])).map((p) => p.code), ['bad-schedule']);
  });

  it('reads the named schedule when the call reaches the step: the second call sees the edit', async () => {
    let stored: Schedule = { ...WEEKDAYS, weekly: [] };
    const now = new Date('2024-03-13T03:00:00Z'); // Wednesday 11:00 in Shanghai
    const loadSchedule = async (id: number) => (id === 7 ? stored : undefined);
    const flow = flowWith(hours({ scheduleId: 7 }));
    assert.deepEqual((await setup([flow], { now }, { loadSchedule }).run()).outcome, { kind: 'hangup' });
    stored = WEEKDAYS;
    assert.deepEqual((await setup([flow], { now }, { loadSchedule }).run()).outcome, { kind: 'queue', queue: 'sales' });
  });

  it('takes a schedule that is gone (or unreadable) as closed, and says so in the log', async () => {
    const t = setup([flowWith(hours({ scheduleId: 9 }))], {}, { loadSchedule: async () => undefined });
    const { outcome, path } = await t.run();
    assert.deepEqual(outcome, { kind: 'hangup' });
    assert.equal(path[0]?.result, 'closed');
    assert.ok(t.entries().some((e) => e.level === ERROR && /schedule unreadable/.test(e.msg)));
    const failing = setup([flowWith(hours({ scheduleId: 9 }))], {}, { loadSchedule: async () => { throw new Error('db down'); } });
    assert.deepEqual((await failing.run()).outcome, { kind: 'hangup' });
  });
});

describe('the hours page\'s text lines', () => {
  it('reads day ranges and lists, and gives them back the same way', () => {
    const parsed = parseWeekly('1-5 09:00-18:00\n\n6,7 10:00-14:00\n 3 12:00 - 13:30 ');
    assert.deepEqual(parsed.badLines, []);
    assert.deepEqual(parsed.value, [
      { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, { days: [6, 7], from: '10:00', to: '14:00' }, { days: [3], from: '12:00', to: '13:30' },
    ]);
    assert.equal(weeklyText(parsed.value), '1-5 09:00-18:00\n6,7 10:00-14:00\n3 12:00-13:30');
  });

  it('names the lines it cannot read', () => {
    assert.deepEqual(parseWeekly('1-5 09:00-18:00\nweekdays 9 to 5\n8 09:00-10:00\n1-5 9:00-18:00').badLines, [2, 3, 4]);
    assert.deepEqual(parseHolidays('2026-10-01 National Day\n1 October\n2026-10-02').badLines, [2]);
  });

  it('keeps holiday labels, and dates without one', () => {
    const parsed = parseHolidays('2026-10-01 National Day\n2026-10-02');
    assert.deepEqual(parsed.value, [{ date: '2026-10-01', label: 'National Day' }, { date: '2026-10-02' }]);
    assert.equal(holidaysText(parsed.value), '2026-10-01 National Day\n2026-10-02');
  });
});
