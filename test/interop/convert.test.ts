import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { main } from '../../core/cli/main';
import { fixture, peerBin } from '../helpers/peers';
import { pageFromPbm, pixelDiff, getPel } from '../helpers/pages';
import { readTiff } from '../../core/formats/tiff';

/** Run `webfax ARGS` in-process, quietly; returns the exit code. */
async function webfax(...args: string[]): Promise<number> {
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try { return await main(args); } finally { console.log = log; console.error = err; }
}

/** libtiff's verdict (spandsp's tiffpagecmp): are two TIFFs the same pages, pixel for pixel? */
function sameTiff(a: string, b: string): { identical: boolean; pages_a: number; pages_b: number } {
  let out: string;
  try {
    out = execFileSync(peerBin('tiffpagecmp'), [a, b]).toString();
  } catch (e) {
    out = (e as { stdout: Buffer }).stdout.toString();
  }
  return JSON.parse(out);
}

const pagesDir = fixture('pages');
const docs = readdirSync(pagesDir).filter((f) => f.endsWith('.tif')).sort();
let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'webfax-convert-')); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('webfax convert round trips of the fixture pages (oracle: libtiff via tiffpagecmp)', () => {
  it('has fixtures', () => expect(docs.length).toBeGreaterThanOrEqual(3));
  for (const doc of docs) {
    const src = join(pagesDir, doc);
    const name = basename(doc, '.tif');
    it(`${doc} -> TIFF (MH, MR, MMR), PDF, PNG, PBM -> TIFF: identical`, async () => {
      const pageCount = readTiff(new Uint8Array(readFileSync(src))).length;
      for (const c of ['mh', 'mr', 'mmr']) {
        const out = join(dir, `${name}.${c}.tif`);
        expect(await webfax('convert', src, out, '--compression', c)).toBe(0);
        expect(sameTiff(src, out).identical).toBe(true);
        // libtiff reads our TIFF with the asked compression.
        const info = execFileSync('tiffinfo', [out], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
        expect(info).toContain({ mh: 'CCITT Group 3', mr: 'CCITT Group 3', mmr: 'CCITT Group 4' }[c]);
      }
      for (const ext of ['pdf', 'png', 'pbm']) {
        const mid = join(dir, `${name}.${ext}`);
        expect(await webfax('convert', src, mid)).toBe(0);
        const parts = ext === 'pdf' || pageCount === 1 ? [mid] : Array.from({ length: pageCount }, (_, i) => join(dir, `${name}-${i + 1}.${ext}`));
        for (const p of parts) expect(existsSync(p)).toBe(true);
        const back = join(dir, `${name}.from-${ext}.tif`);
        expect(await webfax('convert', ...parts, back)).toBe(0);
        const cmp = sameTiff(src, back);
        expect([cmp.pages_a, cmp.pages_b]).toEqual([pageCount, pageCount]);
        expect(cmp.identical).toBe(true);
      }
    }, 60_000);
  }

  it('the PDF renders as the pages in poppler, at their own resolution', async () => {
    const src = join(pagesDir, 'doc_fine_3p_g4.tif');
    const pdf = join(dir, 'poppler.pdf');
    expect(await webfax('convert', src, pdf)).toBe(0);
    const pages = readTiff(new Uint8Array(readFileSync(src)));
    execFileSync('pdftoppm', ['-rx', '204', '-ry', '196', '-mono', pdf, join(dir, 'pp')]);
    pages.forEach((p, i) => {
      const got = pageFromPbm(new Uint8Array(readFileSync(join(dir, `pp-${i + 1}.pbm`))), 204, 196);
      expect(pixelDiff(got, p.image)).toBe(0);
    });
  }, 60_000);

  it('changes resolution: fine to standard halves the lines, standard to fine doubles them', async () => {
    const fine = join(pagesDir, 'doc_fine_3p_g4.tif');
    const out = join(dir, 'std.tif');
    expect(await webfax('convert', fine, out, '--resolution', 'standard')).toBe(0);
    const a = readTiff(new Uint8Array(readFileSync(fine)));
    const b = readTiff(new Uint8Array(readFileSync(out)));
    expect(b.map((p) => [p.image.height, p.image.yDpi])).toEqual(a.map((p) => [p.image.height / 2, 98]));
    // Each standard line is the OR of its two fine lines.
    const A = a[0]!.image, B = b[0]!.image;
    let bad = 0;
    for (let y = 0; y < B.height; y += 7) for (let x = 0; x < B.width; x += 3) if (getPel(B, x, y) !== (getPel(A, x, 2 * y) | getPel(A, x, 2 * y + 1))) bad++;
    expect(bad).toBe(0);
    const up = join(dir, 'fine-again.tif');
    expect(await webfax('convert', out, up, '--resolution', 'fine')).toBe(0);
    expect(readTiff(new Uint8Array(readFileSync(up))).map((p) => p.image.height)).toEqual(a.map((p) => p.image.height));
  }, 60_000);

  it('adds a tagline to every page and leaves the rest of the page alone', async () => {
    const src = join(pagesDir, 'doc_std_3p_g3-2d.tif');
    const out = join(dir, 'tagged.tif');
    expect(await webfax('convert', src, out, '--tagline', 'From %n|Page %p of %t', '--ident', 'WEBFAX')).toBe(0);
    const a = readTiff(new Uint8Array(readFileSync(src)));
    const b = readTiff(new Uint8Array(readFileSync(out)));
    expect(b.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      const A = a[i]!.image, B = b[i]!.image;
      const stride = (A.width + 7) >> 3;
      const band = 20 * stride; // 2 lines per dot x 10 dots at standard resolution
      expect(Buffer.from(B.data.subarray(band)).equals(Buffer.from(A.data.subarray(band)))).toBe(true);
      expect(Buffer.from(B.data.subarray(0, band)).equals(Buffer.from(A.data.subarray(0, band)))).toBe(false);
    }
  }, 60_000);
});
