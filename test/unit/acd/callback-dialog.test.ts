import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confirmCallbackNumber } from '../../../server/acd/callbacks/confirm-dialog.js';
import { CallerGone } from '../../../server/ivr/ivr-io.js';
import { fakeIo } from '../ivr/fake-io.js';

const asked = (said: ReturnType<typeof fakeIo>['said']) => said.filter((s) => 'ask' in s) as Array<{ ask: string[] }>;
const nth = (said: ReturnType<typeof fakeIo>['said'], i: number) => asked(said)[i]?.ask ?? [];

describe('the callback confirmation a waiting caller hears', () => {
  it('reads back the caller id and confirms it with 1', async () => {
    const { io, said } = fakeIo({ answers: ['1'] });
    const r = await confirmCallbackNumber(io, '+44 20 7946-0000', 'en');
    assert.deepEqual(r, { kind: 'confirmed', number: '+442079460000', keys: ['1'] });
    assert.ok(nth(said, 0).includes('digits:442079460000'), 'the number is read back digit by digit');
    assert.match(JSON.stringify(said.at(-1)), /call you back/);
  });

  it('lets the caller enter another number with 2, then confirms that one', async () => {
    const { io, said } = fakeIo({ answers: ['2', '5557001', '1'] });
    const r = await confirmCallbackNumber(io, '5551234', 'en');
    assert.deepEqual(r, { kind: 'confirmed', number: '5557001', keys: ['2', '1'] });
    const asks = asked(said);
    assert.equal(asks.length, 3);
    assert.ok(nth(said, 2).includes('digits:5557001'));
  });

  it('asks for a number at once when the caller id is anonymous', async () => {
    const { io, said } = fakeIo({ answers: ['5557002', '1'] });
    const r = await confirmCallbackNumber(io, 'anonymous', 'en');
    assert.deepEqual(r, { kind: 'confirmed', number: '5557002', keys: ['1'] });
    assert.match(nth(said, 0).join(' '), /enter the number/);
  });

  it('refuses a too short number and asks again', async () => {
    const { io, said } = fakeIo({ answers: ['12', '5557003', '1'] });
    const r = await confirmCallbackNumber(io, '', 'en');
    assert.deepEqual(r, { kind: 'confirmed', number: '5557003', keys: ['1'] });
    assert.ok(said.some((s) => 'play' in s && s.play.join(' ').includes('not a number we can call')));
  });

  it('star keeps the caller waiting, silence three times too', async () => {
    const star = fakeIo({ answers: ['*'] });
    assert.deepEqual(await confirmCallbackNumber(star.io, '5551234', 'en'), { kind: 'declined', reason: 'caller', keys: ['*'] });
    const silent = fakeIo({ otherwise: '' });
    assert.deepEqual(await confirmCallbackNumber(silent.io, '5551234', 'en'), { kind: 'declined', reason: 'no-confirmation', keys: ['', '', ''] });
    assert.equal(asked(silent.said).length, 3);
  });

  it('speaks Mandarin to a caller whose language is zh', async () => {
    const { io, said } = fakeIo({ answers: ['1'] });
    await confirmCallbackNumber(io, '5551234', 'zh');
    assert.match(nth(said, 0).join(' '), /回拨/);
  });

  it('lets a hang-up through to the caller of the dialog', async () => {
    const { io } = fakeIo({ answers: [new CallerGone()] });
    await assert.rejects(confirmCallbackNumber(io, '5551234', 'en'), CallerGone);
  });
});
