/**
 * The analyser under continuous white noise (also in the silences, the case that stops spandsp's
 * own calls, README gotcha 10): a clean spandsp call with noise at -34 dBm0 added (20 dB below the
 * -14 dBm0 signals) must still give every V.21 frame with good FCS and the pages as sent.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { readTiff } from '../../core/formats/tiff';
import { analyseRecordingFull } from '../../core/decode/recording';

const sent = readTiff(new Uint8Array(readFileSync(fixture('pages', 'doc_std_3p_g3-2d.tif')))).map((p) => p.image);

describe('decode: continuous noise', () => {
  it('v29_9600_noecm + white noise at -34 dBm0: all frames, pages as sent', () => {
    const w = parseWav(readFileSync(fixture('calls', 'v29_9600_noecm.wav')));
    const x = w.channels[0]!.slice();
    let s = 1;
    const u = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) + 1) / 0x80000001;
    const sigma = Math.sqrt(Math.pow(10, (-34 - 6.16) / 10));
    for (let i = 0; i < x.length; i++) x[i] += sigma * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const truth = readFileSync(fixture('calls', 'v29_9600_noecm.frames.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l)).filter((l) => l.name && l.modem === 'V.21').map((l) => l.hex);
    const { report, images } = analyseRecordingFull([x], 8000);
    expect(report.frames.filter((f) => f.fcsOk).map((f) => f.hex)).toEqual(truth);
    expect(report.pages.length).toBe(3);
    images.forEach((img, i) => expect(Buffer.from(img.data).equals(Buffer.from(sent[i]!.data))).toBe(true));
  });
});
