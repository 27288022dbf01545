/**
 * Pieces of a decode report as DOM: the timeline (tones, V.21 messages, high-speed bursts on
 * lanes by kind), the frame list (one <details> per frame: fields in words, bytes in hex and
 * bits), and the tone and burst tables.
 */
import type { ViewBurst, ViewFrame, ViewReport, ViewTone } from '../api';
import { h } from '../dom';

export function renderTimeline(r: ViewReport): HTMLElement {
  const end = Math.max(r.duration, ...r.tones.map((t) => t.end), ...r.bursts.map((b) => b.end), ...r.frames.map((f) => f.t), 0.001);
  const pct = (t: number): string => `${((100 * t) / end).toFixed(3)}%`;
  const lane = (top: number): HTMLElement => h('div', { class: 'lane', style: `top:${top}rem` });
  const tones = lane(0.1), frames = lane(1.3), bursts = lane(2.5);
  for (const t of r.tones) tones.append(seg('tone', t.start, t.end, t.kind, `${t.kind} ${t.start.toFixed(2)}\u2013${t.end.toFixed(2)} s`));
  for (const f of r.frames) frames.append(seg(f.fcsOk ? 'v21' : 'bad', f.t, f.t + 0.15, f.name, `${f.t.toFixed(2)} s ${f.name}${f.fcsOk ? '' : ' (bad FCS)'}`));
  for (const b of r.bursts) bursts.append(seg(b.ok ? 'burst' : 'bad', b.start, b.end, `${b.modem} ${b.kind}`, `${b.start.toFixed(2)}\u2013${b.end.toFixed(2)} s ${b.kind} ${b.modem}${b.note ? `: ${b.note}` : ''}`));
  function seg(cls: string, a: number, b: number, label: string, title: string): HTMLElement {
    return h('div', { class: `seg ${cls}`, style: `left:${pct(a)};width:max(3px,${pct(Math.max(0, b - a))})`, title }, label);
  }
  return h('div', {},
    h('div', { class: 'timeline', role: 'img', 'aria-label': `Timeline of ${end.toFixed(1)} seconds: ${r.tones.length} tones, ${r.frames.length} frames, ${r.bursts.length} high-speed bursts` },
      tones, frames, bursts,
      h('div', { class: 'axis', 'aria-hidden': 'true' }, h('span', {}, '0 s'), h('span', {}, `${(end / 2).toFixed(1)} s`), h('span', {}, `${end.toFixed(1)} s`))),
    h('p', { class: 'small muted' }, 'Lanes: tones (purple), control frames (blue; red = bad FCS), high-speed bursts (green; red = failed).'));
}

export function renderFrames(frames: ViewFrame[]): HTMLElement {
  if (frames.length === 0) return h('p', { class: 'muted' }, 'No frames found.');
  const list = h('div', { 'data-testid': 'frame-list', role: 'list' });
  for (const f of frames) {
    const bytes = (f.hex.match(/[0-9a-f]{2}/gi) ?? []).map((x) => parseInt(x, 16));
    list.append(h('details', { role: 'listitem', 'data-frame': f.name },
      h('summary', {},
        `${f.t.toFixed(2).padStart(7)} s  ${(f.dir ?? '').padEnd(4)} `,
        h('strong', {}, f.name), f.final ? ' (final) ' : ' ',
        h('span', { class: `badge ${f.fcsOk ? 'ok' : 'bad'}` }, f.fcsOk ? 'FCS ok' : 'FCS bad'),
        f.via && f.via !== 'V.21' ? ` via ${f.via}` : ''),
      h('div', { class: 'fields' },
        f.fields.length ? h('table', {}, h('tbody', {}, ...f.fields.map((x) => h('tr', {},
          x.name ? h('th', { scope: 'row' }, x.name) : null, h('td', x.name ? {} : { colspan: 2 }, x.value))))) : null,
        h('p', { class: 'bits' }, `hex: ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`),
        h('p', { class: 'bits' }, `bits (each byte MSB first; sent LSB first): ${bytes.map((b) => b.toString(2).padStart(8, '0')).join(' ')}`))));
  }
  return list;
}

export function renderTones(tones: ViewTone[]): HTMLElement {
  if (tones.length === 0) return h('p', { class: 'muted' }, 'No tones found.');
  return h('table', { 'data-testid': 'tone-list' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Tone'), h('th', {}, 'Start'), h('th', {}, 'End'), h('th', {}, 'Direction'))),
    h('tbody', {}, ...tones.map((t) => h('tr', {}, h('td', {}, t.kind), h('td', {}, `${t.start.toFixed(2)} s`), h('td', {}, `${t.end.toFixed(2)} s`), h('td', {}, t.dir ?? '')))));
}

export function renderBursts(bursts: ViewBurst[]): HTMLElement {
  if (bursts.length === 0) return h('p', { class: 'muted' }, 'No high-speed bursts found.');
  return h('table', { 'data-testid': 'burst-list' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Burst'), h('th', {}, 'Modem'), h('th', {}, 'Start'), h('th', {}, 'End'), h('th', {}, 'Result'))),
    h('tbody', {}, ...bursts.map((b) => h('tr', {},
      h('td', {}, b.kind), h('td', {}, b.modem), h('td', {}, `${b.start.toFixed(2)} s`), h('td', {}, `${b.end.toFixed(2)} s`),
      h('td', {}, h('span', { class: `badge ${b.ok ? 'ok' : 'bad'}` }, b.ok ? 'ok' : 'failed'), b.note ? ` ${b.note}` : '')))));
}
