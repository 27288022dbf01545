/**
 * Guard for receiver speed work: demodulates ~20 hard cases (low SNR, +-10 Hz, +-100 ppm, echo,
 * level steps, lost blocks through fillin) with V.27ter and V.29 and prints, per case, a hash of
 * the output bits and the bit errors against the sent PRBS. Run before and after a change and
 * diff the outputs: `npx tsx scripts/rx-guard.ts > before.txt`.
 */
import { modulate, compareBits } from '../core/line/modem-harness';
import { applyLine, type LineSpec } from '../core/line/line-model';
import { createReceiver, type ModemName } from '../core/modems/registry';
import { prbsBits } from '../core/modems/prbs';

interface Case { modem: ModemName; rate: number; line: LineSpec; shortTrain?: boolean; lossEvery?: number; twoBursts?: boolean }

const LINES: Array<[string, LineSpec, number?]> = [
  ['snr-low', { snrDb: 0 }],
  ['snr-lower', { snrDb: 0 }],
  ['offset+10', { snrDb: 25, offsetHz: 10 }],
  ['offset-10', { snrDb: 25, offsetHz: -10 }],
  ['ppm+100', { snrDb: 25, ppm: 100 }],
  ['ppm-100', { snrDb: 25, ppm: -100, offsetHz: 7 }],
  ['echo', { snrDb: 22, echoDb: -10, echoMs: 1.5, gainDb: -10 }],
  ['step+6', { snrDb: 24, stepDb: 6, stepAt: 16000 }],
  ['step-8', { snrDb: 24, gainDb: -6, stepDb: -8, stepAt: 20000 }],
  ['fillin', { snrDb: 25, offsetHz: 3 }, 37],
];
const SNR_LOW: Record<string, number> = { 'v27ter 2400': 9, 'v27ter 4800': 14, 'v29 9600': 20, 'v29 7200': 17 };

const BLOCK = Number(process.env.BLOCK ?? 160);
const CASES: Case[] = [];
for (const [modem, rate] of [['v27ter', 2400], ['v27ter', 4800], ['v29', 9600]] as Array<[ModemName, number]>) {
  for (const [name, spec, loss] of LINES) {
    const low = SNR_LOW[`${modem} ${rate}`]!;
    const line = name === 'snr-low' ? { ...spec, snrDb: low } : name === 'snr-lower' ? { ...spec, snrDb: low - 3 } : spec;
    CASES.push({ modem, rate, line: { ...line, seed: 7 }, lossEvery: loss });
  }
}
CASES.push({ modem: 'v27ter', rate: 4800, line: { snrDb: 15, offsetHz: -8, seed: 3 }, shortTrain: true });
CASES.push({ modem: 'v29', rate: 7200, line: { snrDb: 17, offsetHz: 9, ppm: 80, seed: 5 } });
// two bursts, the receiver restarted from its own carrier-down handler (as the front end does)
for (const [modem, rate] of [['v27ter', 2400], ['v27ter', 4800], ['v29', 9600]] as Array<[ModemName, number]>) {
  CASES.push({ modem, rate, line: { snrDb: 20, offsetHz: 4, seed: 9 }, twoBursts: true });
}

function fnv(bits: Uint8Array, n: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bits[i]!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

for (const c of CASES) {
  const ref = prbsBits(1, c.rate * 6);
  const one = modulate(c.modem, c.rate, ref, { shortTrain: c.shortTrain });
  let two = one;
  if (c.twoBursts) {
    two = new Float32Array(2 * one.length + 2397);
    two.set(one, 0);
    two.set(one, one.length + 2397);
  }
  const x = applyLine(two, c.line);
  const got = new Uint8Array(ref.length * 3);
  let n = 0;
  let events = '';
  const rx = createReceiver(c.modem, c.rate, (b) => { if (n < got.length) got[n++] = b; }, (s) => {
    events += c.twoBursts ? `${s.kind[0]}${s.sample} ` : s.kind[0];
    if (c.twoBursts && s.kind === 'carrier-down') rx.restart?.();
  }, { shortTrain: c.shortTrain });
  let block = 0;
  for (let i = 0; i < x.length; i += BLOCK, block++) {
    const len = Math.min(BLOCK, x.length - i);
    if (c.lossEvery && block % c.lossEvery === c.lossEvery - 1 && i > 8000) rx.fillin(len);
    else rx.rx(x, i, len);
  }
  const cmp = compareBits(ref, got.subarray(0, n));
  console.log(`${`${c.modem} ${c.rate}`.padEnd(12)} ${JSON.stringify(c.line).padEnd(70)} bits ${String(n).padStart(6)} hash ${fnv(got, n)} errors ${cmp.errors} missing ${cmp.missing} ev ${events}`);
}
