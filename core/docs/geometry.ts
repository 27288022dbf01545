/**
 * Fax page geometry: paper sizes (A4, US Letter) and the vertical resolutions of T.4 (standard
 * 3.85 lines/mm, fine 7.7, superfine 15.4) at the R8 horizontal density (8 pels/mm = 204 dpi,
 * 1728 pels across the 215 mm scan width). A page is a fixed number of lines for its paper and
 * resolution; the scan width is the same 1728 pels for A4 and Letter, as on real machines.
 */
export type Paper = 'a4' | 'letter';
export type Resolution = 'standard' | 'fine' | 'superfine';

export const FAX_WIDTH = 1728;
/** 8 pels/mm expressed in dots per inch, as TIFF-F writes it. */
export const FAX_XDPI = 204;

/** Lines per mm of each resolution (T.4 §2.2) and the rounded lines per inch TIFF-F uses. */
const LINES_PER_MM: Record<Resolution, number> = { standard: 3.85, fine: 7.7, superfine: 15.4 };
const YDPI: Record<Resolution, number> = { standard: 98, fine: 196, superfine: 391 };
/** Paper length in mm. */
const PAPER_MM: Record<Paper, number> = { a4: 297, letter: 279.4 };

export const PAPERS: readonly Paper[] = ['a4', 'letter'];
export const RESOLUTIONS: readonly Resolution[] = ['standard', 'fine', 'superfine'];

export function resolutionYDpi(r: Resolution): number {
  return YDPI[r];
}

/** Lines on a full page: A4 standard 1143, fine 2286, superfine 4573; Letter 1075/2151/4302. */
export function pageLines(paper: Paper, r: Resolution): number {
  return Math.floor(PAPER_MM[paper] * LINES_PER_MM[r] + 1e-9);
}

/** The resolution whose line density is nearest to `yDpi` (a TIFF's YResolution, say). */
export function nearestResolution(yDpi: number): Resolution {
  let best: Resolution = 'standard';
  for (const r of RESOLUTIONS) if (Math.abs(YDPI[r] - yDpi) < Math.abs(YDPI[best] - yDpi)) best = r;
  return best;
}

export function parsePaper(s: string): Paper {
  const p = s.toLowerCase();
  if (p === 'a4' || p === 'letter') return p;
  throw new Error(`unknown paper "${s}" (a4 or letter)`);
}

export function parseResolution(s: string): Resolution {
  const r = s.toLowerCase();
  if (r === 'standard' || r === 'fine' || r === 'superfine') return r;
  throw new Error(`unknown resolution "${s}" (standard, fine or superfine)`);
}
