/**
 * Receive speed of each high-speed modem and rate as seconds of audio per CPU second
 * (process.cpuUsage), beside spandsp's `modemrx --bench` measured in the same run, and their
 * ratio (goal >= 0.5).
 *
 * This machine's speed drifts by up to 1.5x from one run to the next (a shared VM), so the two
 * are timed alternately, one run of each in turn, and each side's speed is its best run: the
 * speed of the code when the machine lets it run, taken the same way for both over the same
 * minutes. The ratio is of those bests; the median of the pairs' ratios (each pair a webfax run
 * and the spandsp run right after it) is printed beside it. Each webfax receiver is new for
 * every run, after WARM runs on the same signal so the JIT has compiled the hot paths. All cases
 * run in one process, in the order below, as a fax call or a decode would use them.
 *
 * BENCH_RUNS=N (runs of each per case, default 9), BENCH_SECONDS=S (signal length, default 120),
 * BENCH_CASES=v27ter:2400,v29:9600 (a subset).
 */
import { execFileSync } from 'node:child_process';
import { peerBin } from '../helpers/peers';
import { modulate } from '../../core/line/modem-harness';
import { createReceiver, hasReceiver, hasTransmitter, type ModemName } from '../../core/modems/registry';
import { prbsBits } from '../../core/modems/prbs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARM = 4;
const PEER_NAME: Partial<Record<ModemName, string>> = { v17: 'v17', v29: 'v29', v27ter: 'v27' };
const ALL: Array<{ modem: ModemName; rate: number }> = [
  { modem: 'v17', rate: 14400 },
  { modem: 'v17', rate: 12000 },
  { modem: 'v17', rate: 9600 },
  { modem: 'v17', rate: 7200 },
  { modem: 'v29', rate: 9600 },
  { modem: 'v29', rate: 7200 },
  { modem: 'v27ter', rate: 4800 },
  { modem: 'v27ter', rate: 2400 },
];
const CASES = process.env.BENCH_CASES
  ? process.env.BENCH_CASES.split(',').map((s) => { const [m, r] = s.split(':'); return { modem: m as ModemName, rate: Number(r) }; })
  : ALL;

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One webfax reception of `x` by a new receiver: audio seconds per CPU second, and the bits out. */
function webfaxOnce(modem: ModemName, rate: number, x: Float32Array): { rtf: number; bits: number } {
  let bits = 0;
  const rx = createReceiver(modem, rate, () => { bits++; }, () => {});
  const t0 = process.cpuUsage();
  for (let i = 0; i < x.length; i += 160) rx.rx(x, i, Math.min(160, x.length - i));
  const d = process.cpuUsage(t0);
  return { rtf: x.length / 8000 / ((d.user + d.system) / 1e6), bits };
}

function spandspOnce(modem: ModemName, rate: number): number {
  const out = execFileSync(peerBin('modemrx'), ['--bench', String(SECONDS), '--modem', PEER_NAME[modem]!, '--rate', String(rate)]).toString();
  return (JSON.parse(out.trim().split('\n').pop()!) as { rx_realtime_factor: number }).rx_realtime_factor;
}

export async function run(): Promise<void> {
  console.log(`modem receive speed, ${SECONDS} s of PRBS data (x real time = audio s per CPU s), best of ${RUNS} alternate runs each`);
  console.log('modem            webfax      spandsp     ratio   (median of pairs, range)');
  for (const c of CASES) {
    const label = `${c.modem} ${c.rate}`.padEnd(16);
    if (!hasReceiver(c.modem) || !hasTransmitter(c.modem) || !PEER_NAME[c.modem]) {
      console.log(`${label} (no receiver or no spandsp peer)`);
      continue;
    }
    const x = modulate(c.modem, c.rate, prbsBits(1, SECONDS * c.rate));
    for (let w = 0; w < WARM; w++) webfaxOnce(c.modem, c.rate, x);
    const ours: number[] = [];
    const theirs: number[] = [];
    const ratios: number[] = [];
    let bits = 0;
    for (let r = 0; r < RUNS; r++) {
      const a = webfaxOnce(c.modem, c.rate, x);
      const b = spandspOnce(c.modem, c.rate);
      bits = a.bits;
      ours.push(a.rtf);
      theirs.push(b);
      ratios.push(a.rtf / b);
    }
    const best = (v: number[]): number => Math.max(...v);
    console.log(`${label} ${best(ours).toFixed(0).padStart(6)}x    ${best(theirs).toFixed(0).padStart(6)}x    ${(best(ours) / best(theirs)).toFixed(2)}` +
      `    (${median(ratios).toFixed(2)}, ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})` +
      (bits < SECONDS * c.rate * 0.99 ? '   (receiver lost bits!)' : ''));
  }
}
