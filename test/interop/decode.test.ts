/**
 * The recording analyser against the spandsp call recordings: every V.21 frame the call carried
 * (the `*.frames.jsonl` ground truth written by faxcall) is found, in order, with a good FCS; the
 * identities and the DCS modem/rate agree with the call's JSON; the pages, compared by libtiff
 * (tiffpagecmp), are as sent, and never worse than what spandsp's own receiver got.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fixture, peerBin } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { writeTiff } from '../../core/formats/tiff';
import { analyseRecordingFull } from '../../core/decode/recording';

const dir = fixture('calls');
const sentDoc = fixture('pages', 'doc_std_3p_g3-2d.tif');
const work = mkdtempSync(join(tmpdir(), 'webfax-decode-pages-'));

/** tiffpagecmp (libtiff via the spandsp harness) of two TIFFs. */
function pageCmp(a: string, b: string): { pages_a: number; pages_b: number; identical: boolean; pages: { rows_differing: number }[] } {
  let out: string;
  try {
    out = execFileSync(peerBin('tiffpagecmp'), [a, b]).toString();
  } catch (e) {
    out = String((e as { stdout?: Buffer }).stdout ?? '');
  }
  return JSON.parse(out.trim());
}
const recordings = readdirSync(dir).filter((f) => f.endsWith('.wav'));

interface Truth { name?: string; hex?: string; modem?: string; sender?: string; t: number; t_rx?: number | null }

function truthFor(wav: string) {
  const base = wav.replace(/\.stereo\.wav$|\.wav$/, '');
  const lines: Truth[] = readFileSync(join(dir, `${base}.frames.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const call = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8'));
  return { v21: lines.filter((l) => l.name && l.modem === 'V.21'), call };
}

/** The high-speed bursts the call sent (fast_tx_start/fast_tx_end pairs in the frames.jsonl), in seconds. */
function truthFast(wav: string): { modem: string; bitRate: number; what: string; start: number; end: number }[] {
  const base = wav.replace(/\.stereo\.wav$|\.wav$/, '');
  const ev = readFileSync(join(dir, `${base}.frames.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const out: { modem: string; bitRate: number; what: string; start: number; end: number }[] = [];
  for (const e of ev) {
    if (e.event === 'fast_tx_start') {
      out.push({ modem: e.modem, bitRate: e.bit_rate, what: e.what === 'ecm_block' ? 'ecm' : e.what, start: e.modem_on_sample / 8000, end: NaN });
    } else if (e.event === 'fast_tx_end') {
      out[out.length - 1]!.end = e.modem_off_sample / 8000;
    }
  }
  return out;
}

describe('decode: spandsp call recordings', () => {
  for (const wav of recordings) {
    it(`${wav}: every V.21 frame, in order, good FCS, IDs and DCS as the call; pages as sent`, () => {
      const w = parseWav(readFileSync(join(dir, wav)));
      const { report: r, images } = analyseRecordingFull(w.channels, w.sampleRate, { file: wav });
      const { v21, call } = truthFor(wav);
      const got = r.frames.filter((f) => f.fcsOk);
      expect(r.frames.filter((f) => !f.fcsOk)).toEqual([]);
      expect(got.map((f) => f.hex)).toEqual(v21.map((l) => l.hex));
      // Each frame lies on the line after it was queued and ends before the far end reported it.
      got.forEach((f, i) => {
        expect(f.t).toBeGreaterThanOrEqual(v21[i]!.t);
        if (v21[i]!.t_rx != null) expect(f.end).toBeLessThanOrEqual(v21[i]!.t_rx! + 0.02);
        expect(f.direction).toBe(v21[i]!.sender === 'caller' ? 'calling->called' : 'called->calling');
      });
      expect(r.summary.ids.csi).toBe(call.remote_ident_seen_by_caller);
      expect(r.summary.ids.tsi).toBe(call.remote_ident_seen_by_answerer);
      expect(r.summary.modem).toBe(call.modem);
      expect(r.summary.bitRate).toBe(call.bit_rate);
      expect(r.summary.ecm).toBe(call.ecm);
      // The caller's CNG and the answerer's CED are there, CED before the first frame.
      expect(r.tones.some((t) => t.kind === 'CNG')).toBe(true);
      const ced = r.tones.find((t) => t.kind === 'CED');
      expect(ced).toBeDefined();
      expect(ced!.end - ced!.start).toBeGreaterThan(2.5);
      expect(ced!.end).toBeLessThan(got[0]!.t);
      // Pages: every page the call delivered, compared by libtiff with the document that was sent
      // and with what spandsp's own receiver got (we must not be worse than it, row for row).
      expect(r.pages.length).toBe(call.pages_received);
      const ours = join(work, wav.replace(/\.wav$/, '.tif'));
      writeFileSync(ours, writeTiff(images, { compression: 'mmr' }));
      const vsSent = pageCmp(sentDoc, ours);
      const vsSpandsp = pageCmp(sentDoc, join(dir, wav.replace(/\.stereo\.wav$|\.wav$/, '.rx.tif')));
      expect(vsSent.pages_b).toBe(3);
      vsSent.pages.forEach((p, i) => expect(p.rows_differing).toBeLessThanOrEqual(vsSpandsp.pages[i]!.rows_differing));
      // Bursts: one per fast_tx_start/fast_tx_end pair the caller sent, same modem and rate,
      // start and end within 0.3 s, each trained, each sorted as TCF, page or ECM block.
      const fast = truthFast(wav);
      expect(r.bursts.length).toBe(fast.length);
      r.bursts.forEach((b, i) => {
        const want = fast[i]!;
        expect(b.training).toBe('succeeded');
        expect([b.modem, b.bitRate, b.what]).toEqual([want.modem, want.bitRate, want.what]);
        expect(Math.abs(b.start - want.start)).toBeLessThan(0.3);
        expect(Math.abs(b.end - want.end)).toBeLessThan(0.3);
      });
      const tcf = r.bursts.filter((b) => b.what === 'tcf');
      expect(tcf.length).toBeGreaterThan(0);
      expect(tcf[tcf.length - 1]!.modem).toBe(call.modem);
    });
  }
});

