/**
 * V.17 14400 demodulation speed: seconds of audio per CPU second, webfax beside spandsp's
 * `modemrx --bench` measured in the same run (both on 60 s of PRBS, best of 5). Prints the ratio.
 * (The whole-modem bench, modems.bench.ts, measures V.17 through the registry as well.)
 */
import { execFileSync } from 'node:child_process';
import { peerBin } from '../helpers/peers';
import { V17Transmitter } from '../../core/modems/v17-tx';
import { V17Receiver } from '../../core/modems/v17-rx';
import { prbsBits } from '../../core/modems/prbs';

const SECONDS = 60;
const RUNS = 5;

export async function run(): Promise<void> {
  for (const rate of [14400, 7200]) {
    const bits = prbsBits(1, SECONDS * rate);
    let i = 0;
    const tx = new V17Transmitter({ rate }, () => (i < bits.length ? bits[i++]! : -1));
    const audio = new Float32Array((SECONDS + 2) * 8000);
    const n = tx.tx(audio);
    let count = 0;
    const rx = new V17Receiver({ rate }, () => count++);
    let best = Infinity;
    for (let r = 0; r < RUNS; r++) {
      rx.restart({ rate });
      count = 0;
      const t0 = process.cpuUsage();
      for (let k = 0; k < n; k += 160) rx.rx(audio, k, Math.min(160, n - k));
      const d = process.cpuUsage(t0);
      best = Math.min(best, (d.user + d.system) / 1e6);
    }
    const ours = n / 8000 / best;
    let theirs = 0;
    for (let r = 0; r < RUNS; r++) {
      const out = execFileSync(peerBin('modemrx'), ['--bench', String(SECONDS), '--modem', 'v17', '--rate', String(rate)]).toString();
      theirs = Math.max(theirs, JSON.parse(out.trim().split('\n').pop()!).rx_realtime_factor);
    }
    console.log(`V.17 ${rate} rx, ${(n / 8000).toFixed(0)} s of audio (${count} bits): webfax ${ours.toFixed(0)}x real time, spandsp ${theirs.toFixed(0)}x, ratio ${(ours / theirs).toFixed(2)}`);
  }
}
