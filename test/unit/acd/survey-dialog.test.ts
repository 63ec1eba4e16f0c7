import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { askForScore, thanks } from '../../../server/acd/survey/survey-dialog.js';
import { surveyWanted } from '../../../server/acd/survey/post-call-survey.js';
import type { LiveCall } from '../../../server/acd/live-calls.js';
import type { StoredQueue } from '../../../server/acd/queue-repository.js';
import { CallerGone } from '../../../server/ivr/ivr-io.js';
import { fakeIo } from '../ivr/fake-io.js';

const asks = (said: ReturnType<typeof fakeIo>['said']) => said.filter((s) => 'ask' in s) as Array<{ ask: string[]; options: { firstDigitTimeoutMs: number; maxDigits: number } }>;
const en = { language: 'en' as const, timeoutMs: 6000 };

describe('the post-call survey a caller hears', () => {
  it('takes one key from 1 to 5 as the score, waiting the queue\'s time after the question', async () => {
    const { io, said } = fakeIo({ answers: ['4'] });
    assert.deepEqual(await askForScore(io, en), { score: 4, keys: ['4'] });
    const [q] = asks(said);
    assert.match(q!.ask.join(' '), /from 1, poor, to 5, excellent/);
    assert.equal(q!.options.maxDigits, 1);
    assert.equal(q!.options.firstDigitTimeoutMs, 6000);
  });

  it('asks once more after a key that is not a score, with a word on why', async () => {
    const { io, said } = fakeIo({ answers: ['9', '5'] });
    assert.deepEqual(await askForScore(io, en), { score: 5, keys: ['9', '5'] });
    const second = asks(said)[1]!.ask.join(' ');
    assert.match(second, /not a score/);
    assert.match(second, /from 1, poor, to 5/, 'the question is asked again after the apology');
  });

  it('gives up after a second key that is not a score, and after silence at once', async () => {
    const garbage = fakeIo({ answers: ['0', '#'] });
    assert.deepEqual(await askForScore(garbage.io, en), { reason: 'invalid', keys: ['0', '#'] });
    const silent = fakeIo({ answers: [''] });
    assert.deepEqual(await askForScore(silent.io, en), { reason: 'no-input', keys: [''] });
    assert.equal(asks(silent.said).length, 1, 'silence is not asked again');
    const lateSilence = fakeIo({ answers: ['7', ''] });
    assert.deepEqual(await askForScore(lateSilence.io, en), { reason: 'no-input', keys: ['7', ''] });
  });

  it('asks with the queue\'s own prompt when it names one, and speaks Mandarin to a zh caller', async () => {
    const own = fakeIo({ answers: ['3'] });
    await askForScore(own.io, { ...en, promptId: 42 });
    assert.deepEqual(asks(own.said)[0]!.ask, ['sound:uploads/42']);
    const zh = fakeIo({ answers: ['2'] });
    assert.deepEqual(await askForScore(zh.io, { language: 'zh', timeoutMs: 5000 }), { score: 2, keys: ['2'] });
    assert.match(asks(zh.said)[0]!.ask.join(' '), /请按1到5/);
    assert.match((await thanks(zh.io, 'zh')).join(' '), /感谢/);
  });

  it('lets a caller who hangs up during the question through as CallerGone', async () => {
    const { io } = fakeIo({ answers: [new CallerGone()] });
    await assert.rejects(askForScore(io, en), CallerGone);
  });
});

describe('which calls go to the survey', () => {
  const queue = (enabled: boolean) => ({ survey: { enabled, timeoutSec: 6 } }) as unknown as StoredQueue;
  const call = (more: Partial<LiveCall> = {}) => ({ id: 'x', state: 'connected', queue: 'support', agentId: 7, handledBy: '7', ...more }) as LiveCall;

  it('a talk the agent ended, in a queue that asks for it', () => {
    assert.equal(surveyWanted(queue(true), call(), 'agent', 'connected'), true);
  });

  it('not when the caller hung up first, the queue asks for none, or the call was not a plain talk', () => {
    assert.equal(surveyWanted(queue(true), call(), 'caller', 'connected'), false);
    assert.equal(surveyWanted(queue(false), call(), 'agent', 'connected'), false);
    assert.equal(surveyWanted(undefined, call(), 'agent', 'connected'), false);
    assert.equal(surveyWanted(queue(true), call(), 'agent', 'held'), false);
    assert.equal(surveyWanted(queue(true), call(), 'system', 'connected'), false);
    assert.equal(surveyWanted(queue(true), call({ direction: 'outbound' }), 'agent', 'connected'), false);
    assert.equal(surveyWanted(queue(true), call({ leftTo: 'voicemail' }), 'agent', 'connected'), false);
  });

  it('a transferred call is judged by its last talk: the last agent hanging up asks the queue the call ends in', () => {
    // Blind or attended to agent 9, or to another queue where agent 9 answered: 9 owns the call now.
    const transferred = call({ agentId: 9, handledBy: '7,9', queue: 'billing' });
    assert.equal(surveyWanted(queue(true), transferred, 'agent', 'connected'), true);
    assert.equal(surveyWanted(queue(false), transferred, 'agent', 'connected'), false, 'the queue it ended in asks for none');
  });

  it('not when the call ends mid-transfer, in a consultation or a conference, or with a number outside', () => {
    for (const state of ['transferring', 'consulting', 'conference'] as const) {
      assert.equal(surveyWanted(queue(true), call({ state }), 'agent', state), false, state);
    }
    // A blind transfer to a number: the number's leg is the agent leg, but nobody of ours talks.
    assert.equal(surveyWanted(queue(true), call({ agentId: undefined, agentChannel: 'xfer-1-x' }), 'agent', 'connected'), false);
  });
});
