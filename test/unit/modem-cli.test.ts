import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../core/cli/main';
import { prbsBits, packBitsLsbFirst } from '../../core/modems/prbs';

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'webfax-modem-cli-')); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Run `webfax ARGS` in-process (the same dispatcher bin/webfax.js calls); capture its output. */
async function webfax(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const lo = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  const le = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  try {
    const status = await main(args);
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    lo.mockRestore();
    le.mockRestore();
  }
}

describe('webfax modem tx/rx', () => {
  it('tx --prbs then rx --prbs --json: trained, 0 errors', async () => {
    const wav = join(dir, 'a.wav');
    const t = await webfax('modem', 'tx', '--modem', 'v29', '--rate', '7200', '--prbs', '5', '--bits', '8000', '--out', wav);
    expect(t.status).toBe(0);
    const r = await webfax('modem', 'rx', '--modem', 'v29', '--rate', '7200', '--in', wav, '--prbs', '5', '--bits', '8000', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j.training).toBe('succeeded');
    expect(j.bit_errors).toBe(0);
    expect(j.bits_compared).toBe(8000);
    expect(j.ber).toBe(0);
  });

  it('bytes in, bytes out (LSB first), V.27ter with --snr', async () => {
    const data = packBitsLsbFirst(prbsBits(2, 4800));
    const inp = join(dir, 'in.bin');
    const wav = join(dir, 'b.wav');
    const out = join(dir, 'out.bin');
    writeFileSync(inp, data);
    expect((await webfax('modem', 'tx', '--modem', 'v27', '--rate', '4800', '--in', inp, '--out', wav, '--snr', '25')).status).toBe(0);
    const r = await webfax('modem', 'rx', '--modem', 'v27', '--rate', '4800', '--in', wav, '--ref', inp, '--out', out, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).bit_errors).toBe(0);
    expect(Buffer.from(readFileSync(out)).subarray(0, data.length).equals(Buffer.from(data))).toBe(true);
  });

  it('bad input: clear one-line errors, no stack traces', async () => {
    const junk = join(dir, 'junk.wav');
    writeFileSync(junk, 'this is not audio');
    const a = await webfax('modem', 'rx', '--modem', 'v29', '--in', junk);
    expect(a.status).not.toBe(0);
    expect(a.stderr).toMatch(/not a WAV/);
    expect(a.stderr).not.toMatch(/at .*\.ts:\d+/);
    const b = await webfax('modem', 'tx', '--modem', 'v29', '--rate', '14400', '--prbs', '1', '--out', join(dir, 'x.wav'));
    expect(b.status).not.toBe(0);
    expect(b.stderr).toMatch(/rate/);
  });

  it('silence: rx exits 1 with training "none"', async () => {
    const sil = join(dir, 'sil.wav');
    const n = 8000;
    const buf = Buffer.alloc(44 + 2 * n);
    buf.write('RIFF', 0); buf.writeUInt32LE(36 + 2 * n, 4); buf.write('WAVE', 8); buf.write('fmt ', 12);
    buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22); buf.writeUInt32LE(8000, 24);
    buf.writeUInt32LE(16000, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34); buf.write('data', 36); buf.writeUInt32LE(2 * n, 40);
    writeFileSync(sil, buf);
    const r = await webfax('modem', 'rx', '--modem', 'v27', '--in', sil, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).training).toBe('none');
  });
});
