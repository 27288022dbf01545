/**
 * `webfax call` (two webfax endpoints back to back in one process) and the CLI's handling of bad
 * input for send/receive/call. Oracle: spandsp's tiffpagecmp (libtiff decode) between the document
 * and received.tif, and the phase E summary.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callCommand, sendCommand, receiveCommand } from '../../core/cli/fax';
import { UsageError } from '../../core/cli/args';
import { fixture, peerBin } from '../helpers/peers';
import { readTiff, writeTiff } from '../../core/formats/tiff';
import { parseWav } from '../../core/formats/wav';
import { taglineMetrics } from '../../core/docs/tagline';
import { createImage, strideOf } from '../../core/t4/image';
import { parseDcs } from '../../core/t30/dis';

const DOC1 = fixture('pages', 'chart_std_1p_g3-1d.tif');
const DOC3 = fixture('pages', 'doc_std_3p_g3-2d.tif');

function cmp(a: string, b: string): { identical: boolean; pages_b: number } {
  try {
    return JSON.parse(execFileSync(peerBin('tiffpagecmp'), [a, b], { encoding: 'utf8' }));
  } catch (e) {
    return JSON.parse((e as { stdout: string }).stdout);
  }
}

describe('webfax call', () => {
  it('V.29, no ECM: the page arrives pixel-identical, stored as MMR TIFF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webfax-call-'));
    const code = await callCommand.run([DOC1, '--out', dir, '--modems', 'v29', '--no-ecm', '--summary', join(dir, 's.json')]);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(code).toBe(0);
    expect(s.ok).toBe(true);
    expect(s.rx.modem).toBe('V.29');
    expect(s.rx.bit_rate).toBe(9600);
    expect(s.rx.pages_received).toBe(1);
    expect(s.tx.pages_confirmed).toBe(1);
    expect(cmp(DOC1, join(dir, 'received.tif')).identical).toBe(true);
    // MMR (T.6) storage: compression tag 4 in the first IFD.
    const tif = readFileSync(join(dir, 'received.tif'));
    expect(tif.includes(Buffer.from([0x03, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00]))).toBe(true);
  });

  it('V.29 with ECM over a noisy line (gated, 14 dB SNR): frames lost, repaired by PPR, identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webfax-call-'));
    const code = await callCommand.run([DOC1, '--out', dir, '--modems', 'v29', '--ecm', '--line', 'snr=14,gate=1,seed=3', '--summary', join(dir, 's.json')]);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(code, JSON.stringify(s)).toBe(0);
    expect(s.rx.ecm).toBe(true);
    expect(s.rx.ecm_retries).toBeGreaterThan(0);
    expect(cmp(DOC1, join(dir, 'received.tif')).identical).toBe(true);
  });

  it('tagline on send: only the tagline band differs; --wav records both directions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webfax-call-'));
    const wav = join(dir, 'line.wav');
    const code = await callCommand.run([DOC1, '--out', dir, '--modems', 'v29', '--tagline', 'From %n|Page %p of %t', '--ident', '+1 555 0100',
      '--wav', wav, '--summary', join(dir, 's.json')]);
    expect(code).toBe(0);
    const sent = readTiff(readFileSync(DOC1))[0]!.image;
    const got = readTiff(readFileSync(join(dir, 'received.tif')))[0]!.image;
    expect(got.height).toBe(sent.height);
    const band = taglineMetrics(sent.yDpi).band;
    const stride = strideOf(sent.width);
    const rowDiffers = (y: number) => Buffer.compare(Buffer.from(sent.data.subarray(y * stride, (y + 1) * stride)), Buffer.from(got.data.subarray(y * stride, (y + 1) * stride))) !== 0;
    let inBand = 0;
    for (let y = 0; y < band; y++) if (rowDiffers(y)) inBand++;
    expect(inBand).toBeGreaterThan(0);
    for (let y = band; y < sent.height; y++) expect(rowDiffers(y)).toBe(false);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    const w = parseWav(readFileSync(wav));
    expect(w.channels.length).toBe(2);
    expect(w.sampleRate).toBe(8000);
    expect(Math.abs(w.channels[0]!.length / 8000 - s.audio_s)).toBeLessThan(0.05);
  });

  it('--spoil-tcf 1: the receiver answers FTT, the sender steps down and delivers every page identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webfax-call-'));
    const code = await callCommand.run([DOC3, '--out', dir, '--spoil-tcf', '1', '--summary', join(dir, 's.json')]);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(code, JSON.stringify(s.tx.frames)).toBe(0);
    const names = (s.tx.frames as { dir: string; name: string }[]).map((f) => `${f.dir} ${f.name}`);
    expect(names.filter((n) => n === 'rx FTT').length).toBe(1);
    const dcsRates = (s.tx.frames as { dir: string; name: string; hex: string }[])
      .filter((f) => f.dir === 'tx' && f.name === 'DCS')
      .map((f) => parseDcs(Buffer.from(f.hex, 'hex').subarray(3)).bitRate);
    expect(dcsRates.length).toBeGreaterThanOrEqual(2);
    expect(dcsRates[1]!).toBeLessThan(dcsRates[0]!);
    expect(s.rx.bit_rate).toBe(dcsRates[dcsRates.length - 1]);
    expect(s.rx.pages_received).toBe(3);
    const c = cmp(DOC3, join(dir, 'received.tif'));
    expect(c.pages_b).toBe(3);
    expect(c.identical).toBe(true);
  });

  it('--chop INCHES: trailing white goes from the last page (or every page with --chop-all) only above the threshold', async () => {
    // Two standard pages of 700 rows: ink in the first 400, then 300 white rows (3.06 inches).
    const mk = () => {
      const img = createImage(1728, 700, 204, 98);
      const st = strideOf(1728);
      for (let y = 0; y < 400; y++) if (y % 10 >= 7) img.data.fill(0xf0, y * st + 20, y * st + 100);
      return img;
    };
    const dir = mkdtempSync(join(tmpdir(), 'webfax-chop-'));
    const doc = join(dir, 'doc.tif');
    writeFileSync(doc, writeTiff([mk(), mk()]));
    const heights = async (extra: string[]) => {
      const out = join(dir, extra.join('_') || 'plain');
      const code = await callCommand.run([doc, '--out', out, '--modems', 'v17', ...extra, '--summary', join(out + '.json')]);
      expect(code).toBe(0);
      return readTiff(readFileSync(join(out, 'received.tif'))).map((p) => p.image.height);
    };
    expect(await heights([])).toEqual([700, 700]);
    expect(await heights(['--chop', '3'])).toEqual([700, 400]);
    expect(await heights(['--chop', '3', '--chop-all'])).toEqual([400, 400]);
    expect(await heights(['--chop', '3.2'])).toEqual([700, 700]); // 3.06 inches of white: below the threshold
    await expect(callCommand.run([doc, '--out', dir, '--chop', 'lots'])).rejects.toBeInstanceOf(UsageError);
    await expect(callCommand.run([doc, '--out', dir, '--chop', '-1'])).rejects.toBeInstanceOf(UsageError);
    await expect(callCommand.run([doc, '--out', dir, '--chop-all'])).rejects.toBeInstanceOf(UsageError);
    await expect(sendCommand.run([doc, '--peer', 'true', '--chop', 'x'])).rejects.toBeInstanceOf(UsageError);
  });

  it('bad input: clear errors, no stack traces, no hangs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webfax-call-'));
    await expect(callCommand.run(['/nonexistent.tif', '--out', dir])).rejects.toThrow(/cannot read/);
    const junk = join(dir, 'junk.tif');
    writeFileSync(junk, 'this is not a document');
    await expect(callCommand.run([junk, '--out', dir])).rejects.toThrow(/unrecognised|TIFF|document/i);
    await expect(callCommand.run([DOC1])).rejects.toBeInstanceOf(UsageError);
    await expect(callCommand.run([DOC1, '--out', dir, '--line', 'snr=abc'])).rejects.toBeInstanceOf(UsageError);
    await expect(callCommand.run([DOC1, '--out', dir, '--modems', 'v99'])).rejects.toBeInstanceOf(UsageError);
    await expect(sendCommand.run([DOC1])).rejects.toBeInstanceOf(UsageError);
    await expect(receiveCommand.run(['--peer', 'true'])).rejects.toBeInstanceOf(UsageError);
    // A peer that exits at once: the caller hears nothing and gives up on T1, ~35 s of line time.
    const code = await sendCommand.run([DOC1, '--peer', 'true', '--summary', join(dir, 'p.json')]);
    const s = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect(code).toBe(1);
    expect(s.status).toBe(3);
  });
});
