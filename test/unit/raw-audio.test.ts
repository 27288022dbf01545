import { describe, it, expect } from 'vitest';
import { decodeRawAudio, encodeS16le, rawEncodingFromName } from '../../core/formats/raw-audio';
import { encodeG711 } from '../../core/formats/g711';

describe('raw audio', () => {
  const tone = new Float32Array(800);
  for (let i = 0; i < tone.length; i++) tone[i] = 0.25 * Math.sin((2 * Math.PI * 1000 * i) / 8000);

  it('decodes s16le exactly (values on the s16 grid)', () => {
    const q = tone.map((v) => Math.round(v * 32768) / 32768 + 0); // + 0: no negative zeros
    const r = decodeRawAudio(encodeS16le(q));
    expect(r.encoding).toBe('s16le');
    expect(r.sampleRate).toBe(8000);
    expect(Array.from(r.samples)).toEqual(Array.from(q));
    expect(r.warnings).toEqual([]);
  });

  it('decodes little-endian byte order and the sign', () => {
    const r = decodeRawAudio(Uint8Array.of(0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f), { encoding: 's16le' });
    expect(Array.from(r.samples).map((v) => v * 32768)).toEqual([1, -1, -32768, 32767]);
  });

  it('decodes µ-law and A-law within G.711 quantisation error', () => {
    for (const enc of ['ulaw', 'alaw'] as const) {
      const r = decodeRawAudio(encodeG711(enc, tone), { encoding: enc, sampleRate: 16000 });
      expect(r.sampleRate).toBe(16000);
      let worst = 0;
      for (let i = 0; i < tone.length; i++) worst = Math.max(worst, Math.abs(r.samples[i]! - tone[i]!) / Math.max(Math.abs(tone[i]!), 1 / 256));
      expect(worst).toBeLessThan(0.07); // a 4-bit mantissa: under 1/16 relative error
    }
  });

  it('guesses the encoding from the file name', () => {
    expect(rawEncodingFromName('call.ul')).toBe('ulaw');
    expect(rawEncodingFromName('call.PCMA')).toBe('alaw');
    expect(rawEncodingFromName('call.sln')).toBe('s16le');
    expect(rawEncodingFromName('call')).toBeUndefined();
    expect(decodeRawAudio(Uint8Array.of(0xd5), { name: 'x.alaw' }).samples[0]).toBe(8 / 32768);
  });

  it('warns on odd lengths and empty input, refuses silly rates', () => {
    expect(decodeRawAudio(Uint8Array.of(1, 2, 3)).warnings.join()).toMatch(/odd number of bytes/);
    expect(decodeRawAudio(new Uint8Array(0)).warnings.join()).toMatch(/empty/);
    expect(() => decodeRawAudio(new Uint8Array(4), { sampleRate: 0 })).toThrow(/sample rate/);
    expect(() => decodeRawAudio(new Uint8Array(4), { sampleRate: Number.NaN })).toThrow(/sample rate/);
  });
});
