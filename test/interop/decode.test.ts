/**
 * `webfax decode` against the spandsp call recordings: every V.21 frame the call carried (the
 * `*.frames.jsonl` ground truth written by faxcall) is found, in order, with a good FCS; the
 * identities and the DCS modem/rate agree with the call's JSON. Also the CLI's bad-input paths.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixture, repoRoot } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { analyseRecording } from '../../core/decode/recording';

const dir = fixture('calls');
const recordings = readdirSync(dir).filter((f) => f.endsWith('.wav'));

interface Truth { name?: string; hex?: string; modem?: string; sender?: string; t: number; t_rx?: number | null }

function truthFor(wav: string) {
  const base = wav.replace(/\.stereo\.wav$|\.wav$/, '');
  const lines: Truth[] = readFileSync(join(dir, `${base}.frames.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const call = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8'));
  return { v21: lines.filter((l) => l.name && l.modem === 'V.21'), call };
}

describe('decode: spandsp call recordings', () => {
  for (const wav of recordings) {
    it(`${wav}: every V.21 frame, in order, good FCS, IDs and DCS as the call`, () => {
      const w = parseWav(readFileSync(join(dir, wav)));
      const r = analyseRecording(w.channels, w.sampleRate, { file: wav });
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
    });
  }
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin/webfax.js'), 'decode', ...args], { encoding: 'utf8' });
}

describe('decode: CLI', () => {
  it('prints the report and writes report.json with tones and frames', () => {
    const out = mkdtempSync(join(tmpdir(), 'webfax-decode-'));
    const r = cli([join(dir, 'v29_9600_noecm.wav'), '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Identification number: SPANDSP RX');
    expect(r.stdout).toContain('Modem: V.29 9600 bit/s');
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep.tones[0]).toMatchObject({ kind: 'CNG' });
    expect(rep.frames.length).toBe(12);
    for (const f of rep.frames) {
      expect(typeof f.t).toBe('number');
      expect(f).toHaveProperty('name');
      expect(f).toHaveProperty('final');
      expect(f.fcsOk).toBe(true);
      expect(f.hex).toMatch(/^ff(03|13)/);
      expect(Array.isArray(f.fields)).toBe(true);
    }
    const j = cli([join(dir, 'v29_9600_noecm.wav'), '--json']);
    expect(JSON.parse(j.stdout).frames.length).toBe(12);
  });

  it('fails with one line and a non-zero exit on bad input', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'webfax-bad-'));
    const wav = readFileSync(join(dir, 'v29_9600_noecm.wav'));
    const cases: [string, Uint8Array | null, RegExp][] = [
      ['empty.wav', new Uint8Array(0), /empty/],
      ['random.wav', Uint8Array.from({ length: 20000 }, (_, i) => (i * 2654435761) >>> 24), /not a WAV/],
      ['text.txt', new TextEncoder().encode('just some text\n'), /not a WAV/],
      ['cut.wav', wav.subarray(0, 30), /truncated/],
      ['short.wav', wav.subarray(0, 5000), /truncated/],
      ['missing.wav', null, /no such file/],
    ];
    for (const [name, bytes, re] of cases) {
      const p = join(tmp, name);
      if (bytes) writeFileSync(p, bytes);
      else expect(existsSync(p)).toBe(false);
      const r = cli([p]);
      expect(r.status, name).not.toBe(0);
      const err = r.stderr.trim();
      expect(err.split('\n').length, name).toBe(1);
      expect(err, name).toMatch(re);
      expect(err).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(cli([]).status).toBe(2);
  });
});
