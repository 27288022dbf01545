/**
 * V.17 on a real line: the Wireshark sample call (G.711 A-law RTP, DCS V.17 14400). Its line has
 * group-delay distortion that turns segment 1's 600/3000 Hz tones some 60 degrees against the
 * 1800 Hz one, so no received A or B lies within the usual distance of the ideal point; the
 * receiver once never found segment 2 there. The bursts come out of the pcap through
 * decodeCapture. Oracles: the TCF is all zeros; the page is T.4 MR whose row count spandsp's
 * modemrx (long train on the TCF, short train on the page) gives on the same audio.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, peerBin } from '../helpers/peers';
import { decodeCapture, type AudioChannel } from '../../core/decode/capture';
import { decodeFile } from '../../core/cli/decode';
import { decodeImage } from '../../core/t4/decode';
import { V17Receiver } from '../../core/modems/v17-rx';
import type { ModemStatus } from '../../core/modems/types';

const PCAP = fixture('pcap', 'wireshark-sample_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap');
const TCF_BITS = 21600; // 1.5 s at 14400 bit/s

const capture = decodeCapture(new Uint8Array(readFileSync(PCAP)));

/** Samples of a channel between two capture times, seconds. */
function extract(ch: AudioChannel, from: number, to: number): Float32Array {
  const a = Math.max(0, Math.round((from - ch.startTime) * 8000));
  return ch.samples.slice(a, Math.max(a, Math.round((to - ch.startTime) * 8000)));
}

function power(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s / Math.max(1, x.length);
}

/** The calling side carries the TCF (66.3-69.3 s): the louder channel there; the other holds its echo. */
function channels(): { calling: AudioChannel; echo: AudioChannel } {
  const [a, b] = capture.audioChannels;
  if (!a || !b) throw new Error('the capture should have two audio channels');
  return power(extract(a, 66.5, 69)) > power(extract(b, 66.5, 69)) ? { calling: a, echo: b } : { calling: b, echo: a };
}

function feed(rx: V17Receiver, x: Float32Array): void {
  for (let i = 0; i < x.length; i += 160) rx.rx(x, i, Math.min(160, x.length - i));
}

function wav(path: string, x: Float32Array): void {
  const b = Buffer.alloc(44 + x.length * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + x.length * 2, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36);
  b.writeUInt32LE(x.length * 2, 40);
  for (let i = 0; i < x.length; i++) b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32768))), 44 + 2 * i);
  writeFileSync(path, b);
}

/** Bits (one per entry) packed LSB first, as they arrive on the line. */
function pack(bits: ArrayLike<number>, from: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(Math.max(0, bits.length - from) / 8));
  for (let i = from; i < bits.length; i++) if (bits[i]) out[(i - from) >> 3] |= 1 << ((i - from) & 7);
  return out;
}

function unpack(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return bits;
}

/** First index >= from where `key` occurs in `bits`, or -1. */
function find(bits: Uint8Array, key: number[], from: number): number {
  for (let i = from; i + key.length <= bits.length; i++) {
    let j = 0;
    while (j < key.length && bits[i + j] === key[j]) j++;
    if (j === key.length) return i;
  }
  return -1;
}

function mrPage(bytes: Uint8Array): { rows: number; badRows: number; rtcSeen: boolean } {
  const r = decodeImage(bytes, { width: 1728, coding: 'mr', fillOrder: 2 });
  return { rows: r.rows, badRows: r.badRows, rtcSeen: r.rtcSeen };
}

describe('V.17 receiver on the Wireshark sample call (pcap)', () => {
  for (const side of ['calling', 'echo'] as const) {
    it(`trains on the TCF (${side} channel) and reads it as zeros`, () => {
      const x = extract(channels()[side], 66, 70);
      const bits: number[] = [];
      const events: ModemStatus[] = [];
      const rx = new V17Receiver({ rate: 14400 }, (b) => bits.push(b), (s) => events.push(s));
      feed(rx, x);
      const kinds = events.map((e) => e.kind);
      expect(kinds).toContain('training-succeeded');
      expect(kinds).not.toContain('training-failed');
      expect(bits.length).toBeGreaterThanOrEqual(TCF_BITS);
      let ones = 0;
      for (let i = 0; i < TCF_BITS; i++) ones += bits[i]!;
      expect(ones).toBe(0);
      expect(rx.mse()).toBeLessThan(0.025);
    });
  }

  it('short-trains on the page after the TCF; its rows match spandsp modemrx on the same audio', () => {
    const { calling } = channels();
    const tcf = extract(calling, 66, 70.5);
    const page = extract(calling, 70.5, 97);
    const bits: number[] = [];
    const events: ModemStatus[] = [];
    const rx = new V17Receiver({ rate: 14400 }, (b) => bits.push(b), (s) => events.push(s));
    feed(rx, tcf);
    expect(events.map((e) => e.kind)).toContain('training-succeeded');
    const tcfBits = bits.length;
    events.length = 0;
    rx.restart({ rate: 14400, shortTrain: true });
    feed(rx, page);
    expect(events.map((e) => e.kind)).toContain('training-succeeded');
    const ours = mrPage(pack(bits, tcfBits));

    // spandsp: the same extract in one file; modemrx -o writes every bit it received.
    const dir = mkdtempSync(join(tmpdir(), 'v17cap-'));
    try {
      const all = new Float32Array(tcf.length + page.length);
      all.set(tcf); all.set(page, tcf.length);
      wav(join(dir, 'in.wav'), all);
      const out = execFileSync(peerBin('modemrx'), ['--modem', 'v17', '--rate', '14400', '-i', join(dir, 'in.wav'), '-o', join(dir, 'out.bin')], { encoding: 'utf8' });
      expect(JSON.parse(out.trim().split('\n').pop()!).trained).toBe(2);
      // Its TCF bits come first: its page starts where our page's first bits are found.
      const sp = unpack(readFileSync(join(dir, 'out.bin')));
      const at = find(sp, bits.slice(tcfBits, tcfBits + 128), TCF_BITS);
      expect(at).toBeGreaterThan(0);
      const theirs = mrPage(pack(sp, at));
      expect(theirs.rows).toBeGreaterThan(1000);
      expect(ours.rtcSeen).toBe(true);
      expect(Math.abs(ours.rows - theirs.rows)).toBeLessThanOrEqual(Math.ceil(theirs.rows * 0.01));
      expect(ours.badRows).toBeLessThanOrEqual(Math.max(2, theirs.badRows));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('webfax decode of the pcap trains on the TCF and gives the page with spandsp\'s row count', () => {
    const { report } = decodeFile(PCAP, readFileSync(PCAP));
    const tcf = report.bursts.find((b) => b.what === 'tcf');
    expect(tcf?.training).toBe('succeeded');
    const page = report.pages[0];
    expect(page).toBeDefined();
    // spandsp modemrx on this call's page: 1143 rows, 2 bad (see the test above for the live run).
    expect(Math.abs(page!.rows - 1143)).toBeLessThanOrEqual(12);
    expect(page!.badRows).toBeLessThanOrEqual(2);
  });
});
