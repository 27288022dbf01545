/**
 * `webfax convert IN... OUT`: fax documents between TIFF, PBM, PNG and PDF (and JPEG in), with the
 * page preparation of core/docs: resolution change, paper, tagline, page chop. The input kind is
 * sniffed from its bytes; the output kind comes from OUT's extension. TIFF and PDF hold every
 * page; PNG and PBM hold one, so a multi-page document becomes NAME-1.png, NAME-2.png, ...
 * Several inputs are joined page after page. Fax pages that need no change pass through bit for bit.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from './command';
import { parseArgs, stringOption, UsageError } from './args';
import { loadDocument, preparePages, type SourcePage } from '../docs/prepare';
import { parsePaper, parseResolution } from '../docs/geometry';
import { encodePng } from '../formats/png';
import { encodePdf } from '../formats/pdf';
import { writePbm } from '../formats/pbm';
import { writeTiff } from '../formats/tiff';
import type { BilevelImage } from '../t4/image';

const options = {
  compression: { value: true, help: 'TIFF/PDF output coding: mh, mr or mmr (default mmr)' },
  resolution: { value: true, help: 'standard, fine or superfine (default: keep fax pages, else fine)' },
  paper: { value: true, help: 'a4 or letter, for pages made from images and PDFs (default a4)' },
  fit: { value: true, help: 'page: scale images into one page (default); width: fill the width, split long images' },
  rotate: { value: false, help: 'turn landscape images/pages to fill the portrait page (default; --no-rotate: keep)' },
  dither: { value: true, help: 'grey to black/white: diffuse (default for grey input) or threshold' },
  tagline: { value: true, help: 'tagline format, e.g. "From %n|%c|Page %p of %t"' },
  ident: { value: true, help: 'station identifier for %n in the tagline' },
  date: { value: true, help: 'text for %c in the tagline (default: now, YYYY-MM-DD HH:MM)' },
  chop: { value: true, help: 'chop trailing white space of the last page if at least this many inches' },
  'chop-all': { value: false, help: 'with --chop: chop every page, not only the last' },
};

type OutKind = 'tiff' | 'pbm' | 'png' | 'pdf';

function outKind(path: string): OutKind {
  const e = extname(path).toLowerCase();
  if (e === '.tif' || e === '.tiff') return 'tiff';
  if (e === '.pbm') return 'pbm';
  if (e === '.png') return 'png';
  if (e === '.pdf') return 'pdf';
  throw new UsageError(`cannot tell the output format from "${path}" (use .tif, .pbm, .png or .pdf)`);
}

/** NAME-N.ext for page N of a multi-page document written one file per page. */
export function pagePath(path: string, n: number, count: number): string {
  if (count === 1) return path;
  const e = extname(path);
  return `${path.slice(0, path.length - e.length)}-${n}${e}`;
}

function choice<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be ${allowed.join(', ')}; got "${v}"`);
  return v as T;
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert between TIFF, PBM, PNG and PDF fax documents (JPEG in)',
  usage: 'convert IN... OUT [--compression mh|mr|mmr] [--resolution standard|fine|superfine] [--paper a4|letter] [--tagline FMT] [--ident ID] [--chop INCHES]',
  options,
  async run(argv) {
    const args = parseArgs(argv, options);
    if (args.positionals.length < 2) throw new UsageError('needs an input and an output file');
    const inPaths = args.positionals.slice(0, -1);
    const outPath = args.positionals[args.positionals.length - 1]!;
    const kind = outKind(outPath);
    const compression = choice('compression', stringOption(args, 'compression'), ['mh', 'mr', 'mmr'] as const);
    if (compression && kind !== 'tiff' && kind !== 'pdf') throw new UsageError('--compression applies to TIFF and PDF output only');
    const wrap = <T>(f: () => T): T => {
      try { return f(); } catch (e) { throw new UsageError((e as Error).message); }
    };
    const resStr = stringOption(args, 'resolution');
    const resolution = resStr === undefined ? undefined : wrap(() => parseResolution(resStr));
    const paperStr = stringOption(args, 'paper');
    const paper = paperStr === undefined ? undefined : wrap(() => parsePaper(paperStr));
    const fit = choice('fit', stringOption(args, 'fit'), ['page', 'width'] as const);
    const ditherMode = choice('dither', stringOption(args, 'dither'), ['diffuse', 'threshold'] as const);
    const chopStr = stringOption(args, 'chop');
    let chopThreshold: number | undefined;
    if (chopStr !== undefined) {
      chopThreshold = Number(chopStr);
      if (!Number.isFinite(chopThreshold) || chopThreshold < 0) throw new UsageError(`--chop must be a number of inches >= 0, got "${chopStr}"`);
    }
    const chopAll = args.options.get('chop-all') === true;
    if (chopAll && chopThreshold === undefined) throw new UsageError('--chop-all needs --chop INCHES');

    const sources: SourcePage[] = [];
    for (const inPath of inPaths) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(inPath));
      } catch (e) {
        throw new Error(`cannot read ${inPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      if (!bytes.length) throw new Error(`${inPath} is empty`);
      let pages: SourcePage[];
      try {
        pages = await loadDocument(bytes, { resolution });
      } catch (e) {
        throw new Error(`${inPath}: ${(e as Error).message}`);
      }
      if (!pages.length) throw new Error(`${inPath} has no pages`);
      pages.forEach((p, i) => { if (p.damage) console.error(`webfax convert: warning: ${inPath} page ${i + 1}: ${p.damage}`); });
      sources.push(...pages);
    }
    const pages = preparePages(sources, {
      resolution, paper, fit, dither: ditherMode, keepLineDensity: true,
      rotate: args.options.get('rotate') === false ? 'none' : 'auto',
      tagline: stringOption(args, 'tagline'), ident: stringOption(args, 'ident'), date: stringOption(args, 'date'),
      chop: chopThreshold === undefined ? 'none' : chopAll ? 'all' : 'last', chopThreshold,
    });
    const written = await writePages(pages, kind, outPath, compression ?? 'mmr');
    const p0 = pages[0]!;
    console.log(`${outPath}: ${pages.length} page${pages.length === 1 ? '' : 's'}, ${p0.width}x${p0.height} at ${p0.xDpi}x${p0.yDpi} dpi, ${written} bytes`);
    return 0;
  },
};

async function writePages(pages: BilevelImage[], kind: OutKind, outPath: string, compression: 'mh' | 'mr' | 'mmr'): Promise<number> {
  let total = 0;
  const put = async (path: string, data: Uint8Array) => {
    try {
      await writeFile(path, data);
    } catch (e) {
      throw new Error(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    total += data.length;
  };
  switch (kind) {
    case 'tiff':
      await put(outPath, writeTiff(pages, { compression, software: 'webfax' }));
      break;
    case 'pdf':
      await put(outPath, await encodePdf(pages, { coding: compression }));
      break;
    case 'png':
      for (let i = 0; i < pages.length; i++) await put(pagePath(outPath, i + 1, pages.length), await encodePng(pages[i]!));
      break;
    case 'pbm':
      for (let i = 0; i < pages.length; i++) await put(pagePath(outPath, i + 1, pages.length), writePbm(pages[i]!));
      break;
  }
  return total;
}
