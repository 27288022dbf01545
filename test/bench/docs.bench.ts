/**
 * Document speed: TIFF -> PDF (webfax's MMR CCITT images vs libtiff's tiff2pdf, which copies the
 * G4 data as is), PDF -> raster (pdf.js + @napi-rs/canvas vs poppler's pdftoppm, both at
 * 204 x 196 dpi), and dithering one fine A4 page. Fixture: doc_fine_3p_g4.tif (3 fine pages).
 * Best of 3 wall-clock runs; the peers' times include their process start.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../helpers/peers';
import { readTiff } from '../../core/formats/tiff';
import { encodePdf, rasterisePdf } from '../../core/formats/pdf';
import { dither } from '../../core/docs/dither';
import type { GreyImage } from '../../core/docs/raster';

const DOC = fixture('pages', 'doc_fine_3p_g4.tif');

async function best(f: () => unknown | Promise<unknown>, runs = 3): Promise<number> {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'webfax-docs-bench-'));
  try {
    const pages = readTiff(new Uint8Array(readFileSync(DOC))).map((p) => p.image);
    let pdf: Uint8Array = new Uint8Array(0);
    const ours = await best(async () => { pdf = await encodePdf(pages); });
    writeFileSync(join(dir, 'ours.pdf'), pdf);
    const theirs = await best(() => execFileSync('tiff2pdf', ['-o', join(dir, 'libtiff.pdf'), DOC]));
    console.log(`TIFF -> PDF, 3 fine pages: webfax ${ours.toFixed(0)} ms, ${pdf.length} B; tiff2pdf ${theirs.toFixed(0)} ms, ${statSync(join(dir, 'libtiff.pdf')).size} B; speed ratio ${(theirs / ours).toFixed(2)}x`);

    let grey: GreyImage[] = [];
    const rOurs = await best(async () => { grey = await rasterisePdf(pdf, { xDpi: 204, yDpi: 196 }); });
    const rTheirs = await best(() => execFileSync('pdftoppm', ['-rx', '204', '-ry', '196', '-gray', join(dir, 'ours.pdf'), join(dir, 'pp')]));
    console.log(`PDF -> raster, 3 pages at 204x196: pdf.js ${rOurs.toFixed(0)} ms, pdftoppm ${rTheirs.toFixed(0)} ms; ratio ${(rTheirs / rOurs).toFixed(2)}x`);

    // A fine page of mid-tones (the rendered page blurred by a ramp) so every pixel is diffused.
    const g = grey[0]!;
    const photo: GreyImage = { ...g, data: g.data.map((v, i) => (v + (i % g.width) / 8) & 0xff) };
    const d = await best(() => dither(photo));
    console.log(`dither one fine A4 page (${g.width}x${g.height}): ${d.toFixed(0)} ms, ${((g.width * g.height) / d / 1000).toFixed(1)} Mpixel/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
