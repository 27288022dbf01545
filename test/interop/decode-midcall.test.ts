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
  for (const [call, ecm, modem, rate] of [['v17_14400_noecm', false, 'V.17', 14400], ['v17_14400_ecm', true, 'V.17', 14400], ['v29_9600_noecm', false, 'V.29', 9600]] as const) {
    it(`${call}: 0.5 s after the TCF ends, all pages as sent`, () => {
      const tcfEnd = fastTx(call).find((e) => e.event === 'fast_tx_end' && e.what === 'tcf')!.t;
      const { report, images } = analyseRecordingFull([cut(call, tcfEnd + 0.5)], 8000);
      expect(report.bursts.filter((b) => b.what === 'tcf')).toEqual([]);
      expect(report.bursts.filter((b) => b.training === 'succeeded').map((b) => [b.modem, b.bitRate, b.what])).toEqual([0, 1, 2].map(() => [modem, rate, ecm ? 'ecm' : 'page']));
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
