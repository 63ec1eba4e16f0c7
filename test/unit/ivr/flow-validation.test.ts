import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../../server/core/errors.js';
import { assertValidFlow, validateFlow, type FlowContext } from '../../../server/ivr/flow-validation.js';
import type { FlowBody, Step } from '../../../server/ivr/schemas.js';
import { collect, flowOf, hangup, menu, play, queue } from './fake-io.js';

function context(more: Partial<FlowContext> & { stored?: FlowBody[] } = {}): FlowContext {
  const stored = more.stored ?? [];
  return {
    queueExists: (n) => ['sales', 'billing', 'operator'].includes(n),
    flowExists: (n) => stored.some((f) => f.name === n),
    agentExists: (n) => n === '1001',
    uploadExists: (id) => id === 1,
    flows: (n) => stored.find((f) => f.name === n),
    ...more,
  };
}

const codes = (flow: FlowBody, ctx = context()) => validateFlow(flow, ctx).map((p) => `${p.code}@${p.step ?? ''}`);

describe('flow validation', () => {
  it('accepts a sound flow and returns no problems', () => {
    const flow = flowOf('main', 'top', {
      top: menu({ 1: 'ask', 2: 'sales' }, 'operator'),
      ask: collect('account', 'sales', 'operator'),
      sales: queue('sales'),
      operator: queue('operator'),
    });
    assert.deepEqual(validateFlow(flow, context()), []);
  });

  it('a loop without input is refused', () => {
    const flow = flowOf('main', 'a', { a: play('one', 'b'), b: play('two', 'a') });
    const problems = validateFlow(flow, context());
    assert.deepEqual(problems.map((p) => p.code), ['endless-loop']);
    assert.match(problems[0]?.message ?? '', /"a".*a -> b -> a/);
  });

  it('a menu that loops to itself is allowed', () => {
    const flow = flowOf('main', 'top', { top: menu({ 1: 'sales', 9: 'top' }, 'top'), sales: queue('sales') });
    assert.deepEqual(codes(flow), []);
  });

  it('a loop through a collect step is allowed', () => {
    const flow = flowOf('main', 'ask', { ask: collect('pin', 'sales', 'sorry'), sorry: play('try-again', 'ask'), sales: queue('sales') });
    assert.deepEqual(codes(flow), []);
  });

  it('a missing queue is refused with the step named', () => {
    const flow = flowOf('main', 'top', { top: menu({ 1: 'q' }, 'q'), q: queue('nowhere') });
    const problems = validateFlow(flow, context());
    assert.deepEqual(problems.map((p) => [p.code, p.step]), [['missing-queue', 'q']]);
    assert.match(problems[0]?.message ?? '', /Step "q".*queue "nowhere"/);
  });

  it('an unreachable step is refused', () => {
    const flow = flowOf('main', 'top', { top: queue('sales'), orphan: queue('billing') });
    assert.deepEqual(codes(flow), ['unreachable-step@orphan']);
  });

  it('a missing start and a link to a missing step are refused, naming the link', () => {
    const flow = flowOf('main', 'begin', { top: menu({ 3: 'ghost' }, 'top') });
    const problems = validateFlow(flow, context());
    assert.deepEqual(problems.map((p) => p.code), ['missing-start', 'missing-step']);
    assert.match(problems[1]?.message ?? '', /Step "top" sends option 3 to step "ghost"/);
  });

  it('missing agents, flows and uploaded prompts are refused', () => {
    const flow = flowOf('main', 'p', {
      p: { type: 'play', prompt: [{ upload: 1 }, { upload: 2 }], next: 'm' },
      m: menu({ 1: 'agent', 2: 'other' }, 'good', { invalidPrompt: [{ upload: 3 }] }),
      agent: { type: 'agent', agent: '2002' },
      other: { type: 'flow', flow: 'nope' },
      good: { type: 'agent', agent: '1001', failed: 'bye' },
      bye: hangup(),
    });
    assert.deepEqual(codes(flow), ['missing-upload@p', 'missing-upload@m', 'missing-agent@agent', 'missing-flow@other']);
  });

  it('a collect asking for more digits at least than at most is refused', () => {
    const flow = flowOf('main', 'ask', { ask: collect('pin', 'q', 'q', { minDigits: 6, maxDigits: 4 }), q: queue('sales') });
    assert.deepEqual(codes(flow), ['bad-digits@ask']);
  });

  it('a schedule with an unknown time zone, a range ending before it starts, or an impossible holiday is refused', () => {
    const hours: Step = {
      type: 'hours',
      schedule: { timezone: 'Mars/Olympus', weekly: [{ days: [1], from: '18:00', to: '09:00' }, { days: [2], from: '09:00', to: '24:00' }], holidays: ['2024-02-30'] },
      open: 'q', closed: 'q',
    };
    const problems = validateFlow(flowOf('main', 'h', { h: hours, q: queue('sales') }), context());
    assert.deepEqual(problems.map((p) => `${p.code}@${p.step}`), ['bad-schedule@h', 'bad-schedule@h', 'bad-schedule@h']);
    assert.match(problems.map((p) => p.message).join(' '), /Mars\/Olympus.*18:00-09:00.*2024-02-30/);
  });

  it('a flow jumping to itself without an input step on the way is an endless loop, with one it is allowed', () => {
    const spinning = flowOf('main', 'hi', { hi: play('welcome', 'again'), again: { type: 'flow', flow: 'main' } });
    assert.deepEqual(codes(spinning, context({ flows: undefined })), ['endless-loop@hi']);
    const waiting = flowOf('main', 'top', { top: menu({ 1: 'sales', 0: 'again' }, 'again'), sales: queue('sales'), again: { type: 'flow', flow: 'main' } });
    assert.deepEqual(codes(waiting), []);
  });

  it('flows that jump to each other without any input step are refused', () => {
    const other = flowOf('other', 'x', { x: play('hold-on', 'back'), back: { type: 'flow', flow: 'main' } });
    const main = flowOf('main', 'hi', { hi: play('welcome', 'go'), go: { type: 'flow', flow: 'other' } });
    const problems = validateFlow(main, context({ stored: [other] }));
    assert.deepEqual(problems.map((p) => [p.code, p.step]), [['endless-loop', 'hi']]);
    assert.match(problems[0]?.message ?? '', /other\/x/);
    // Without the other flows at hand, a jump out is treated as the end of this flow.
    assert.deepEqual(codes(main, context({ stored: [other], flows: undefined })), []);
  });

  it('validates the flow as submitted, not the stored version of it', () => {
    const storedMain = flowOf('main', 'top', { top: menu({ 1: 'go' }, 'go'), go: { type: 'flow', flow: 'other' } });
    const other = flowOf('other', 'x', { x: { type: 'flow', flow: 'main' } });
    const edited = flowOf('main', 'go', { go: { type: 'flow', flow: 'other' } });
    assert.deepEqual(codes(edited, context({ stored: [storedMain, other] })), ['endless-loop@go']);
  });

  it('assertValidFlow throws a 422 invalid-flow AppError listing the problems', () => {
    const flow = flowOf('main', 'top', { top: queue('nowhere') });
    assert.throws(() => assertValidFlow(flow, context()), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.statusCode, 422);
      assert.equal(err.code, 'invalid-flow');
      assert.deepEqual((err.details as { problems: { code: string }[] }).problems.map((p) => p.code), ['missing-queue']);
      return true;
    });
    assert.doesNotThrow(() => assertValidFlow(flowOf('main', 'top', { top: queue('sales') }), context()));
  });
});
