import { describe, it, expect } from 'vitest';
import { applyTagline, expandTagline, layoutFields, taglineMetrics } from '../../core/docs/tagline';
import { GLYPH_H, GLYPH_W, glyphRow } from '../../core/docs/font5x7';
import { createImage, type BilevelImage } from '../../core/t4/image';
import { getPel } from '../helpers/pages';

/**
 * Read the tagline back off the page: find runs of character cells by scanning the band's
 * columns for ink, then match each cell against every glyph of the font, dot by dot.
 */
function readBack(img: BilevelImage): string[] {
  const m = taglineMetrics(img.yDpi);
  const inkCol = (x: number) => {
    for (let y = m.top; y < m.top + GLYPH_H * m.dotH; y++) if (getPel(img, x, y)) return true;
    return false;
  };
  const cellAt = (x0: number): number => {
    // Sample the centre of each dot and find the glyph with exactly that pattern.
    for (let code = 32; code <= 126; code++) {
      let ok = true;
      for (let r = 0; r < GLYPH_H && ok; r++) {
        for (let c = 0; c < GLYPH_W && ok; c++) {
          const want = (glyphRow(code, r) >> (GLYPH_W - 1 - c)) & 1;
          const got = getPel(img, x0 + c * m.dotW + (m.dotW >> 1), m.top + r * m.dotH + (m.dotH >> 1));
          if (want !== got) ok = false;
        }
      }
      if (ok) return code;
    }
    return -1;
  };
  // Group into fields: a field ends after >= 3 blank cells.
  const fields: string[] = [];
  let x = 0;
  while (x < img.width) {
    if (!inkCol(x)) { x++; continue; }
    let text = '';
    let blanks = 0;
    let cx = x;
    while (cx + GLYPH_W * m.dotW <= img.width && blanks < 3) {
      const code = cellAt(cx);
      if (code === 32) blanks++; else { text += ' '.repeat(blanks) + String.fromCharCode(code); blanks = 0; }
      if (code < 0) throw new Error(`unreadable cell at ${cx}`);
      cx += m.cellW;
    }
    fields.push(text);
    x = cx;
  }
  return fields;
}

describe('tagline', () => {
  it('expands the HylaFAX escapes', () => {
    const info = { ident: '+1 555 0100', destination: 'ACME', date: '2026-11-24 01:02', page: 2, pages: 5 };
    expect(expandTagline('From %n|%c|Page %p of %t', info)).toEqual(['From +1 555 0100', '2026-11-24 01:02', 'Page 2 of 5']);
    expect(expandTagline('%l to %d: 100%% %q', info)).toEqual(['+1 555 0100 to ACME: 100% %q']);
    expect(expandTagline('%c', { page: 1, pages: 1, date: new Date(2026, 0, 2, 3, 4) })).toEqual(['2026-01-02 03:04']);
  });

  for (const yDpi of [98, 196, 391]) {
    it(`images the fields across the top at ${yDpi} lpi, readable back glyph by glyph`, () => {
      const page = createImage(1728, 400, 204, yDpi);
      page.data.fill(0xff); // all black: the band must be cleared under the text
      const info = { ident: 'WEBFAX 42', date: '2026-11-24 01:02', page: 3, pages: 10 };
      const out = applyTagline(page, 'From %n|%c|Page %p of %t', info);
      expect(readBack({ ...out, data: out.data.slice() })).toEqual(['From WEBFAX 42', '2026-11-24 01:02', 'Page 3 of 10']);
      const m = taglineMetrics(yDpi);
      const fields = expandTagline('From %n|%c|Page %p of %t', info);
      const xs = layoutFields(fields, 1728, m);
      // First flush left at the margin, last flush right, middle centred.
      expect(xs[0]).toBe(m.margin);
      expect(xs[2]! + fields[2]!.length * m.cellW - m.dotW).toBe(1728 - m.margin);
      expect(Math.abs(xs[1]! + (fields[1]!.length * m.cellW - m.dotW) / 2 - 864)).toBeLessThanOrEqual(1);
      // Glyphs are 7 dots about 3.6 mm tall at every resolution.
      expect(Math.abs((GLYPH_H * m.dotH) / yDpi * 25.4 - 3.6)).toBeLessThan(0.4);
      // Below the band the page is untouched; the input page is not modified.
      for (let y = m.band; y < 400; y += 37) expect(getPel(out, 100, y)).toBe(1);
      expect(page.data.every((b) => b === 0xff)).toBe(true);
    });
  }

  it('prints unknown characters as ?', () => {
    const out = applyTagline(createImage(400, 40, 204, 98), 'é~', { page: 1, pages: 1 });
    expect(readBack(out)).toEqual(['?~']);
  });

  it('clips text past the right edge without failing', () => {
    const out = applyTagline(createImage(200, 40, 204, 98), 'X'.repeat(100), { page: 1, pages: 1 });
    expect(out.width).toBe(200);
    expect(out.data.length).toBe(25 * 40);
    expect(getPel(out, 199 - 1, taglineMetrics(98).top)).toBe(1);
  });
});
