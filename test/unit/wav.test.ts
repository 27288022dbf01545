import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { parseWav, encodeWav, WavError } from '../../core/formats/wav';
import { linearToAlaw, linearToUlaw } from '../../core/formats/g711';

function header(tag: number, channels: number, rate: number, bits: number, dataLen: number, extensible = false): Uint8Array {
  const fmtLen = extensible ? 40 : 16;
  const b = new Uint8Array(12 + 8 + fmtLen + 8);
  const dv = new DataView(b.buffer);
  const put = (o: number, s: string) => { for (let i = 0; i < 4; i++) b[o + i] = s.charCodeAt(i); };
  put(0, 'RIFF'); dv.setUint32(4, 4 + 8 + fmtLen + 8 + dataLen, true); put(8, 'WAVE');
  put(12, 'fmt '); dv.setUint32(16, fmtLen, true);
  dv.setUint16(20, extensible ? 0xfffe : tag, true); dv.setUint16(22, channels, true);
  dv.setUint32(24, rate, true); dv.setUint32(28, (rate * channels * bits) / 8, true);
  dv.setUint16(32, (channels * bits) / 8, true); dv.setUint16(34, bits, true);
  if (extensible) { dv.setUint16(36, 22, true); dv.setUint16(38, bits, true); dv.setUint16(44, tag, true); }
  put(20 + fmtLen, 'data'); dv.setUint32(24 + fmtLen, dataLen, true);
  return b;
}

function build(tag: number, bits: number, x: number[][], rate = 8000, extensible = false): Uint8Array {
  const ch = x.length, n = x[0]!.length, bps = bits / 8;
  const data = new Uint8Array(n * ch * bps);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) {
    const v = x[c]![i]!, p = (i * ch + c) * bps;
    if (tag === 1 && bits === 8) dv.setUint8(p, Math.round(v * 128) + 128);
    else if (tag === 1 && bits === 16) dv.setInt16(p, Math.round(v * 32768), true);
    else if (tag === 1 && bits === 24) { const s = Math.round(v * 8388608); dv.setUint8(p, s & 255); dv.setUint8(p + 1, (s >> 8) & 255); dv.setInt8(p + 2, s >> 16); }
    else if (tag === 1 && bits === 32) dv.setInt32(p, Math.round(v * 2147483648), true);
    else if (tag === 3 && bits === 32) dv.setFloat32(p, v, true);
    else if (tag === 3 && bits === 64) dv.setFloat64(p, v, true);
    else if (tag === 6) dv.setUint8(p, linearToAlaw(v * 32768));
    else if (tag === 7) dv.setUint8(p, linearToUlaw(v * 32768));
  }
  const h = header(tag, ch, rate, bits, data.length, extensible);
  const out = new Uint8Array(h.length + data.length);
  out.set(h); out.set(data, h.length);
  return out;
}

const sig = [Array.from({ length: 400 }, (_, i) => 0.5 * Math.sin(i * 0.3)), Array.from({ length: 400 }, (_, i) => 0.25 * Math.cos(i * 0.07))];

describe('WAV reader', () => {
  const cases: [string, number, number, number][] = [
    ['pcm8', 1, 8, 1 / 128], ['pcm16', 1, 16, 1 / 32768], ['pcm24', 1, 24, 1e-6], ['pcm32', 1, 32, 1e-7],
    ['float32', 3, 32, 1e-7], ['float64', 3, 64, 1e-7], ['alaw', 6, 8, 0.02], ['ulaw', 7, 8, 0.02],
  ];
  for (const [name, tag, bits, tol] of cases) {
    for (const ext of [false, true]) {
      it(`reads ${name} stereo${ext ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''}`, () => {
        const w = parseWav(build(tag, bits, sig, 44100, ext));
        expect(w.format).toBe(name);
        expect(w.sampleRate).toBe(44100);
        expect(w.channels.length).toBe(2);
        for (let c = 0; c < 2; c++) for (let i = 0; i < 400; i++) expect(Math.abs(w.channels[c]![i]! - sig[c]![i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(sig[c]![i]!) * 4));
      });
    }
  }

  it('reads the fixture call recordings (mono and stereo, 8 kHz s16)', () => {
    const m = parseWav(readFileSync(fixture('calls', 'v29_9600_noecm.wav')));
    expect(m.channels.length).toBe(1);
    expect(m.sampleRate).toBe(8000);
    expect(m.channels[0]!.length).toBe((1307564 - 44) / 2);
    const s = parseWav(readFileSync(fixture('calls', 'v29_9600_noecm.stereo.wav')));
    expect(s.channels.length).toBe(2);
  });

  it('round-trips what encodeWav writes', () => {
    const x = [Float32Array.from(sig[0]!)];
    const w = parseWav(encodeWav(x, 8000));
    for (let i = 0; i < 400; i++) expect(Math.abs(w.channels[0]![i]! - x[0]![i]!)).toBeLessThanOrEqual(1 / 32768);
    const f = parseWav(encodeWav(x, 16000, 'float32'));
    expect(Array.from(f.channels[0]!)).toEqual(Array.from(x[0]!));
  });

  it('gives one-line errors for bad input', () => {
    const good = build(1, 16, sig, 8000);
    const bad: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /empty/],
      [new TextEncoder().encode('hello world, this is not audio at all'), /not a WAV/],
      [Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 255), /not a WAV/],
      [good.slice(0, 30), /truncated/],
      [good.slice(0, 200), /truncated WAV: data chunk declares/],
      [build(2, 4, [[0, 0, 0, 0]]), /unsupported WAV sample format/],
      [header(1, 1, 8000, 16, 0).slice(0, 44), /no audio samples/],
    ];
    for (const [b, re] of bad) {
      let err: unknown;
      try { parseWav(b); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(WavError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message.includes('\n')).toBe(false);
    }
    const lenient = parseWav(good.slice(0, 200), { lenient: true });
    expect(lenient.channels[0]!.length).toBe(39);
    expect(lenient.warnings.length).toBe(1);
  });
});
