/**
 * V.17 receiver fingerprint over 30 hard cases (every rate; threshold SNRs; +-10 Hz; +-100 ppm;
 * echo; level steps; fillin; short train): bit errors, missing bits, a hash of the output bits and
 * of the status events, per case. For refactors that should not change behaviour:
 *   npx tsx scripts/v17-cases.ts before.json          (on the old code)
 *   npx tsx scripts/v17-cases.ts after.json before.json   (on the new: prints the comparison)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { applyLine, type LineSpec } from '../core/line/line-model';
import { modulate, compareBits } from '../core/line/modem-harness';
import { prbsBits } from '../core/modems/prbs';
import { V17Receiver } from '../core/modems/v17-rx';
import type { ModemStatus } from '../core/modems/types';

interface Case { name: string; rate: number; line: LineSpec; nbits?: number; fillin?: number; short?: boolean }
const cases: Case[] = [];
for (const rate of [14400, 12000, 9600, 7200]) cases.push({ name: `clean ${rate}`, rate, line: { snrDb: 35, seed: 3 } });
cases.push({ name: 'low 14400@21', rate: 14400, line: { snrDb: 21, seed: 5 }, nbits: 60000 });
cases.push({ name: 'low 12000@18', rate: 12000, line: { snrDb: 18, seed: 6 }, nbits: 60000 });
cases.push({ name: 'low 9600@15', rate: 9600, line: { snrDb: 15, seed: 7 }, nbits: 60000 });
cases.push({ name: 'low 7200@12', rate: 7200, line: { snrDb: 12, seed: 8 }, nbits: 60000 });
cases.push({ name: '14400 +10Hz', rate: 14400, line: { snrDb: 26, offsetHz: 10, seed: 9 } });
cases.push({ name: '14400 -10Hz', rate: 14400, line: { snrDb: 26, offsetHz: -10, seed: 10 } });
cases.push({ name: '14400 +100ppm', rate: 14400, line: { snrDb: 26, ppm: 100, seed: 11 } });
cases.push({ name: '14400 -100ppm', rate: 14400, line: { snrDb: 26, ppm: -100, seed: 12 } });
cases.push({ name: '14400 echo', rate: 14400, line: { snrDb: 28, echoDb: -20, echoMs: 1, seed: 13 } });
cases.push({ name: '12000 echo -14', rate: 12000, line: { snrDb: 26, echoDb: -14, echoMs: 0.5, seed: 26 } });
cases.push({ name: '9600 echo', rate: 9600, line: { snrDb: 20, echoDb: -12, echoMs: 1, seed: 14 } });
for (const [rate, snr] of [[14400, 19], [12000, 16], [9600, 13], [7200, 10]] as const) cases.push({ name: `vlow ${rate}@${snr}`, rate, line: { snrDb: snr, seed: 30 + snr }, nbits: 60000 });
cases.push({ name: '14400 step +6', rate: 14400, line: { snrDb: 28, stepDb: 6, stepAt: 30000, seed: 15 } });
cases.push({ name: '14400 step -6', rate: 14400, line: { snrDb: 28, stepDb: -6, stepAt: 30000, seed: 16 } });
cases.push({ name: '9600 step +8', rate: 9600, line: { snrDb: 22, stepDb: 8, stepAt: 40000, seed: 17 } });
cases.push({ name: '14400 fillin', rate: 14400, line: { snrDb: 30, seed: 18 }, fillin: 0.02 });
cases.push({ name: '9600 fillin', rate: 9600, line: { snrDb: 22, seed: 19 }, fillin: 0.03 });
cases.push({ name: '14400 short', rate: 14400, line: { snrDb: 26, seed: 20 }, short: true });
cases.push({ name: '7200 short', rate: 7200, line: { snrDb: 14, seed: 21 }, short: true });
cases.push({ name: '14400 mix', rate: 14400, line: { snrDb: 24, offsetHz: 7, ppm: 50, echoDb: -15, seed: 22 } });
cases.push({ name: '12000 -10Hz@19', rate: 12000, line: { snrDb: 19, offsetHz: -10, seed: 23 }, nbits: 40000 });
cases.push({ name: '7200 +100ppm@12', rate: 7200, line: { snrDb: 12, ppm: 100, seed: 24 }, nbits: 40000 });
cases.push({ name: '9600 step -6@16', rate: 9600, line: { snrDb: 16, stepDb: -6, stepAt: 30000, seed: 25 }, nbits: 40000 });

function fnv(b: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) { h ^= b[i]!; h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16).padStart(8, '0');
}

const out: Record<string, unknown>[] = [];
for (const c of cases) {
  const nbits = c.nbits ?? 30000;
  const ref = prbsBits(1, nbits);
  const got: number[] = [];
  const ev: ModemStatus[] = [];
  const rx = new V17Receiver({ rate: c.rate }, (b) => got.push(b), (s) => ev.push(s));
  let audio: Float32Array;
  if (c.short) {
    const warm = applyLine(modulate('v17', c.rate, prbsBits(7, 4000)), { ...c.line, seed: 99 });
    for (let i = 0; i < warm.length; i += 160) rx.rx(warm, i, Math.min(160, warm.length - i));
    got.length = 0; ev.length = 0;
    rx.restart({ rate: c.rate, shortTrain: true });
    audio = applyLine(modulate('v17', c.rate, ref, { shortTrain: true }), c.line);
  } else {
    audio = applyLine(modulate('v17', c.rate, ref), c.line);
  }
  let seed = 12345;
  for (let i = 0; i < audio.length; i += 160) {
    const len = Math.min(160, audio.length - i);
    if (c.fillin) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      if (i > 8000 && seed / 4294967296 < c.fillin) { rx.fillin(len); continue; }
    }
    rx.rx(audio, i, len);
  }
  const cmp = compareBits(ref, got);
  const evs = ev.map((e) => `${e.kind}@${e.sample}`).join(',');
  const r = { name: c.name, errors: cmp.errors, missing: cmp.missing, nbits: got.length, hash: fnv(got), events: fnv(Array.from(evs, (ch) => ch.charCodeAt(0))), training: ev.find((e) => e.kind.startsWith('training-s') || e.kind === 'training-failed')?.kind, mse: rx.mse().toFixed(4) };
  out.push(r);
  console.log(JSON.stringify(r));
}
if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
if (process.argv[3]) {
  const before = JSON.parse(readFileSync(process.argv[3], 'utf8')) as typeof out;
  let same = 0;
  for (let i = 0; i < out.length; i++) {
    const a = before[i]!;
    const b = out[i]!;
    const identical = a.hash === b.hash && a.events === b.events;
    if (identical) same++;
    const lost = (r: typeof a): number => (r.errors as number) + (r.missing as number);
    const worse = lost(b) > lost(a) || a.training !== b.training;
    console.log(`${String(b.name).padEnd(18)} errors+missing ${lost(a)} -> ${lost(b)}${identical ? ' identical' : ''}${worse ? '  WORSE' : ''}`);
  }
  console.log(`${same} of ${out.length} identical`);
}
