/**
 * Receive speed of the QAM receivers in the bench's order (V.17 first, then V.29 9600, V.27ter
 * 4800 and 2400, so the shared code is compiled as in `npm run bench modems`), best of RUNS
 * timed runs of SECONDS of PRBS data each: with many runs the best is steady on a loaded machine.
 * `npx tsx scripts/rx-speed.ts [SECONDS=20] [RUNS=15]`; prints x real time (audio s per CPU s).
 */
import { modulate } from '../core/line/modem-harness';
import { createReceiver, type ModemName } from '../core/modems/registry';
import { prbsBits } from '../core/modems/prbs';
const secs = Number(process.argv[2] ?? 20);
const runs = Number(process.argv[3] ?? 15);
const out: string[] = [];
for (const [modem, rate] of [['v17', 14400], ['v29', 9600], ['v27ter', 4800], ['v27ter', 2400]] as Array<[ModemName, number]>) {
  const x = modulate(modem, rate, prbsBits(1, secs * rate));
  let n = 0;
  const once = (len: number): number => {
    const rx = createReceiver(modem, rate, () => { n++; }, () => {});
    const t0 = process.cpuUsage();
    for (let i = 0; i < len; i += 160) rx.rx(x, i, Math.min(160, len - i));
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1e6;
  };
  for (let w = 0; w < 3; w++) once(8000 * 8);
  let best = Infinity;
  for (let r = 0; r < runs; r++) best = Math.min(best, once(x.length));
  if (modem !== 'v17') out.push(`${modem} ${rate} ${(x.length / 8000 / best).toFixed(0)}`);
}
console.log(out.join(', '));
