/**
 * Copy-quality verdict for a received non-ECM page, from the decoder's counts (decode.ts).
 *
 * HylaFAX (FaxModem::isQualityOK): a page is rejected (RTN) when fewer than PercentGoodLines %
 * of its rows are good (integer percent, default 95) or the longest run of consecutive bad rows
 * exceeds MaxConsecutiveBadLines (default 5; HylaFAX doubles it at fine resolution, webfax scales
 * it by yDpi / 98, so superfine allows 4x); a page with no rows is not "good" either. Either
 * parameter set to 0 disables its check.
 * HylaFAX answers only MCF or RTN; like spandsp's "poor" copy quality, webfax answers RTP (page
 * kept, but retrain) when a page passes yet more than `rtpPercentBadLines` % (default 2) of its
 * rows were bad.
 */

export type CopyQuality = 'MCF' | 'RTP' | 'RTN';

export interface QualityCounts {
  rows: number;
  badRows: number;
  maxConsecutiveBadRows: number;
}

export interface QualityOptions {
  /** HylaFAX PercentGoodLines (0 disables). Default 95. */
  percentGoodLines?: number;
  /** HylaFAX MaxConsecutiveBadLines at standard resolution (0 disables). Default 5. */
  maxConsecutiveBadLines?: number;
  /** Vertical resolution of the page in lines per inch (98, 196, 391, 300, 400). Default 98. */
  yDpi?: number;
  /** Percentage of bad rows above which an accepted page gets RTP instead of MCF. Default 2. */
  rtpPercentBadLines?: number;
}

export function copyQuality(c: QualityCounts, opts: QualityOptions = {}): CopyQuality {
  const pgl = opts.percentGoodLines ?? 95;
  const mcbl = opts.maxConsecutiveBadLines ?? 5;
  const scale = Math.max(1, Math.round((opts.yDpi ?? 98) / 98));
  if (c.rows <= 0) return 'RTN';
  if (pgl !== 0 && Math.floor((100 * (c.rows - c.badRows)) / c.rows) < pgl) return 'RTN';
  if (mcbl !== 0 && c.maxConsecutiveBadRows > mcbl * scale) return 'RTN';
  if (c.badRows * 100 > c.rows * (opts.rtpPercentBadLines ?? 2)) return 'RTP';
  return 'MCF';
}
