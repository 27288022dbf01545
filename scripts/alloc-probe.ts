/**
 * Allocation while receiving, in a plain Node process (as the CLI and the benches run the code):
 * for each modem, the bytes allocated while a receiver (already built and warmed up) takes 60 s
 * of data, from V8's sampling heap profiler with collected objects kept. Prints JSON.
 * Run: node --import tsx scripts/alloc-probe.ts (figures move by tens of % between runs: JIT tiers).
 */
import { Session } from 'node:inspector/promises';
import { modulate } from '../core/line/modem-harness';
import { createReceiver, type ModemName } from '../core/modems/registry';
import { prbsBits } from '../core/modems/prbs';

const CASES: Array<[ModemName, number]> = [['v27ter', 2400], ['v27ter', 4800], ['v29', 9600], ['v17', 14400], ['v21', 300]];

interface ProfileNode { selfSize: number; children: ProfileNode[] }
const total = (n: ProfileNode): number => n.selfSize + n.children.reduce((s, c) => s + total(c), 0);

async function main(): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  const out: Record<string, { bytesPerSecond: number; bits: number }> = {};
  for (const [modem, rate] of CASES) {
    const x = modulate(modem, rate, prbsBits(1, 60 * rate));
    let bits = 0;
    const put = (): void => { bits++; };
    const none = (): void => {};
    const feed = (rx: ReturnType<typeof createReceiver>): void => {
      for (let i = 0; i < x.length; i += 160) rx.rx(x, i, Math.min(160, x.length - i));
    };
    feed(createReceiver(modem, rate, put, none)); // warm up: compile
    const rx = createReceiver(modem, rate, put, none);
    bits = 0;
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true,
    } as never);
    feed(rx);
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
    out[`${modem} ${rate}`] = { bytesPerSecond: Math.round(total(profile.head) / (x.length / 8000)), bits };
  }
  session.disconnect();
  process.stdout.write(JSON.stringify(out));
}

void main();
