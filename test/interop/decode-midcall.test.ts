/**
 * Recordings that start in the middle of a call, after the DCS: the analyser has to find the
 * modem by probing and the coding by trying; the pages must still be the document that was sent
 * (decoded by libtiff-checked readTiff from fixtures/pages).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { readTiff } from '../../core/formats/tiff';
import { analyseRecordingFull } from '../../core/decode/recording';
import { createTransmitter } from '../../core/modems/registry';
import { END_OF_DATA } from '../../core/modems/types';
import { T4PageBitSource } from '../../core/t4/encode';

const sent = readTiff(new Uint8Array(readFileSync(fixture('pages', 'doc_std_3p_g3-2d.tif')))).map((p) => p.image);

describe('decode: recording starts after the DCS', () => {
  for (const [call, from, ecm] of [['v29_9600_noecm', 7.2, false], ['v27ter_4800_noecm', 7.2, false], ['v17_14400_ecm', 6.95, true]] as const) {
    it(`${call} from ${from} s: modem probed, pages as sent`, () => {
      const w = parseWav(readFileSync(fixture('calls', `${call}.wav`)));
      const { report, images } = analyseRecordingFull([w.channels[0]!.subarray(Math.round(from * 8000))], 8000);
      expect(report.frames.some((f) => f.name === 'DCS')).toBe(false);
      expect(report.pages.length).toBe(3);
      report.pages.forEach((p, i) => {
        expect(p).toMatchObject({ guessed: true, ecm, badRows: 0, rows: sent[i]!.height });
        expect(Buffer.from(images[i]!.data).equals(Buffer.from(sent[i]!.data))).toBe(true);
      });
    });
  }
});

/** Cut a fixture call between two times (s) taken from its frames.jsonl. */
function cut(call: string, from: number, to = Infinity): Float32Array {
  const x = parseWav(readFileSync(fixture('calls', `${call}.wav`))).channels[0]!;
  return x.subarray(Math.round(from * 8000), Math.min(x.length, Math.round(to * 8000)));
}

function fastTx(call: string): { event: string; what: string; t: number }[] {
  return readFileSync(fixture('calls', `${call}.frames.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => /^fast_tx_/.test(e.event ?? ''));
}

describe('decode: recording starts after the TCF (V.17 pages use the short training)', () => {
  // noisy_gated-snr20_v17_ecm: V.17 12000 after an FTT at 14400, ECM blocks repeated after PPRs.
  for (const [call, ecm, modem, rate] of [['v17_14400_noecm', false, 'V.17', 14400], ['v17_14400_ecm', true, 'V.17', 14400], ['v29_9600_noecm', false, 'V.29', 9600], ['noisy_gated-snr20_v17_ecm', true, 'V.17', 12000]] as const) {
    it(`${call}: 0.5 s after the (last) TCF ends, all pages as sent`, () => {
      const tcfEnd = fastTx(call).filter((e) => e.event === 'fast_tx_end' && e.what === 'tcf').pop()!.t;
      const after = fastTx(call).filter((e) => e.event === 'fast_tx_start' && e.t > tcfEnd).length;
      const { report, images } = analyseRecordingFull([cut(call, tcfEnd + 0.5)], 8000);
      expect(report.bursts.filter((b) => b.what === 'tcf')).toEqual([]);
      expect(report.bursts.filter((b) => b.training === 'succeeded').map((b) => [b.modem, b.bitRate, b.what])).toEqual(Array.from({ length: after }, () => [modem, rate, ecm ? 'ecm' : 'page']));
      expect(report.pages.length).toBe(3);
      report.pages.forEach((p, i) => {
        expect(p).toMatchObject({ number: i + 1, guessed: true, ecm, badRows: 0, rows: sent[i]!.height });
        expect(p.partial).toBeUndefined();
        expect(Buffer.from(images[i]!.data).equals(Buffer.from(sent[i]!.data))).toBe(true);
      });
    });
  }
});

describe('decode: recording starts and ends mid-page', () => {
  for (const call of ['v17_14400_noecm', 'v29_9600_noecm']) {
    it(`${call}: from 5 s into page 1 to 4 s into page 3`, () => {
      const starts = fastTx(call).filter((e) => e.event === 'fast_tx_start' && e.what === 'page').map((e) => e.t);
      const { report, images } = analyseRecordingFull([cut(call, starts[0]! + 5, starts[2]! + 4)], 8000);
      // Page 1 cannot be trained on (its training is before the cut): it is counted, not decoded.
      expect(report.warnings.join(' ')).toMatch(/1 page\(s\) before page 2/);
      expect(report.pages.map((p) => [p.number, p.partial])).toEqual([[2, undefined], [3, 'end']]);
      expect(Buffer.from(images[0]!.data).equals(Buffer.from(sent[1]!.data))).toBe(true);
      // Page 3 up to where the recording ends: its rows are the first rows of the page sent
      // (the row cut in two by the end of the recording is bad).
      const p3 = report.pages[1]!;
      expect(p3.badRows).toBeLessThanOrEqual(1);
      expect(p3.rows).toBeGreaterThan(50);
      expect(p3.rows).toBeLessThan(sent[2]!.height);
      const stride = (sent[2]!.width + 7) >> 3;
      const good = (p3.rows - p3.badRows) * stride;
      expect(Buffer.from(images[1]!.data.subarray(0, good)).equals(Buffer.from(sent[2]!.data.subarray(0, good)))).toBe(true);
      expect(report.summary.verdict).toMatch(/page 3 \(partial: the recording ends during it/);
    });
  }
});

describe('decode: ECM recording starts during a block', () => {
  it('v17_14400_ecm from 5 s into page 1: pages 2 and 3 as sent, numbered so', () => {
    const starts = fastTx('v17_14400_ecm').filter((e) => e.event === 'fast_tx_start' && e.what === 'ecm_block').map((e) => e.t);
    const { report, images } = analyseRecordingFull([cut('v17_14400_ecm', starts[0]! + 5)], 8000);
    expect(report.pages.map((p) => [p.number, p.ecm, p.partial])).toEqual([[2, true, undefined], [3, true, undefined]]);
    expect(report.warnings.join(' ')).toMatch(/1 page\(s\) before page 2/);
    images.forEach((im, i) => expect(Buffer.from(im.data).equals(Buffer.from(sent[i + 1]!.data))).toBe(true));
  });
});

describe('decode: ECM recording ends during a block', () => {
  it('v17_14400_ecm from after the TCF to 8 s into page 2: page 1 whole, page 2 up to the cut', () => {
    const ev = fastTx('v17_14400_ecm');
    const tcfEnd = ev.find((e) => e.event === 'fast_tx_end' && e.what === 'tcf')!.t;
    const starts = ev.filter((e) => e.event === 'fast_tx_start' && e.what === 'ecm_block').map((e) => e.t);
    const { report, images } = analyseRecordingFull([cut('v17_14400_ecm', tcfEnd + 0.5, starts[1]! + 8)], 8000);
    expect(report.pages.map((p) => [p.number, p.ecm, p.partial])).toEqual([[1, true, undefined], [2, true, 'end']]);
    expect(Buffer.from(images[0]!.data).equals(Buffer.from(sent[0]!.data))).toBe(true);
    // T.6 stops at the first row the missing frames cut; every row before it is the page sent.
    const p2 = report.pages[1]!;
    const stride = (sent[1]!.width + 7) >> 3;
    expect(p2.rows).toBeGreaterThan(100);
    expect(p2.rows).toBeLessThan(sent[1]!.height);
    expect(p2.badRows).toBeLessThanOrEqual(1);
    const good = (p2.rows - p2.badRows) * stride;
    expect(Buffer.from(images[1]!.data.subarray(0, good)).equals(Buffer.from(sent[1]!.data.subarray(0, good)))).toBe(true);
    expect(report.summary.verdict).toMatch(/page 2 \(partial: the recording ends during it/);
  });
});

describe('decode: no DCS, lower rates found by probing (our transmitters)', () => {
  // 200 rows from the middle of page 1 (text), as MR, after 0.4 s of silence, then 0.5 s of silence.
  const src = sent[0]!;
  const stride = (src.width + 7) >> 3;
  const crop = { ...src, height: 200, data: src.data.slice(400 * stride, 600 * stride) };
  for (const [modem, rate, shortTrain, family] of [['v29', 7200, false, 'V.29'], ['v27ter', 2400, false, 'V.27ter'], ['v17', 9600, false, 'V.17'], ['v17', 7200, true, 'V.17'], ['v17', 12000, true, 'V.17']] as const) {
    it(`${family} ${rate}${shortTrain ? ' short training' : ''}: page as sent`, () => {
      const bits = new T4PageBitSource(crop, { coding: 'mr' });
      let tail = 0;
      // A few bytes of fill after the RTC so the page's last bits are out before the carrier stops.
      const tx = createTransmitter(modem, rate, () => { const b = bits.getBit(); return b >= 0 ? b : tail++ < 64 ? 0 : END_OF_DATA; }, { shortTrain });
      const audio = new Float32Array(8000 * 60);
      const n = tx.tx(audio, 3200, audio.length - 3200 - 4000);
      expect(n).toBeLessThan(audio.length - 8000);
      const { report, images } = analyseRecordingFull([audio.subarray(0, 3200 + n + 4000)], 8000);
      expect(report.bursts.map((b) => [b.modem, b.bitRate, b.what, b.training])).toEqual([[family, rate, 'page', 'succeeded']]);
      expect(report.pages.length).toBe(1);
      expect(report.pages[0]).toMatchObject({ guessed: true, badRows: 0, rows: 200, coding: 'mr' });
      expect(Buffer.from(images[0]!.data).equals(Buffer.from(crop.data))).toBe(true);
    });
  }

  it('V.29 9600: a 0.2 s burst of zeros (shorter than the probe window), then the page', () => {
    let zeros = 0;
    const tcf = createTransmitter('v29', 9600, () => (zeros++ < 1900 ? 0 : END_OF_DATA));
    const bits = new T4PageBitSource(crop, { coding: 'mr' });
    let tail = 0;
    const page = createTransmitter('v29', 9600, () => { const b = bits.getBit(); return b >= 0 ? b : tail++ < 64 ? 0 : END_OF_DATA; });
    const audio = new Float32Array(8000 * 30);
    let n = 3200;
    n += tcf.tx(audio, n, 8000);
    n += 6000;
    n += page.tx(audio, n, audio.length - n - 4000);
    const { report, images } = analyseRecordingFull([audio.subarray(0, n + 4000)], 8000);
    // The short burst is adopted when its carrier drops, and closed there (its zeros decode to no page).
    expect(report.bursts.map((b) => [b.modem, b.bitRate, b.training])).toEqual([['V.29', 9600, 'succeeded'], ['V.29', 9600, 'succeeded']]);
    expect(report.bursts[0]!.end).toBeLessThan(report.bursts[1]!.start);
    expect(report.bursts[1]!.what).toBe('page');
    expect(report.pages.length).toBe(1);
    expect(Buffer.from(images[0]!.data).equals(Buffer.from(crop.data))).toBe(true);
  });
});
