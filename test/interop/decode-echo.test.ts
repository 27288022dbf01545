/**
 * Stereo with talker echo, as real captures have it (the Wireshark sample): the answerer's channel
 * also carries the caller's signal 200 ms later at -6 dB. Frames heard again are marked as echo
 * and not counted; pages decoded again from the echo are not listed twice.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { analyseRecordingFull } from '../../core/decode/recording';

describe('decode: echo between the channels', () => {
  it('v29_9600_noecm.stereo.wav with the caller echoed into the answerer channel', () => {
    const w = parseWav(readFileSync(fixture('calls', 'v29_9600_noecm.stereo.wav')));
    const [caller, answerer] = w.channels as [Float32Array, Float32Array];
    const right = answerer.slice();
    for (let i = 1600; i < right.length; i++) right[i] += 0.5 * caller[i - 1600]!;
    const { report } = analyseRecordingFull([caller, right], 8000);
    const truth = readFileSync(fixture('calls', 'v29_9600_noecm.frames.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l)).filter((l) => l.name && l.modem === 'V.21');
    const real = report.frames.filter((f) => !f.echo && f.fcsOk);
    expect(real.map((f) => f.hex)).toEqual(truth.map((l) => l.hex));
    const echoes = report.frames.filter((f) => f.echo);
    expect(echoes.length).toBeGreaterThan(0);
    expect(echoes.every((e) => e.channel === 1 && truth.some((l) => l.sender === 'caller' && l.hex === e.hex))).toBe(true);
    expect(report.summary.frames).toBe(truth.length);
    expect(report.pages.length).toBe(3);
    expect(report.pages.every((p) => p.channel === 0 && p.badRows === 0)).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/3 page\(s\) heard again as echo/);
  });
});
