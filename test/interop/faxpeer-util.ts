/**
 * Helpers for the faxpeer interop tests: run `webfax send` / `webfax receive` in-process against
 * spandsp's faxpeer (lockstep audio over stdin/stdout), then compare pages with tiffpagecmp.
 */
import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerBin, fixture } from '../helpers/peers';
import { sendCommand, receiveCommand } from '../../core/cli/fax';

export const DOC1 = fixture('pages', 'chart_std_1p_g3-1d.tif');
export const DOC3 = fixture('pages', 'doc_std_3p_g3-2d.tif');

export const MODEM_ARG = { v27: 'v27', v29: 'v29', v17: 'v17' } as const;
export const EXPECT = {
  v27: { modem: 'V.27ter', rate: 4800 },
  v29: { modem: 'V.29', rate: 9600 },
  v17: { modem: 'V.17', rate: 14400 },
} as const;

export interface CallOut {
  code: number;
  us: Record<string, any>;
  peer: Record<string, any> | null;
  /** tiffpagecmp of the sent document against what arrived. */
  cmp: { identical: boolean; pages_a: number; pages_b: number } | null;
}

function cmp(a: string, b: string): CallOut['cmp'] {
  if (!existsSync(b)) return null;
  try {
    return JSON.parse(execFileSync(peerBin('tiffpagecmp'), [a, b], { encoding: 'utf8' }));
  } catch (e) {
    const out = (e as { stdout?: string }).stdout;
    return out ? JSON.parse(out) : null;
  }
}

function readJson(p: string): Record<string, any> | null {
  try { return JSON.parse(readFileSync(p, 'utf8')); } catch { return null; }
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** webfax sends `doc` to `faxpeer --receive`. */
export async function webfaxSends(doc: string, o: { modem: keyof typeof MODEM_ARG; ecm: boolean; answering?: boolean; extra?: string[]; peerWrap?: string; peerExtra?: string }): Promise<CallOut> {
  const dir = mkdtempSync(join(tmpdir(), 'webfax-send-'));
  const rx = join(dir, 'rx.tif');
  const ecm = o.ecm ? '--ecm' : '--no-ecm';
  let peer = `${q(peerBin('faxpeer'))} --receive ${q(rx)} ${ecm} --modems ${MODEM_ARG[o.modem]} --ident 'SPANDSP RX' --summary ${q(join(dir, 'peer.json'))}${o.answering ? ' --calling' : ''} ${o.peerExtra ?? ''}`;
  if (o.peerWrap) peer = `${o.peerWrap} ${peer}`;
  const code = await sendCommand.run([doc, '--peer', peer, ecm, '--modems', MODEM_ARG[o.modem], '--ident', 'WEBFAX TX',
    '--summary', join(dir, 'us.json'), ...(o.answering ? ['--answering'] : []), ...(o.extra ?? [])]);
  return { code, us: readJson(join(dir, 'us.json'))!, peer: readJson(join(dir, 'peer.json')), cmp: cmp(doc, rx) };
}

/** `faxpeer --send doc` sends to webfax receiving. */
export async function webfaxReceives(doc: string, o: { modem: keyof typeof MODEM_ARG; ecm: boolean; calling?: boolean; extra?: string[]; peerWrap?: string; peerExtra?: string }): Promise<CallOut> {
  const dir = mkdtempSync(join(tmpdir(), 'webfax-recv-'));
  const ecm = o.ecm ? '--ecm' : '--no-ecm';
  let peer = `${q(peerBin('faxpeer'))} --send ${q(doc)} ${ecm} --modems ${MODEM_ARG[o.modem]} --ident 'SPANDSP TX' --summary ${q(join(dir, 'peer.json'))}${o.calling ? ' --answering' : ''} ${o.peerExtra ?? ''}`;
  if (o.peerWrap) peer = `${o.peerWrap} ${peer}`;
  const code = await receiveCommand.run(['--out', dir, '--peer', peer, ecm, '--modems', MODEM_ARG[o.modem], '--ident', 'WEBFAX RX',
    '--summary', join(dir, 'us.json'), ...(o.calling ? ['--calling'] : []), ...(o.extra ?? [])]);
  return { code, us: readJson(join(dir, 'us.json'))!, peer: readJson(join(dir, 'peer.json')), cmp: cmp(doc, join(dir, 'received.tif')) };
}

/** What every call of the matrix must show: OK on both sides, at the modem's top rate, ECM as asked. */
export function expectCallOk(r: CallOut, modem: keyof typeof MODEM_ARG, ecm: boolean): void {
  expect(r.us.status_text).toBe('OK');
  expect(r.code).toBe(0);
  expect(r.peer?.ok).toBe(true);
  expect(r.us.modem).toBe(EXPECT[modem].modem);
  expect(r.us.bit_rate).toBe(EXPECT[modem].rate);
  expect(r.us.ecm).toBe(ecm);
}
