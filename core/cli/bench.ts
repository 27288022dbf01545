/**
 * `webfax bench`: runs every benchmark in test/bench/*.bench.ts. Each prints its own lines with
 * the ratio to spandsp or libtiff measured in the same run. Benchmarks never pass or fail.
 */
import { readdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from './command';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/bench');

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Benchmarks: webfax speed beside spandsp/libtiff measured in the same run',
  usage: 'bench [NAME ...]   (NAME filters test/bench/NAME.bench.ts)',
  options: {},
  async run(argv) {
    const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort()
      .filter((f) => argv.length === 0 || argv.some((a) => f.startsWith(a)));
    for (const f of files) {
      console.log(`\n== ${f.replace('.bench.ts', '')}`);
      const mod = (await import(pathToFileURL(resolve(benchDir, f)).href)) as { run: () => Promise<void> };
      await mod.run();
    }
    return 0;
  },
};
