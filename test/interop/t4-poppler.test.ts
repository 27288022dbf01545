/**
 * T.4 without EOLs and with byte-aligned rows (PDF CCITTFaxDecode EndOfLine false /
 * EncodedByteAlign true) against an independent decoder: poppler's, via `pdfimages`, which
 * writes the decoded image of a PDF CCITT XObject as PBM. Covers what libtiff cannot check:
 *  - our encoder's eol:false / byteAlign output for MH, MR (K>0) and MMR decodes in poppler
 *    identical to the chart;
 *  - the two fixtures libtiff fails on (G3_Premature_EOL.tif, testfax3_bug54_1dnoEOL.tif: G3
 *    1-D with no EOLs at all), which our TIFF reader recovers, decode the same in poppler.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsDiffering } from '../helpers/pages';
import { fixture } from '../helpers/peers';
import { readPbm } from '../../core/formats/pbm';
import { readTiff } from '../../core/formats/tiff';
import { encodeImage, type EncodeOptions } from '../../core/t4/encode';
import { strideOf, type BilevelImage } from '../../core/t4/image';

const hasPoppler = spawnSync('pdfimages', ['-v']).status === 0;

let tmp = '';
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'webfax-t4-poppler-')); });
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

/** A one-page PDF whose only content is a CCITTFaxDecode image with the given parameters. */
function ccittPdf(data: Uint8Array, w: number, h: number, k: number, endOfLine: boolean, byteAlign: boolean): Uint8Array {
  const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const content = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
  const objs: Uint8Array[][] = [
    [enc('<< /Type /Catalog /Pages 2 0 R >>')],
    [enc('<< /Type /Pages /Kids [3 0 R] /Count 1 >>')],
    [enc(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>`)],
    [enc(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`)],
    [enc(`<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode`
      + ` /DecodeParms << /K ${k} /Columns ${w} /Rows ${h} /EndOfLine ${endOfLine} /EncodedByteAlign ${byteAlign} /BlackIs1 false >>`
      + ` /Length ${data.length} >>\nstream\n`), data, enc('\nendstream')],
  ];
  const parts: Uint8Array[] = [enc('%PDF-1.4\n')];
  let len = parts[0].length;
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(len);
    for (const p of [enc(`${i + 1} 0 obj\n`), ...o, enc('\nendobj\n')]) { parts.push(p); len += p.length; }
  });
  const xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(enc(`${xref}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${len}\n%%EOF\n`));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** poppler's decode of that image. */
function popplerDecode(name: string, pdf: Uint8Array): { image: BilevelImage; stderr: string } {
  const file = join(tmp, `${name}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdfimages', [file, join(tmp, name)], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { image: readPbm(readFileSync(join(tmp, `${name}-000.pbm`))), stderr: r.stderr };
}

describe('T.4 without EOLs, checked by poppler', () => {
  // poppler-utils is installed by scripts/ensure-peers.mjs; a missing oracle is a failure, not a skip.
  beforeAll(() => { if (!hasPoppler) throw new Error('pdfimages (poppler-utils) is needed for this test'); });
  it('our MH / MR / MMR in PDF layouts (EndOfLine, EncodedByteAlign) decode identical in poppler', () => {
    const chart = readPbm(readFileSync(fixture('itu', 'itu2.pbm')));
    const cases: [string, EncodeOptions, number, boolean, boolean][] = [
      ['mh-eol', { coding: 'mh', rtc: false }, 0, true, false],
      ['mh', { coding: 'mh', eol: false, rtc: false }, 0, false, false],
      ['mh-align', { coding: 'mh', eol: false, byteAlign: true, rtc: false }, 0, false, true],
      ['mr4', { coding: 'mr', k: 4, eol: false, rtc: false }, 4, false, false],
      ['mr2-align', { coding: 'mr', k: 2, eol: false, byteAlign: true, rtc: false }, 2, false, true],
      ['mmr', { coding: 'mmr' }, -1, false, false],
      ['mmr-align', { coding: 'mmr', byteAlign: true }, -1, false, true],
    ];
    for (const [name, opts, k, eol, align] of cases) {
      const data = encodeImage(chart, { ...opts, fillOrder: 1 });
      const { image, stderr } = popplerDecode(name, ccittPdf(data, chart.width, chart.height, k, eol, align));
      expect(stderr, name).toBe('');
      expect(rowsDiffering(image, chart), name).toBe(0);
    }
  });

  it('G3_Premature_EOL.tif (G3 1-D without EOLs, libtiff fails): our recovery equals poppler', () => {
    const bytes = readFileSync(fixture('tiff', 'G3_Premature_EOL.tif'));
    const [page] = readTiff(bytes);
    expect(page.badRows).toBe(0);
    expect(page.error).toMatch(/without EOLs/);
    // The single strip (offset 158, 96609 bytes per tiffinfo -s).
    const strip = bytes.subarray(158, 158 + 96609);
    const { image } = popplerDecode('premature', ccittPdf(strip, 1728, 2320, 0, false, false));
    expect(rowsDiffering(page.image, image)).toBe(0);
  });

  it('testfax3_bug54_1dnoEOL.tif: every strip recovered, first strips equal poppler', () => {
    const bytes = readFileSync(fixture('tiff', 'testfax3_bug54_1dnoEOL.tif'));
    const [page] = readTiff(bytes);
    expect(page.rows).toBe(2320);
    expect(page.badRows).toBe(0);
    const info = execFileSync('tiffinfo', ['-s', fixture('tiff', 'testfax3_bug54_1dnoEOL.tif')], { encoding: 'utf8' });
    const strips = [...info.matchAll(/^\s+(\d+): \[\s*(\d+),\s*(\d+)\]/gm)].map((m) => [Number(m[2]), Number(m[3])]);
    expect(strips.length).toBe(63);
    const stride = strideOf(1728);
    for (const s of [0, 4, 30]) {
      const [off, len] = strips[s];
      const { image } = popplerDecode(`bug54-${s}`, ccittPdf(bytes.subarray(off, off + len), 1728, 37, 0, false, false));
      const mine: BilevelImage = { ...page.image, height: 37, data: page.image.data.subarray(s * 37 * stride, (s + 1) * 37 * stride) };
      expect(rowsDiffering(mine, image), `strip ${s}`).toBe(0);
    }
  });
});
