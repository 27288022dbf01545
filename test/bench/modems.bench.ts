/**
 * Receive speed of each high-speed modem as seconds of audio per CPU second (process.cpuUsage),
 * beside spandsp's `modemrx --bench` measured in the same run, and their ratio (goal >= 0.5).
 * Each webfax receiver first runs on a few seconds of signal so the JIT has compiled the hot
 * paths, then demodulates SECONDS of PRBS data; best of RUNS. spandsp: median of RUNS.
 * BENCH_RUNS=15 npm run bench modems: more runs, for a steadier best on a loaded machine.
 */
import { execFileSync } from 'node:child_process';
import { peerBin } from '../helpers/peers';
import { modulate } from '../../core/line/modem-harness';
import { createReceiver, hasReceiver, hasTransmitter, type ModemName } from '../../core/modems/registry';
import { prbsBits } from '../../core/modems/prbs';

const SECONDS = 60;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CASES: Array<{ modem: ModemName; peer: string; rate: number }> = [
  { modem: 'v17', peer: 'v17', rate: 14400 },
  { modem: 'v29', peer: 'v29', rate: 9600 },
  { modem: 'v27ter', peer: 'v27', rate: 4800 },
  { modem: 'v27ter', peer: 'v27', rate: 2400 },
];

function webfaxRtf(modem: ModemName, rate: number): { rtf: number; bits: number } {
  const x = modulate(modem, rate, prbsBits(1, SECONDS * rate));
  const audioS = x.length / 8000;
  let bits = 0;
  const once = (len: number): number => {
    let n = 0;
    const rx = createReceiver(modem, rate, () => { n++; }, () => {});
    const t0 = process.cpuUsage();
    for (let i = 0; i < len; i += 160) rx.rx(x, i, Math.min(160, len - i));
    const d = process.cpuUsage(t0);
    bits = n;
    return (d.user + d.system) / 1e6;
  };
  for (let w = 0; w < 3; w++) once(Math.min(x.length, 8000 * 8)); // warm-up
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) best = Math.min(best, once(x.length));
  return { rtf: audioS / best, bits };
}

function spandspRtf(peer: string, rate: number): number {
  const v: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const out = execFileSync(peerBin('modemrx'), ['--bench', String(SECONDS), '--modem', peer, '--rate', String(rate)]).toString();
    v.push((JSON.parse(out) as { rx_realtime_factor: number }).rx_realtime_factor);
  }
  v.sort((a, b) => a - b);
  return v[v.length >> 1]!;
}

export async function run(): Promise<void> {
  console.log(`modem receive speed, ${SECONDS} s of PRBS data (x real time = audio s per CPU s)`);
  console.log('modem            webfax      spandsp     ratio');
  for (const c of CASES) {
    const label = `${c.modem} ${c.rate}`.padEnd(16);
    if (!hasReceiver(c.modem) || !hasTransmitter(c.modem)) {
      console.log(`${label} (not registered yet)`);
      continue;
    }
    const ours = webfaxRtf(c.modem, c.rate);
    const theirs = spandspRtf(c.peer, c.rate);
    console.log(`${label} ${ours.rtf.toFixed(0).padStart(6)}x    ${theirs.toFixed(0).padStart(6)}x    ${(ours.rtf / theirs).toFixed(2)}` +
      (ours.bits < SECONDS * c.rate * 0.99 ? '   (receiver lost bits!)' : ''));
  }
}
