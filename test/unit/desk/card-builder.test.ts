import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assembleCard, attributes, ivrSteps, type CallFacts } from '../../../server/desk/card-builder.js';

const call: CallFacts = {
  interactionId: '0f8fad5b-d9cb-469f-a165-70867728950e', direction: 'inbound', callerNumber: '8613800138000', callerName: '',
  did: '5551000', queue: 'support', enteredAt: '2026-11-21T10:00:00.000Z', queuedAt: '2026-11-21T10:00:12.000Z',
  ivrPath: JSON.stringify([
    { flow: 'main', step: 'top', type: 'menu', input: '2', result: 'option:2', at: '2026-11-21T10:00:05.000Z' },
    { flow: 'main', step: 'account', type: 'collect', input: '****', at: '2026-11-21T10:00:10.000Z' },
  ]),
  attrs: JSON.stringify({ topic: 'billing', account: '1234', priority: 5, nested: { a: 1 } }),
};

describe('the screen-pop card', () => {
  it('given a live call with an IVR walk, the card lists each step with what was pressed and what it decided', () => {
    assert.deepEqual(ivrSteps(call.ivrPath), [
      { flow: 'main', step: 'top', input: '2', result: 'option:2' },
      { flow: 'main', step: 'account', input: '****' },
    ]);
  });

  it('given attributes with routing internals and objects, only the plain values the agent needs are shown', () => {
    assert.deepEqual(attributes(call.attrs), { topic: 'billing', account: '1234' });
  });

  it('given a stored row (JSON columns already parsed by the driver) or garbage, the card still builds', () => {
    assert.deepEqual(ivrSteps([{ flow: 'f', step: 's' }]), [{ flow: 'f', step: 's' }]);
    assert.deepEqual(ivrSteps('not json'), []);
    assert.deepEqual(ivrSteps(null), []);
    assert.deepEqual(attributes('[1,2]'), {});
    assert.deepEqual(attributes({ lang: 'zh' }), { lang: 'zh' });
  });

  it('given no customer, the card says so (null) and an empty caller name becomes null', () => {
    const card = assembleCard(call, { history: [], dispositions: [] });
    assert.equal(card.customer, null);
    assert.equal(card.callerName, null);
    assert.equal(card.queue, 'support');
    assert.equal(card.queuedAt, '2026-11-21T10:00:12.000Z');
  });
});
