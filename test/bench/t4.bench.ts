/**
 * T.4/T.6 throughput on the eight ITU charts (1728 x 2376 each, four times over: 32 pages),
 * webfax beside libtiff's tiffcp measured in the same run. libtiff: one `tiffcp -c CODING` over
 * all 32 pages (one process, so start-up is paid once per 32 pages), best of several runs; webfax: the same pages through
 * the TIFF writer / reader in memory (file I/O is tiffcp's only extra). Prints Mpixel/s and the
 * ratio webfax/libtiff (goal >= 0.5), also with tiffcp's measured start-up time subtracted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../helpers/peers';
import { readPbm } from '../../core/formats/pbm';
import { readTiff, writeTiff, type TiffCompression } from '../../core/formats/tiff';
import type { BilevelImage } from '../../core/t4/image';
import { encodeImage } from '../../core/t4/encode';
import { T4Decoder } from '../../core/t4/decode';

const RUNS = 5;
const REPEAT = 4;

function best(fn: () => void, runs = RUNS): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export async function run(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'webfax-t4-bench-'));
  try {
    // The eight charts four times over (32 pages), so tiffcp's start-up is a small part of its time.
    const charts: BilevelImage[] = [];
    for (let rep = 0; rep < REPEAT; rep++) {
      for (let n = 1; n <= 8; n++) charts.push(readPbm(readFileSync(fixture('itu', `itu${n}.pbm`))));
    }
    const mpix = charts.reduce((s, c) => s + c.width * c.height, 0) / 1e6;
    const none = join(tmp, 'charts.none.tif');
    writeFileSync(none, writeTiff(charts, { compression: 'none' }));
    // tiffcp's start-up cost, from a one-row page: subtracted for a codec-only ratio.
    const tiny = join(tmp, 'tiny.tif');
    writeFileSync(tiny, writeTiff([{ ...charts[0], height: 1, data: charts[0].data.slice(0, 216) }], { compression: 'none' }));
    const startup = best(() => execFileSync('tiffcp', ['-c', 'g4', tiny, join(tmp, 'tiny.g4.tif')]));
    console.log(`${charts.length} pages (ITU charts x${REPEAT}), ${mpix.toFixed(1)} Mpixel; tiffcp start-up ${startup.toFixed(1)} ms (subtracted in "codec-only")`);
    const report = (what: string, ours: number, theirs: number): void => {
      // When start-up is most of tiffcp's run, the subtraction says nothing: print n/a, not 0.00x.
      const codecOnly = theirs - startup > 0.2 * theirs ? `${((theirs - startup) / ours).toFixed(2)}x` : 'n/a';
      console.log(`${what.padEnd(11)} webfax ${(mpix / ours * 1000).toFixed(0).padStart(5)} Mpx/s  tiffcp ${(mpix / theirs * 1000).toFixed(0).padStart(5)} Mpx/s`
        + `  ratio ${(theirs / ours).toFixed(2)}x  (codec-only ${codecOnly})`);
    };
    const modes: [TiffCompression, string][] = [['mh', 'g3:1d'], ['mr', 'g3:2d'], ['mmr', 'g4']];
    for (const [compression, tc] of modes) {
      // Encode: uncompressed pages -> coded TIFF.
      const out = join(tmp, `charts.${compression}.tif`);
      const theirsEnc = best(() => execFileSync('tiffcp', ['-c', tc, none, out]));
      writeTiff(charts, { compression }); // warm up the JIT
      const oursEnc = best(() => { writeTiff(charts, { compression }); });
      report(`encode ${compression}`, oursEnc, theirsEnc);
      // Decode: coded TIFF (libtiff's own encoding) -> uncompressed.
      const back = join(tmp, `charts.${compression}.none.tif`);
      const theirsDec = best(() => execFileSync('tiffcp', ['-c', 'none', out, back]));
      const input = readFileSync(out);
      readTiff(input);
      const oursDec = best(() => { readTiff(input); });
      report(`decode ${compression}`, oursDec, theirsDec);
    }
    // Streaming receive: an MR page fed bit by bit as a demodulator would, against V.17's 14400 bit/s.
    const page = encodeImage(charts[3], { coding: 'mr', k: 4 });
    const bits = page.length * 8;
    const feed = (): void => {
      const dec = new T4Decoder({ width: 1728, coding: 'mr' });
      for (let i = 0; i < bits; i++) dec.putBit((page[i >> 3] >> (i & 7)) & 1);
      dec.end();
    };
    feed();
    const t = best(feed);
    console.log(`putBit MR   ${(bits / t / 1000).toFixed(1)} Mbit/s fed bit by bit = ${Math.round(bits / t * 1000 / 14400)}x real time at 14400 bit/s`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
