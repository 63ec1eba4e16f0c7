import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowAfter } from '../../../server/acd/ivr-progress.js';

const at = '2025-03-03T09:00:00.000Z';

describe('the flow a caller is in after a step', () => {
  it('is the step\'s own flow for an ordinary step', () => {
    assert.equal(flowAfter({ flow: 'main', step: 'menu', type: 'menu', input: '1', result: 'option:1', at }), 'main');
  });

  it('is the target of a flow step that jumped', () => {
    assert.equal(flowAfter({ flow: 'main', step: 'to-cards', type: 'flow', result: 'flow:cards', at }), 'cards');
  });

  it('stays the step\'s own flow when the target was missing (the call hangs up there)', () => {
    assert.equal(flowAfter({ flow: 'main', step: 'to-cards', type: 'flow', result: 'missing-flow', at }), 'main');
  });
});
