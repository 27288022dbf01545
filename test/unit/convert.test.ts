import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../core/cli/main';
import { pagePath } from '../../core/cli/convert';
import { writeTiff, readTiff } from '../../core/formats/tiff';
import { decodePng } from '../../core/formats/png';
import { thresholdGrey } from '../../core/docs/raster';
import { randomPage, pixelDiff } from '../helpers/pages';

/** Run `webfax ARGS` in-process; returns the exit code and what it printed. */
async function webfax(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = '', err = '';
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  console.error = (...a: unknown[]) => { err += a.join(' ') + '\n'; };
  try { return { code: await main(args), out, err }; } finally { console.log = log; console.error = error; }
}

let dir = '';
const pages = [randomPage(1728, 200, 1, 204, 196), randomPage(1728, 300, 2, 204, 196), randomPage(1728, 100, 3, 204, 196)];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'webfax-convert-unit-'));
  writeFileSync(join(dir, 'doc.tif'), writeTiff(pages));
});
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('webfax convert', () => {
  it('converts a damaged TIFF with a warning naming the bad rows', async () => {
    const t = writeTiff([pages[0]!], { compression: 'mh' });
    for (let i = 400; i < 600; i++) t[i] = 0; // zeros: no EOL for a stretch of rows
    writeFileSync(join(dir, 'damaged.tif'), t);
    const r = await webfax('convert', join(dir, 'damaged.tif'), join(dir, 'damaged.pdf'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: .*damaged\.tif page 1: \d+ bad rows?/);
  });

  it('writes one PNG per page as NAME-N.png and reads them back in order', async () => {
    const r = await webfax('convert', join(dir, 'doc.tif'), join(dir, 'out.png'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 pages, 1728x200 at 204x196 dpi/);
    for (let i = 0; i < 3; i++) {
      const png = await decodePng(new Uint8Array(readFileSync(join(dir, `out-${i + 1}.png`))));
      expect(pixelDiff(thresholdGrey(png.image), pages[i]!)).toBe(0);
    }
    expect(existsSync(join(dir, 'out.png'))).toBe(false);
    const back = await webfax('convert', join(dir, 'out-1.png'), join(dir, 'out-2.png'), join(dir, 'out-3.png'), join(dir, 'back.tif'));
    expect(back.code).toBe(0);
    const t = readTiff(new Uint8Array(readFileSync(join(dir, 'back.tif'))));
    expect(t.map((p, i) => pixelDiff(p.image, pages[i]!))).toEqual([0, 0, 0]);
    expect(pagePath('/a/b.c.png', 2, 3)).toBe('/a/b.c-2.png');
    expect(pagePath('/a/b.png', 1, 1)).toBe('/a/b.png');
  });

  it('chops the last page only when asked', async () => {
    const tall = randomPage(1728, 1200, 4, 204, 196);
    tall.data.fill(0, 1728 / 8 * 100); // ink only in the first 100 lines, 5.6 in of white below
    writeFileSync(join(dir, 'tall.tif'), writeTiff([tall]));
    expect((await webfax('convert', join(dir, 'tall.tif'), join(dir, 'same.tif'))).code).toBe(0);
    expect(readTiff(new Uint8Array(readFileSync(join(dir, 'same.tif'))))[0]!.image.height).toBe(1200);
    expect((await webfax('convert', join(dir, 'tall.tif'), join(dir, 'chop.tif'), '--chop', '3')).code).toBe(0);
    const h = readTiff(new Uint8Array(readFileSync(join(dir, 'chop.tif'))))[0]!.image.height;
    expect(h).toBeLessThanOrEqual(100);
    expect(h).toBeGreaterThan(90);
    expect((await webfax('convert', join(dir, 'tall.tif'), join(dir, 'nochop.tif'), '--chop', '6')).code).toBe(0);
    expect(readTiff(new Uint8Array(readFileSync(join(dir, 'nochop.tif'))))[0]!.image.height).toBe(1200);
  });

  it('gives one-line errors for bad input and bad options', async () => {
    const cases: [string[], number, RegExp][] = [
      [[join(dir, 'missing.tif'), join(dir, 'x.pdf')], 1, /cannot read .*missing\.tif: ENOENT/],
      [[join(dir, 'doc.tif'), join(dir, 'x.docx')], 2, /cannot tell the output format/],
      [[join(dir, 'doc.tif')], 2, /needs an input and an output/],
      [[join(dir, 'doc.tif'), join(dir, 'x.png'), '--compression', 'mh'], 2, /TIFF and PDF output only/],
      [[join(dir, 'doc.tif'), join(dir, 'x.tif'), '--compression', 'jbig'], 2, /--compression must be/],
      [[join(dir, 'doc.tif'), join(dir, 'x.tif'), '--resolution', 'ultra'], 2, /unknown resolution/],
      [[join(dir, 'doc.tif'), join(dir, 'x.tif'), '--chop', 'lots'], 2, /--chop must be a number/],
      [[join(dir, 'doc.tif'), join(dir, 'x.tif'), '--bogus'], 2, /unknown option --bogus/],
      [[join(dir, 'garbage.bin'), join(dir, 'x.tif')], 1, /unrecognised document/],
      [[join(dir, 'empty.tif'), join(dir, 'x.tif')], 1, /is empty/],
      [[join(dir, 'broken.png'), join(dir, 'x.tif')], 1, /broken\.png: PNG:/],
      [[join(dir, 'broken.tif'), join(dir, 'x.pdf')], 1, /broken\.tif: /],
      [[join(dir, 'doc.tif'), join(dir, 'no-such-dir', 'x.pdf')], 1, /cannot write .*ENOENT/],
    ];
    writeFileSync(join(dir, 'garbage.bin'), 'this is not a fax');
    writeFileSync(join(dir, 'empty.tif'), '');
    writeFileSync(join(dir, 'broken.png'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    writeFileSync(join(dir, 'broken.tif'), Uint8Array.from([0x49, 0x49, 0x2a, 0, 0xff, 0xff, 0, 0]));
    for (const [args, code, msg] of cases) {
      const r = await webfax('convert', ...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err.trim().split('\n').length, r.err).toBe(1);
      expect(r.err).toMatch(msg);
    }
  });
});
