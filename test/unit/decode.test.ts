/**
 * The analyser on signals we make ourselves: a synthetic exchange (CNG, CED, V.21 messages built
 * with our HDLC and frame encoders) at 44.1 kHz stereo float, and a fixture call re-encoded as
 * headerless µ-law; plus garbage that must give no frames and no exception.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { FaxToneTx } from '../../core/tones/fax-tones-tx';
import { V21Transmitter } from '../../core/modems/v21-tx';
import { HdlcTx } from '../../core/hdlc/hdlc-tx';
import { encodeFrame } from '../../core/t30/frames';
import { encodeIdent } from '../../core/t30/ident';
import { buildDis, buildDcs } from '../../core/t30/dis';
import { resample } from '../../core/dsp/resample';
import { encodeWav, parseWav } from '../../core/formats/wav';
import { encodeG711 } from '../../core/formats/g711';
import { decodeInput } from '../../core/decode/input';
import { analyseRecording } from '../../core/decode/recording';

function v21Message(frames: Uint8Array[]): Float32Array {
  const h = new HdlcTx();
  h.sendMessage(frames);
  const tx = new V21Transmitter(h.getBit);
  const out = new Float32Array(8000 * 4);
  const n = tx.tx(out);
  return out.slice(0, n);
}

describe('decode: synthetic calls', () => {
  it('finds tones and frames in a 44.1 kHz stereo float WAV, each direction on its own channel', () => {
    const caller = new Float32Array(8000 * 12);
    const answerer = new Float32Array(8000 * 12);
    new FaxToneTx('CNG').tx(caller, 0, 8000);
    new FaxToneTx('CED', { cedMs: 3000 }).tx(answerer, 1000);
    const dis = v21Message([
      encodeFrame('CSI', encodeIdent('+44 1234 567'), { final: false }),
      encodeFrame('DIS', buildDis({ modems: { v27ter: true, v29: true, v17: true }, fine: true, ecm: true })),
    ]);
    answerer.set(dis, 8000 * 4 + 600);
    const dcs = v21Message([
      encodeFrame('TSI', encodeIdent('WEBFAX TEST'), { final: false, fromCaller: true }),
      encodeFrame('DCS', buildDcs({ modem: 'V.17', bitRate: 12000, fine: true }), { fromCaller: true }),
    ]);
    caller.set(dcs, 8000 * 4 + 600 + dis.length + 600);
    const wav = encodeWav([resample(caller, 8000, 44100), resample(answerer, 8000, 44100)], 44100, 'float32');
    const r = decodeInput('synthetic.wav', wav).report;
    expect(r.sampleRate).toBe(44100);
    expect(r.frames.map((f) => [f.name, f.channel, f.fcsOk])).toEqual([['CSI', 1, true], ['DIS', 1, true], ['TSI', 0, true], ['DCS', 0, true]]);
    expect(r.summary.ids).toEqual({ csi: '+44 1234 567', tsi: 'WEBFAX TEST' });
    expect(r.summary).toMatchObject({ modem: 'V.17', bitRate: 12000 });
    expect(r.tones.map((t) => [t.kind, t.channel])).toEqual([['CNG', 0], ['CED', 1]]);
    const ced = r.tones[1]!;
    expect(Math.abs(ced.start - 1000 / 8000)).toBeLessThan(0.02);
    expect(Math.abs(ced.end - 25000 / 8000)).toBeLessThan(0.02);
    // The DIS frame starts after the CSI: 38 preamble flags (1.01 s) + CSI (25 octets + flags)
    const csi = r.frames[0]!;
    expect(Math.abs(csi.t - (4 * 8000 + 600 + 38 * 8 * 8000 / 300) / 8000)).toBeLessThan(0.01);
  });

  it('decodes a fixture call given as headerless µ-law (.ul) at 8 kHz', () => {
    const w = parseWav(readFileSync(fixture('calls', 'v29_9600_noecm.wav')));
    const ul = encodeG711('ulaw', w.channels[0]!.subarray(0, 8000 * 12));
    const r = decodeInput('tap.ul', ul).report;
    expect(r.frames.filter((f) => f.fcsOk).map((f) => f.name)).toEqual(['CSI', 'DIS', 'TSI', 'DCS', 'CFR']);
  });

  it('music (chords of changing notes, 44.1 kHz stereo) gives no frames, no tones, no exception', () => {
    const rate = 44100, n = rate * 8;
    const l = new Float32Array(n), r = new Float32Array(n);
    const notes = [262, 330, 392, 523, 440, 349, 294, 587, 659, 784, 880, 1047];
    for (let i = 0; i < n; i++) {
      const k = Math.floor(i / (rate / 4)); // a new chord every 250 ms
      let v = 0;
      for (let j = 0; j < 3; j++) {
        const f = notes[(k * 5 + j * 3) % notes.length]!;
        v += Math.sin((2 * Math.PI * f * i) / rate) * 0.15 + Math.sin((4 * Math.PI * f * i) / rate) * 0.05;
      }
      l[i] = v;
      r[i] = 0.8 * v;
    }
    const { report } = decodeInput('music.wav', encodeWav([l, r], rate, 'pcm16'));
    expect(report.frames).toEqual([]);
    expect(report.tones).toEqual([]);
    expect(report.pages).toEqual([]);
  });

  it('garbage and silence give an empty report, never an exception', () => {
    let s = 7;
    const noise = Float32Array.from({ length: 8000 * 20 }, () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 0.3);
    const r = analyseRecording([noise, new Float32Array(8000 * 20)], 8000);
    expect(r.frames.filter((f) => f.fcsOk)).toEqual([]);
    expect(r.tones).toEqual([]);
    expect(r.summary.verdict).toMatch(/No fax control frames|damaged/);
    expect(() => decodeInput('x.raw', Uint8Array.from({ length: 32001 }, (_, i) => (i * 31) & 255))).not.toThrow();
  });
});
