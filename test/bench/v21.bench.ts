/**
 * V.21 channel-2 demodulation speed: seconds of audio per CPU second, webfax beside spandsp's
 * `modemrx --bench` measured in the same run (both on 300 s of PRBS, best of 5). Prints the ratio.
 */
import { execFileSync } from 'node:child_process';
import { peerBin } from '../helpers/peers';
import { V21Transmitter } from '../../core/modems/v21-tx';
import { V21Receiver } from '../../core/modems/v21-rx';
import { prbsBits } from '../../core/modems/prbs';

const SECONDS = 300;
const RUNS = 5;

export async function run(): Promise<void> {
  const bits = prbsBits(1, SECONDS * 300);
  let i = 0;
  const tx = new V21Transmitter(() => (i < bits.length ? bits[i++]! : -1));
  const audio = new Float32Array(SECONDS * 8000 + 100);
  tx.tx(audio);
  let count = 0;
  const rx = new V21Receiver(() => count++);
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    rx.restart();
    count = 0;
    const t0 = process.cpuUsage();
    for (let k = 0; k < audio.length; k += 160) rx.rx(audio, k, Math.min(160, audio.length - k));
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1e6);
  }
  const ours = SECONDS / best;
  let theirs = 0;
  for (let r = 0; r < RUNS; r++) {
    const out = execFileSync(peerBin('modemrx'), ['--bench', String(SECONDS), '--modem', 'v21']).toString();
    theirs = Math.max(theirs, JSON.parse(out.trim().split('\n').pop()!).rx_realtime_factor);
  }
  console.log(`V.21 rx, ${SECONDS} s of audio (${count} bits): webfax ${ours.toFixed(0)}x real time, spandsp ${theirs.toFixed(0)}x, ratio ${(ours / theirs).toFixed(2)}`);
}
