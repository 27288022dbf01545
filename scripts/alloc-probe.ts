/**
 * Allocation while receiving, in a plain Node process (as the CLI and the benches run the code).
 * For each modem: three 60 s receptions to warm the JIT up, then a fresh receiver takes 60 s of
 * data while V8's sampling heap profiler (collected objects kept) counts the bytes allocated in
 * its first 10 s (training, and code still warming up) and in the rest (the steady state: a
 * receiver that allocates per sample or per symbol shows here as tens to hundreds of kB/s).
 * Run: node --import tsx scripts/alloc-probe.ts
 */
import { Session } from 'node:inspector/promises';
import { modulate } from '../core/line/modem-harness';
import { createReceiver, type ModemName } from '../core/modems/registry';
import type { ModemReceiver } from '../core/modems/types';
import { prbsBits } from '../core/modems/prbs';

/**
 * Environment: ALLOC_ORDER=v27ter:4800,v29:9600 (the modems and rates, in this order, in one
 * process), ALLOC_SECONDS (signal length, default 60), ALLOC_WARM (warm-up receptions, default 3),
 * ALLOC_SITES=1 (the allocating functions), ALLOC_MARK=1 (mark the measured span, for --trace-opt).
 */
const ALL: Array<[ModemName, number]> = process.env.ALLOC_ORDER
  ? process.env.ALLOC_ORDER.split(',').map((s) => [s.split(':')[0] as ModemName, Number(s.split(':')[1])])
  : [['v27ter', 2400], ['v27ter', 4800], ['v29', 9600], ['v17', 14400], ['v21', 300]];
const SECONDS = Number(process.env.ALLOC_SECONDS ?? 60);
const WARM = Number(process.env.ALLOC_WARM ?? 3);
/** Optional argument: one modem name (v29, v27ter, ...) to probe it alone, in a fresh process. */
const CASES = process.argv[2] ? ALL.filter(([m]) => m === process.argv[2]) : ALL;

interface ProfileNode { selfSize: number; children: ProfileNode[]; callFrame: { functionName: string; url: string } }
const total = (n: ProfileNode): number => n.selfSize + n.children.reduce((s, c) => s + total(c), 0);

/** ALLOC_SITES=1: the functions that allocated in the steady state, most bytes first. */
function printSites(head: ProfileNode): void {
  const by = new Map<string, number>();
  const walk = (n: ProfileNode, parent: string): void => {
    const here = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()} <- ${parent}`;
    if (n.selfSize > 0) by.set(here, (by.get(here) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, n.callFrame.functionName || '(anonymous)');
  };
  walk(head, '');
  for (const [k, v] of [...by].sort((p, q) => q[1] - p[1]).slice(0, 8)) console.log(`    ${(v / 1e3).toFixed(0).padStart(6)} kB  ${k}`);
}

async function main(): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  console.log('modem          first 10 s     steady state');
  for (const [modem, rate] of CASES) {
    const x = modulate(modem, rate, prbsBits(1, SECONDS * rate));
    const none = (): void => {};
    const feed = (rx: ModemReceiver, a: number, b: number): void => {
      for (let i = a; i < b; i += 160) rx.rx(x, i, Math.min(160, b - i));
    };
    for (let k = 0; k < WARM; k++) feed(createReceiver(modem, rate, none, none), 0, x.length);
    const rx = createReceiver(modem, rate, none, none);
    const measure = async (a: number, b: number): Promise<number> => {
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true,
      } as never);
      if (process.env.ALLOC_MARK) console.log(`--- measure ${modem} ${rate} from ${a}`);
      feed(rx, a, b);
      if (process.env.ALLOC_MARK) console.log(`--- end ${modem} ${rate}`);
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
      if (process.env.ALLOC_SITES && a > 0) printSites(profile.head);
      return total(profile.head);
    };
    const split = 80000;
    const first = await measure(0, split);
    const rest = await measure(split, x.length);
    const restS = (x.length - split) / 8000;
    console.log(`${`${modem} ${rate}`.padEnd(14)} ${(first / 1e3).toFixed(0).padStart(6)} kB    ${(rest / restS / 1e3).toFixed(1).padStart(7)} kB/s`);
  }
  session.disconnect();
}

void main();
