import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { SOUNDS, sayMedia } from '../../../server/ivr/say-media.js';

describe('say media', () => {
  it('says an integer as an ARI number', () => {
    assert.deepEqual(sayMedia('42', 'number', 'en'), ['number:42']);
    assert.deepEqual(sayMedia(' -7 ', 'number', 'en'), ['number:-7']);
    assert.deepEqual(sayMedia('007', 'number', 'en'), ['number:7']);
  });

  it('refuses what ARI cannot say as a number: decimals, words, values beyond a C int', () => {
    for (const v of ['12.5', 'twelve', '', '2147483648', '1e3']) assert.equal(sayMedia(v, 'number', 'en'), undefined, v);
    assert.deepEqual(sayMedia('2147483647', 'number', 'en'), ['number:2147483647']);
  });

  it('says digits one by one, keys included', () => {
    assert.deepEqual(sayMedia('1234', 'digits', 'en'), ['digits:1234']);
    assert.deepEqual(sayMedia('12*#', 'digits', 'en'), ['digits:12*#']);
    assert.equal(sayMedia('12a4', 'digits', 'en'), undefined);
    assert.equal(sayMedia('', 'digits', 'en'), undefined);
  });

  it('says a date as weekday, month, ordinal day and year from core sounds', () => {
    assert.deepEqual(sayMedia('2024-03-15', 'date', 'en'), ['sound:digits/day-5', 'sound:digits/mon-2', 'sound:digits/h-15', 'number:2024']);
    assert.deepEqual(sayMedia('2024-01-21T10:00:00Z', 'date', 'en'), ['sound:digits/day-0', 'sound:digits/mon-0', 'sound:digits/20', 'sound:digits/h-1', 'number:2024']);
    assert.deepEqual(sayMedia('2024-12-30', 'date', 'en')?.slice(2, 3), ['sound:digits/h-30']);
  });

  it('refuses impossible or malformed dates', () => {
    for (const v of ['2024-02-30', '2023-02-29', '15/03/2024', '2024-3-5', 'soon']) assert.equal(sayMedia(v, 'date', 'en'), undefined, v);
  });

  it('says an amount as dollars and a number of cents (there is no "cents" core sound)', () => {
    assert.deepEqual(sayMedia('12.50', 'amount', 'en'), ['number:12', 'sound:digits/dollars', 'sound:vm-and', 'number:50']);
    assert.deepEqual(sayMedia('12.5', 'amount', 'en'), ['number:12', 'sound:digits/dollars', 'sound:vm-and', 'number:50']);
    assert.deepEqual(sayMedia('12', 'amount', 'en'), ['number:12', 'sound:digits/dollars']);
    assert.deepEqual(sayMedia('1.05', 'amount', 'en'), ['number:1', 'sound:letters/dollar', 'sound:vm-and', 'number:5']);
    assert.deepEqual(sayMedia('-3.00', 'amount', 'en'), ['sound:digits/minus', 'number:3', 'sound:digits/dollars']);
    for (const v of ['12.345', '$12', '12,50', 'abc']) assert.equal(sayMedia(v, 'amount', 'en'), undefined, v);
  });

  it('in Mandarin, for want of Chinese core sounds, says numbers, dates and amounts digit by digit', () => {
    assert.deepEqual(sayMedia('42', 'number', 'zh'), ['digits:42']);
    assert.deepEqual(sayMedia('2024-03-15', 'date', 'zh'), ['digits:2024', 'digits:3', 'digits:15']);
    assert.deepEqual(sayMedia('12.50', 'amount', 'zh'), ['digits:12', 'sound:letters/dot', 'digits:50']);
    assert.deepEqual(sayMedia('1234', 'digits', 'zh'), ['digits:1234']);
  });

  // Guards the file names against the installed sounds; skipped where Asterisk is not installed.
  const root = process.env.CC_ASTERISK_ROOT ?? '/opt/cc/asterisk-root';
  const soundsDir = ['en_US_f_Allison', 'en']
    .flatMap((lang) => [join(root, 'usr/share/asterisk/sounds', lang), join('/usr/share/asterisk/sounds', lang)])
    .find((d) => existsSync(join(d, 'digits')));
  it('names only sound files that exist in the installed English core sounds', { skip: soundsDir === undefined && 'no Asterisk sounds installed' }, () => {
    const media = [
      ...['2024-01-01', '2024-06-09', '2024-12-23', '2024-02-29', '2024-07-31', '2024-05-20'].flatMap((d) => sayMedia(d, 'date', 'en') ?? []),
      ...Array.from({ length: 31 }, (_, i) => sayMedia(`2024-01-${String(i + 1).padStart(2, '0')}`, 'date', 'en') ?? []).flat(),
      ...Array.from({ length: 12 }, (_, i) => sayMedia(`2024-${String(i + 1).padStart(2, '0')}-01`, 'date', 'en') ?? []).flat(),
      ...(sayMedia('-1.25', 'amount', 'en') ?? []), ...(sayMedia('2.25', 'amount', 'zh') ?? []), SOUNDS.dollars,
    ];
    const sounds = [...new Set(media.filter((m) => m.startsWith('sound:')).map((m) => m.slice('sound:'.length)))];
    assert.ok(sounds.length > 30);
    for (const s of sounds) {
      const dir = join(soundsDir ?? '', dirname(s));
      assert.ok(existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(`${basename(s)}.`)), `missing sound ${s}`);
    }
  });
});
