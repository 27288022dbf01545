#!/usr/bin/env node
// `npm test`: every test. Installs what npm does not bring (the spandsp peer, Debian's chromium),
// type-checks, runs vitest (unit + interop) and the Playwright end-to-end tests, then prints one closing line
// `N passed, N failed` counted from vitest's JSON reports.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: process.env }).status ?? 1;
const extra = process.argv.slice(2);

let setupFailed = 0;
for (const s of ['ensure-peers.mjs', 'ensure-chromium.mjs']) {
  if (run(process.execPath, [resolve(root, 'scripts', s)]) !== 0) { console.error(`test: ${s} failed`); setupFailed++; }
}
// The type check is one test: core must compile without DOM or Node types, the rest strictly.
const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
const typesOk = extra.length ? true
  : run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit']) === 0
    && run(process.execPath, [tsc, '-p', 'core/tsconfig.json', '--noEmit']) === 0;
if (!typesOk) console.error('test: type check failed');
rmSync(resolve(root, '.test-results'), { recursive: true, force: true });
const vitest = resolve(root, 'node_modules/vitest/vitest.mjs');
const unitStatus = run(process.execPath, [vitest, 'run', ...extra]);
const e2eStatus = extra.length ? 0 : run(process.execPath, [vitest, 'run', '--config', 'vitest.e2e.config.ts']);

let passed = extra.length ? 0 : typesOk ? 1 : 0;
let failed = setupFailed + (typesOk ? 0 : 1);
for (const f of ['unit.json', 'e2e.json']) {
  const p = resolve(root, '.test-results', f);
  if (!existsSync(p)) continue;
  const r = JSON.parse(readFileSync(p, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0);
  // A test file that failed without a failing test (it did not load, or its beforeAll threw and
  // its tests were skipped) counts as one failure.
  for (const tr of r.testResults ?? []) {
    if (tr.status === 'failed' && !(tr.assertionResults ?? []).some((a) => a.status === 'failed')) {
      failed++;
      console.error(`test: ${tr.name}: ${String(tr.message ?? 'failed before its tests ran').split('\n')[0]}`);
    }
  }
}
if (unitStatus !== 0 && failed === 0) failed++;
if (e2eStatus !== 0 && failed === 0) failed++;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
