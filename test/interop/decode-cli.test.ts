/**
 * `webfax decode` as a command: report text, report.json with tones/frames/pages, page files,
 * and one-line errors with a non-zero exit for bad input.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixture, repoRoot } from '../helpers/peers';
import { encodePcap, ethernetIpv4Udp } from '../../core/formats/pcap';
import { encodeWav, parseWav } from '../../core/formats/wav';

const dir = fixture('calls');

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin/webfax.js'), 'decode', ...args], { encoding: 'utf8' });
}

describe('decode: CLI', () => {
  it('a recording from mid-page 1 to mid-page 3: page-2.png and page-3-partial.png', () => {
    const x = parseWav(readFileSync(join(dir, 'v17_14400_noecm.wav'))).channels[0]!;
    // Page bursts start at 11.2, 30.2 and 50.9 s (v17_14400_noecm.frames.jsonl).
    const work = mkdtempSync(join(tmpdir(), 'webfax-decode-cut-'));
    writeFileSync(join(work, 'cut.wav'), encodeWav([x.subarray(16 * 8000, 55 * 8000)], 8000));
    const r = cli([join(work, 'cut.wav'), '--out', join(work, 'out')]);
    expect(r.status).toBe(0);
    const rep = JSON.parse(readFileSync(join(work, 'out', 'report.json'), 'utf8'));
    expect(rep.pages.map((p: { file: string }) => p.file)).toEqual(['page-2.png', 'page-3-partial.png']);
    for (const f of ['page-2.png', 'page-3-partial.png']) expect(existsSync(join(work, 'out', f))).toBe(true);
    expect(r.stdout).toMatch(/Page 3: .*partial/);
  });

  it('prints the report and writes report.json with tones and frames', async () => {
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
    const { main } = await import('../../core/cli/main');
    const logs: string[] = [];
    const origLog = console.log;
    console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
    try {
      expect(await main(['decode', join(dir, 'v17_14400_ecm.wav'), '--json'])).toBe(0);
    } finally {
      console.log = origLog;
    }
    const j = JSON.parse(logs.join('\n'));
    expect(j.frames.length).toBe(12);
    expect(j.pages.length).toBe(3);
    expect(rep.pages.map((p: { file: string }) => p.file)).toEqual(['page-1.png', 'page-2.png', 'page-3.png']);
    for (const f of ['page-1.png', 'fax.pdf', 'fax.tif']) expect(existsSync(join(out, f))).toBe(true);
  });

  it('fails with one line and a non-zero exit on bad input', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'webfax-bad-'));
    const wav = readFileSync(join(dir, 'v29_9600_noecm.wav'));
    const cases: [string, Uint8Array | null, RegExp][] = [
      ['empty.wav', new Uint8Array(0), /empty/],
      ['random.wav', Uint8Array.from({ length: 20000 }, (_, i) => (i * 2654435761) >>> 24), /not a WAV/],
      ['text.txt', new TextEncoder().encode('just some text\n'), /not a WAV/],
      ['cut.wav', wav.subarray(0, 30), /truncated/],
      ['short.wav', wav.subarray(0, 5000), /truncated/],
      ['missing.wav', null, /no such file/],
      ['no-rtp.pcap', encodePcap([0, 1, 2, 3].map((k) => ({ time: 1_600_000_000 + k, data: ethernetIpv4Udp('10.0.0.1', 5060, '10.0.0.2', 5060, new TextEncoder().encode(`OPTIONS sip:x SIP/2.0 ${k}`)) }))), /no G.711 RTP audio and no T.38/],
    ];
    // In-process through the CLI's own main (as bin/webfax.js runs it), one case also as a process.
    const { main } = await import('../../core/cli/main');
    const run = async (args: string[]) => {
      const errs: string[] = [];
      const orig = console.error;
      const origLog = console.log;
      console.error = (...a: unknown[]) => { errs.push(a.join(' ')); };
      console.log = () => {};
      try {
        return { status: await main(['decode', ...args]), stderr: errs.join('\n') };
      } finally {
        console.error = orig;
        console.log = origLog;
      }
    };
    for (const [name, bytes, re] of cases) {
      const p = join(tmp, name);
      if (bytes) writeFileSync(p, bytes);
      else expect(existsSync(p)).toBe(false);
      const r = name === 'random.wav' ? cli([p]) : await run([p]);
      expect(r.status, name).not.toBe(0);
      const err = r.stderr.trim();
      expect(err.split('\n').length, name).toBe(1);
      expect(err, name).toMatch(re);
      expect(err).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await run([])).status).toBe(2);
  });
});
