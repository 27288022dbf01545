/**
 * `webfax bench`: runs every benchmark in test/bench/*.bench.ts. Each prints its own lines with
 * the ratio to spandsp or libtiff measured in the same run. Benchmarks never pass or fail.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from './command';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/bench');

/**
 * On Linux, run the benchmarks again under `taskset` on one CPU, with every thread of this process
 * and every peer program it starts on that CPU. A VM's two vCPUs are often two hyperthreads of one
 * core: while V8's background threads (compiler, GC) run on the other one, the main thread runs up
 * to 1.6x slower, and a peer (single-threaded C) started meanwhile does not suffer it, so its
 * times and ours would not be comparable. Pinned, both run alike. Returns the exit code, or
 * undefined when already pinned or when taskset is missing (then unpinned, with a note).
 */
function pinToOneCpu(argv: string[]): number | undefined {
  if (process.platform !== 'linux' || process.env.WEBFAX_BENCH_PINNED) return undefined;
  const r = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, process.argv[1]!, 'bench', ...argv], {
    stdio: 'inherit',
    env: { ...process.env, WEBFAX_BENCH_PINNED: '1' },
  });
  if (r.error) {
    console.log('(taskset not found: benchmarks run unpinned; ratios to the peers are less steady)');
    return undefined;
  }
  return r.status ?? 1;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Benchmarks: webfax speed beside spandsp/libtiff measured in the same run',
  usage: 'bench [NAME ...]   (NAME filters test/bench/NAME.bench.ts)',
  options: {},
  async run(argv) {
    const pinned = pinToOneCpu(argv);
    if (pinned !== undefined) return pinned;
    const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort()
      .filter((f) => argv.length === 0 || argv.some((a) => f.startsWith(a)));
    if (process.env.WEBFAX_BENCH_PINNED) console.log('(pinned to CPU 0 with taskset, peers too)');
    for (const f of files) {
      console.log(`\n== ${f.replace('.bench.ts', '')}`);
      const mod = (await import(pathToFileURL(resolve(benchDir, f)).href)) as { run: () => Promise<void> };
      await mod.run();
    }
    return 0;
  },
};
