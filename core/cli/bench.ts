/**
 * `webfax bench`: runs every benchmark in test/bench/*.bench.ts. Each prints its own lines with
 * the ratio to spandsp or libtiff measured in the same run. Benchmarks never pass or fail.
 *
 * Each benchmark file runs in a process of its own (as spandsp's and libtiff's programs do), so
 * what one benchmark made V8 compile does not slow or speed the next; and on Linux that process is
 * pinned with `taskset` to one CPU, it and every peer program it starts. A VM's two vCPUs are often
 * two hyperthreads of one core: while V8's background threads (compiler, GC) run on the other one,
 * the main thread runs up to 1.6x slower, and a peer (single-threaded C) started meanwhile does not
 * suffer it, so its times and ours would not be comparable. Pinned, both run alike.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from './command';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/bench');
/** Set in a benchmark's own process: run the named file here. */
const CHILD = 'WEBFAX_BENCH_CHILD';

/** Runs one benchmark file in a new process (pinned where taskset exists); its exit code. */
function runInOwnProcess(file: string, pin: boolean): number {
  const node = [process.execPath, ...process.execArgv, process.argv[1]!, 'bench'];
  const env = { ...process.env, [CHILD]: file };
  const r = pin ? spawnSync('taskset', ['-c', '0', ...node], { stdio: 'inherit', env }) : spawnSync(node[0]!, node.slice(1), { stdio: 'inherit', env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function hasTaskset(): boolean {
  return process.platform === 'linux' && !spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).error;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Benchmarks: webfax speed beside spandsp/libtiff measured in the same run',
  usage: 'bench [NAME ...]   (NAME filters test/bench/NAME.bench.ts)',
  options: {},
  async run(argv) {
    const child = process.env[CHILD];
    if (child) {
      const mod = (await import(pathToFileURL(resolve(benchDir, child)).href)) as { run: () => Promise<void> };
      await mod.run();
      return 0;
    }
    const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort()
      .filter((f) => argv.length === 0 || argv.some((a) => f.startsWith(a)));
    const pin = hasTaskset();
    console.log(pin ? '(each benchmark in its own process, pinned to CPU 0 with taskset, peers too)'
      : '(each benchmark in its own process; taskset not found, so unpinned: ratios to the peers are less steady)');
    let failed = 0;
    for (const f of files) {
      console.log(`\n== ${f.replace('.bench.ts', '')}`);
      if (runInOwnProcess(f, pin) !== 0) failed++;
    }
    return failed > 0 ? 1 : 0;
  },
};
