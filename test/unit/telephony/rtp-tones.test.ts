// The test-side tone detector the monitoring test relies on: if it could not tell tones
// apart, "the caller does not hear the supervisor" would prove nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { muLawDecode, muLawEncode, toneAmplitude } from '../../support/rtp.js';

const tone = (hz: number, amp: number, n = 8000) => Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / 8000));
const viaMuLaw = (s: number[]) => s.map((x) => muLawDecode(muLawEncode(x)));

describe('tone detection through G.711 mu-law', () => {
  it('mu-law keeps a sample within a few percent', () => {
    for (const x of [0, 100, -100, 1000, -5000, 6000, 30000]) assert.ok(Math.abs(muLawDecode(muLawEncode(x)) - x) <= Math.max(8, Math.abs(x) * 0.04), String(x));
  });

  it('finds each tone of a mix at its level and hears nothing at the frequencies absent', () => {
    const a = tone(450, 6000);
    const b = tone(1050, 6000);
    const mix = viaMuLaw(a.map((x, i) => x + b[i]!));
    assert.ok(Math.abs(toneAmplitude(mix, 450) - 6000) < 600);
    assert.ok(Math.abs(toneAmplitude(mix, 1050) - 6000) < 600);
    assert.ok(toneAmplitude(mix, 1650) < 200, `1650 Hz: ${toneAmplitude(mix, 1650)}`);
  });

  it('silence has no tone', () => {
    assert.equal(toneAmplitude(viaMuLaw(new Array(8000).fill(0)), 450) < 50, true);
  });
});
