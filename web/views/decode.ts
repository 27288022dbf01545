/**
 * Decode view: a recording or capture is pasted, dropped or chosen; the engine worker analyses it
 * (with progress) and this view shows the verdict, a timeline, the frame list (each frame opens
 * to its fields and bytes), the high-speed bursts and the pages, with downloads for PNG, PDF,
 * TIFF and report.json. FLAC/Ogg are decoded here by the browser (decodeAudioData) first.
 */
import type { DecodeInput, Progress, ViewReport } from '../api';
import { getEngine, Comlink } from '../engine-client';
import { h, clear, download, setStatus } from '../dom';
import { renderTimeline, renderFrames, renderBursts, renderTones } from './report-parts';
import { renderPages } from './pages-list';
import { decodeCompressedAudio, sniffCompressed } from '../compressed-audio';

export function mountDecodeView(root: HTMLElement): void {
  const input = h('input', { type: 'file', id: 'decode-file', accept: '.wav,.raw,.s16,.pcm,.sln,.ul,.ulaw,.al,.alaw,.pcap,.pcapng,.flac,.ogg,.oga,audio/*', class: 'sr-only' });
  const drop = h('div', { class: 'drop', tabindex: 0, role: 'button', 'aria-describedby': 'decode-help', 'data-testid': 'decode-drop' },
    h('p', {}, h('strong', {}, 'Drop a recording here'), ', paste it, or ', h('label', { for: 'decode-file', class: 'linklike' }, h('u', {}, 'choose a file')), '.'),
    h('p', { id: 'decode-help', class: 'muted small' }, 'WAV (PCM, float, \u00b5-law, A-law; any rate; mono or stereo), raw s16le/\u00b5-law/A-law, pcap/pcapng with G.711 RTP or T.38, FLAC, Ogg. The file is analysed in this tab; nothing is uploaded.'),
    input);
  const rawEnc = h('select', { id: 'raw-enc' }, h('option', { value: 's16le' }, 'signed 16-bit LE'), h('option', { value: 'ulaw' }, '\u00b5-law'), h('option', { value: 'alaw' }, 'A-law'));
  const rawRate = h('input', { type: 'number', id: 'raw-rate', value: 8000, min: 4000, max: 192000, step: 1 });
  const rawOpts = h('details', { class: 'small' }, h('summary', {}, 'Headerless raw audio'),
    h('div', { class: 'row' }, h('label', {}, 'Encoding ', rawEnc), h('label', {}, 'Rate (Hz) ', rawRate)));
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Decoding progress' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'decode-status' });
  const results = h('div', { 'data-testid': 'decode-results' });

  root.append(
    h('h2', {}, 'Decode a recording'),
    h('p', { class: 'muted' }, 'See what was said on the line of a fax call, where it went wrong, and the pages that were sent.'),
    h('div', { class: 'card' }, drop, rawOpts, progress, status),
    results);

  let busy = false;
  async function run(file: File): Promise<void> {
    if (busy) return;
    busy = true;
    let finished = false;
    clear(results);
    progress.hidden = false;
    progress.value = 0;
    setStatus(status, `Reading ${file.name} (${(file.size / 1024).toFixed(0)} KiB)\u2026`);
    try {
      const bytes = await file.arrayBuffer();
      const req: DecodeInput = { name: file.name };
      if (sniffCompressed(bytes)) {
        setStatus(status, `Decoding ${file.name} with the browser's audio decoder\u2026`);
        req.audio = await decodeCompressedAudio(bytes);
      } else {
        req.bytes = bytes;
        // Headerless audio only when asked for, or named like it; anything else must say what it is.
        const ext = file.name.toLowerCase().match(/\.(raw|s16|pcm|sln|ul|ulaw|al|alaw)$/)?.[1];
        if (rawOpts.open || ext) {
          const byName = ext === 'ul' || ext === 'ulaw' ? 'ulaw' : ext === 'al' || ext === 'alaw' ? 'alaw' : ext ? 's16le' : undefined;
          req.raw = { encoding: rawOpts.open ? rawEnc.value as 's16le' | 'ulaw' | 'alaw' : byName!, rate: Number(rawRate.value) || 8000 };
        }
      }
      const transfer = req.bytes ? [req.bytes] : req.audio ? req.audio.channels.map((c) => c.buffer as ArrayBuffer) : [];
      const report = await getEngine().decode(Comlink.transfer(req, transfer), Comlink.proxy((p: Progress) => {
        // Progress messages can arrive after the result: they must not overwrite it.
        if (finished) return;
        progress.value = p.fraction;
        setStatus(status, `${p.stage}\u2026 ${(p.fraction * 100).toFixed(0)}%`);
      }));
      finished = true;
      progress.value = 1;
      setStatus(status, `Decoded ${file.name}: ${report.frames.length} frames, ${report.pages.length} page${report.pages.length === 1 ? '' : 's'}.`, 'ok');
      showReport(results, report, file.name);
    } catch (e) {
      finished = true;
      setStatus(status, `Could not decode ${file.name}: ${e instanceof Error ? e.message : String(e)}`, 'bad');
    } finally {
      progress.hidden = true;
      busy = false;
    }
  }

  input.addEventListener('change', () => { const f = input.files?.[0]; if (f) void run(f); input.value = ''; });
  drop.addEventListener('click', (e) => { if (!(e.target instanceof HTMLLabelElement) && !(e.target as Element).closest('label')) input.click(); });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) void run(f);
  });
  document.addEventListener('paste', (e) => {
    if (root.hidden) return;
    const f = e.clipboardData?.files?.[0];
    if (f) { e.preventDefault(); void run(f); }
  });
}

function showReport(root: HTMLElement, r: ViewReport, name: string): void {
  const base = name.replace(/\.[^.]*$/, '') || 'fax';
  root.append(
    h('section', { class: 'card', 'aria-labelledby': 'dec-verdict' },
      h('h3', { id: 'dec-verdict' }, 'Verdict'),
      h('p', { 'data-testid': 'decode-summary' }, r.summary),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary', onclick: () => download(`${base}.report.json`, r.json, 'application/json') }, 'Download report.json'))),
    h('section', { class: 'card', 'aria-labelledby': 'dec-timeline' },
      h('h3', { id: 'dec-timeline' }, 'Timeline'),
      renderTimeline(r)),
    h('section', { class: 'card frames', 'aria-labelledby': 'dec-frames' },
      h('h3', { id: 'dec-frames' }, `Frames (${r.frames.length})`),
      renderFrames(r.frames)),
    h('section', { class: 'card', 'aria-labelledby': 'dec-tones' },
      h('h3', { id: 'dec-tones' }, `Tones (${r.tones.length}) and high-speed bursts (${r.bursts.length})`),
      renderTones(r.tones), renderBursts(r.bursts)),
    h('section', { class: 'card', 'aria-labelledby': 'dec-pages' },
      h('h3', { id: 'dec-pages' }, `Pages (${r.pages.length})`),
      renderPages(r.pages, base)));
}
