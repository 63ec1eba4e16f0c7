import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor, parseTime, toFilter } from '../../../server/records/search-filter.js';
import { AppError } from '../../../server/core/errors.js';

const forms = (raw: string) => [`form:${raw}`];
const refusedWith = (code: string) => (err: unknown) => err instanceof AppError && err.statusCode === 400 && err.code === code;

describe('search filter', () => {
  it('reads ISO dates and times, UTC unless a zone is given', () => {
    assert.equal(parseTime('from', '2026-03-10').toISOString(), '2026-03-10T00:00:00.000Z');
    assert.equal(parseTime('from', '2026-03-10T09:30').toISOString(), '2026-03-10T09:30:00.000Z');
    assert.equal(parseTime('from', '2026-03-10 09:30:15.5').toISOString(), '2026-03-10T09:30:15.500Z');
    assert.equal(parseTime('from', '2026-03-10T09:30:00+08:00').toISOString(), '2026-03-10T01:30:00.000Z');
    // Without a zone, a time is on the contact center's clock.
    assert.equal(parseTime('from', '2026-03-10T09:30', 'Asia/Shanghai').toISOString(), '2026-03-10T01:30:00.000Z');
    assert.equal(parseTime('from', '2026-03-10', 'Asia/Shanghai').toISOString(), '2026-03-09T16:00:00.000Z');
    assert.equal(parseTime('from', '2026-03-10T09:30:00Z', 'Asia/Shanghai').toISOString(), '2026-03-10T09:30:00.000Z');
  });

  it('refuses times that do not exist instead of rolling them over', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-03-10T24:00', '2026-03-10T10:61', 'yesterday', '10/03/2026', '1969-12-31', '']) {
      assert.throws(() => parseTime('to', bad), refusedWith('invalid-time'), bad);
    }
  });

  it('refuses a reversed or empty time range and a reversed talk range', () => {
    assert.throws(() => toFilter({ from: '2026-03-11', to: '2026-03-10' }, forms), refusedWith('invalid-time-range'));
    assert.throws(() => toFilter({ from: '2026-03-10', to: '2026-03-10T00:00:00Z' }, forms), refusedWith('invalid-time-range'));
    assert.throws(() => toFilter({ minTalk: 31, maxTalk: 30 }, forms), refusedWith('invalid-talk-range'));
  });

  it('treats blank fields as absent, and keeps whole seconds of talk inclusive', () => {
    assert.deepEqual(toFilter({ from: ' ', number: '', queue: '  ', outcome: '' }, forms), {});
    assert.deepEqual(toFilter({ minTalk: 30, maxTalk: 30 }, forms), { minTalkMs: 30_000, maxTalkMs: 30_999 });
  });

  it('a number becomes its delivered forms and its digits; anything else is refused', () => {
    assert.deepEqual(toFilter({ number: '+44 (20) 7946-0958' }, forms), { numberDigits: '442079460958', numberForms: ['form:+44 (20) 7946-0958'] });
    assert.deepEqual(toFilter({ number: '0958' }, forms).numberDigits, '0958');
    for (const bad of ['anonymous', '12+34', '1'.repeat(21), '%']) assert.throws(() => toFilter({ number: bad }, forms), refusedWith('invalid-number'), bad);
  });

  it('a cursor round-trips, and a forged one is refused', () => {
    const c = { at: new Date('2026-03-10T10:00:00.123Z'), id: '6f1c1f56-6a37-4a3f-9d0b-1b6c0b9f0a11' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    for (const bad of ['x', Buffer.from('2026-03-10T10:00:00Z').toString('base64url'), Buffer.from("2026-03-10|' OR 1=1").toString('base64url'), Buffer.from('a|b|c').toString('base64url')]) {
      assert.throws(() => decodeCursor(bad), refusedWith('invalid-cursor'), bad);
    }
  });
});
