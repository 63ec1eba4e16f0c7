import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planSwitch, snoopFor, MONITOR_MODES, type MonitorMode, type MonitorStep } from '../../../server/supervision/monitor-plan.js';

/** Walks the plan the way monitor-media.ts runs it, tracking where things end up. */
function simulate(from: MonitorMode | null, to: MonitorMode) {
  let supervisorIn: 'monitor' | 'call' | null = from === null ? null : from === 'barge' ? 'call' : 'monitor';
  let snoops = from !== null && from !== 'barge' ? [snoopFor(from)] : [];
  for (const step of planSwitch(from, to) as MonitorStep[]) {
    if (step.op === 'snoop') snoops.push({ spy: step.spy, whisper: step.whisper });
    else if (step.op === 'move-supervisor') {
      assert.equal(step.from, supervisorIn, 'moved from where it really was');
      supervisorIn = step.to;
    } else snoops = snoops.slice(1);
  }
  return { supervisorIn, snoops };
}

describe('monitoring mode plans', () => {
  it('listen spies on both directions and whispers nothing; whisper speaks only towards the agent; barge needs no snoop', () => {
    assert.deepEqual(snoopFor('listen'), { spy: 'both', whisper: 'none' });
    assert.deepEqual(snoopFor('whisper'), { spy: 'both', whisper: 'out' });
    assert.equal(snoopFor('barge'), undefined);
  });

  it('a freshly answered supervisor gets a snoop and the monitor bridge for listen, the call bridge for barge', () => {
    assert.deepEqual(planSwitch(null, 'listen'), [{ op: 'snoop', spy: 'both', whisper: 'none' }, { op: 'move-supervisor', from: null, to: 'monitor' }]);
    assert.deepEqual(planSwitch(null, 'barge'), [{ op: 'move-supervisor', from: null, to: 'call' }]);
  });

  it('listen to whisper swaps the snoop, new one first, and leaves the supervisor where it is', () => {
    assert.deepEqual(planSwitch('listen', 'whisper'), [{ op: 'snoop', spy: 'both', whisper: 'out' }, { op: 'drop-old-snoop' }]);
  });

  it('into barge moves the supervisor before dropping the snoop; out of barge makes the snoop before moving back', () => {
    assert.deepEqual(planSwitch('whisper', 'barge'), [{ op: 'move-supervisor', from: 'monitor', to: 'call' }, { op: 'drop-old-snoop' }]);
    assert.deepEqual(planSwitch('barge', 'listen'), [{ op: 'snoop', spy: 'both', whisper: 'none' }, { op: 'move-supervisor', from: 'call', to: 'monitor' }]);
  });

  it('the same mode again is no step at all', () => {
    for (const m of MONITOR_MODES) assert.deepEqual(planSwitch(m, m), []);
  });

  it('from any mode (or none) to any other, the supervisor ends in the right bridge with exactly the snoop the target needs', () => {
    for (const from of [null, ...MONITOR_MODES]) {
      for (const to of MONITOR_MODES) {
        const end = simulate(from, to);
        assert.equal(end.supervisorIn, to === 'barge' ? 'call' : 'monitor', `${from} -> ${to}`);
        assert.deepEqual(end.snoops, to === 'barge' ? [] : [snoopFor(to)], `${from} -> ${to}`);
      }
    }
  });
});
