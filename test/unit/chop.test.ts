import { describe, it, expect } from 'vitest';
import { chopDocument, chopPage, trailingWhiteRows } from '../../core/docs/chop';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';
import { pageLines } from '../../core/docs/geometry';

/** An A4 fine page with ink (one row each) at the given lines. */
function page(inkRows: number[], width = 1728): BilevelImage {
  const img = createImage(width, pageLines('a4', 'fine'), 204, 196);
  const s = strideOf(width);
  for (const y of inkRows) img.data[y * s + 10] = 0x18;
  return img;
}

describe('page chop', () => {
  it('trims a mostly-white last page to its last inked row', () => {
    const p = page([5, 100, 391]); // 2 inches of text on an 11.7-inch page
    expect(trailingWhiteRows(p)).toBe(p.height - 392);
    const c = chopPage(p, 3);
    expect(c.height).toBe(392);
    expect(c.data.length).toBe(392 * strideOf(1728));
    expect(Array.from(c.data)).toEqual(Array.from(p.data.subarray(0, c.data.length)));
  });

  it('leaves a full page alone', () => {
    const p = page([5, 1000, 2285]);
    expect(chopPage(p, 3)).toBe(p);
  });

  it('honours the threshold in inches', () => {
    const p = page([10, 2286 - 2 * 196]); // exactly 2 inches of white at the bottom
    expect(trailingWhiteRows(p)).toBe(2 * 196 - 1);
    expect(chopPage(p, 3).height).toBe(p.height);
    expect(chopPage(p, 1.5).height).toBe(2286 - 2 * 196 + 1);
  });

  it('ignores pad bits past the width', () => {
    const p = createImage(1727, 300, 204, 98);
    p.data[299 * strideOf(1727) + strideOf(1727) - 1] = 0x01; // the pad bit only
    expect(trailingWhiteRows(p)).toBe(300);
    expect(chopPage(p, 1).height).toBe(1); // a blank page keeps one row
  });

  it('chops only the last page by default; all or none on request', () => {
    const doc = [page([5]), page([5]), page([5])];
    expect(chopDocument(doc).map((p) => p.height)).toEqual([2286, 2286, 6]);
    expect(chopDocument(doc, { mode: 'all' }).map((p) => p.height)).toEqual([6, 6, 6]);
    expect(chopDocument(doc, { mode: 'none' }).map((p) => p.height)).toEqual([2286, 2286, 2286]);
    expect(chopDocument(doc, { threshold: 20 }).map((p) => p.height)).toEqual([2286, 2286, 2286]);
  });
});
