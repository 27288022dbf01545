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
