/**
 * HylaFAX-style taglines: a line of text imaged across the top of each outgoing page, from a
 * format such as `From %n|%c|Page %p of %t`. `%` escapes are expanded (below); `|` splits the
 * line into fields spread evenly across the page: the first flush left, the last flush right,
 * the others centred in their share of the width. The text is drawn with the built-in 5 x 7 font,
 * each dot 3 pels wide and about 0.5 mm tall at every resolution, over a band cleared to white.
 *
 * Escapes: %n / %l station identifier, %c date and time, %d destination, %p page number,
 * %t total pages, %% a percent sign.
 */
import { strideOf, type BilevelImage } from '../t4/image';
import { GLYPH_H, GLYPH_W, glyphRow } from './font5x7';

/** HylaFAX's default TagLineFormat. */
export const DEFAULT_TAGLINE = 'From %n|%c|Page %p of %t';

export interface TaglineInfo {
  /** Sending station identifier (TSI / phone number), `%n` and `%l`. */
  ident?: string;
  /** Destination, `%d`. */
  destination?: string;
  /** `%c`: a Date (formatted `YYYY-MM-DD HH:MM` in local time) or a preformatted string. */
  date?: Date | string;
  /** 1-based page number and total, `%p` and `%t`. */
  page: number;
  pages: number;
}

/** The dot size and spacing used on a page of this resolution. */
export interface TaglineMetrics {
  /** Pels per font dot across, lines per font dot down. */
  dotW: number;
  dotH: number;
  /** Character cell width in pels (glyph + one dot of spacing). */
  cellW: number;
  /** Pels from the page edge to the first/last character. */
  margin: number;
  /** Line of the glyphs' top row, and the band height cleared to white. */
  top: number;
  band: number;
}

export function taglineMetrics(yDpi: number): TaglineMetrics {
  const dotW = 3;
  const dotH = Math.max(1, Math.round(yDpi / 49)); // 2 lines at 98 lpi: 7 dots = 3.6 mm
  return { dotW, dotH, cellW: (GLYPH_W + 1) * dotW, margin: 4 * dotW * (GLYPH_W + 1), top: dotH, band: dotH * (GLYPH_H + 3) };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Expand the `%` escapes of `fmt` and split it into its `|`-separated fields. */
export function expandTagline(fmt: string, info: TaglineInfo): string[] {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch !== '%' || i + 1 >= fmt.length) { out += ch; continue; }
    const e = fmt[++i]!;
    switch (e) {
      case 'n': case 'l': out += info.ident ?? ''; break;
      case 'd': out += info.destination ?? ''; break;
      case 'c': out += info.date === undefined ? formatDate(new Date()) : typeof info.date === 'string' ? info.date : formatDate(info.date); break;
      case 'p': out += String(info.page); break;
      case 't': out += String(info.pages); break;
      case '%': out += '%'; break;
      default: out += '%' + e; // unknown escapes print as written
    }
  }
  return out.split('|');
}

/** Left pel of each field: first flush left, last flush right, the rest centred in their slot. */
export function layoutFields(fields: string[], width: number, m: TaglineMetrics): number[] {
  const usable = width - 2 * m.margin;
  const n = fields.length;
  return fields.map((f, i) => {
    const w = f.length * m.cellW - m.dotW; // no trailing spacing dot
    let x: number;
    if (i === 0) x = m.margin;
    else if (i === n - 1) x = width - m.margin - w;
    else x = m.margin + Math.round(((i + 0.5) * usable) / n - w / 2);
    return Math.max(0, x);
  });
}

function setPel(img: BilevelImage, stride: number, x: number, y: number): void {
  if (x >= 0 && x < img.width && y >= 0 && y < img.height) img.data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
}

/** Draw `text` with its left edge at pel `x0`, glyph top at line `y0`. Characters past the edge are clipped. */
export function drawText(img: BilevelImage, text: string, x0: number, y0: number, m: TaglineMetrics): void {
  const stride = strideOf(img.width);
  for (let c = 0; c < text.length; c++) {
    const cx = x0 + c * m.cellW;
    if (cx >= img.width) break;
    const code = text.charCodeAt(c);
    for (let r = 0; r < GLYPH_H; r++) {
      const bits = glyphRow(code, r);
      if (!bits) continue;
      for (let col = 0; col < GLYPH_W; col++) {
        if (!((bits >> (GLYPH_W - 1 - col)) & 1)) continue;
        for (let dy = 0; dy < m.dotH; dy++) {
          for (let dx = 0; dx < m.dotW; dx++) setPel(img, stride, cx + col * m.dotW + dx, y0 + r * m.dotH + dy);
        }
      }
    }
  }
}

/**
 * A copy of `page` with the tagline imaged over its top band (cleared to white first, so the
 * text stays readable over whatever the page had there).
 */
export function applyTagline(page: BilevelImage, fmt: string, info: TaglineInfo): BilevelImage {
  const m = taglineMetrics(page.yDpi);
  const stride = strideOf(page.width);
  const data = page.data.slice();
  data.fill(0, 0, Math.min(page.height, m.band) * stride);
  const out: BilevelImage = { ...page, data };
  const fields = expandTagline(fmt, info);
  const xs = layoutFields(fields, page.width, m);
  fields.forEach((f, i) => drawText(out, f, xs[i]!, m.top, m));
  return out;
}
