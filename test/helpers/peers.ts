/** Paths to the spandsp reference peer and shared fixtures, for interop tests. */
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const fixturesDir = resolve(sharedDir, 'fixtures');
export const peersBinDir = resolve(repoRoot, '.peers/bin');

/** Absolute path of a spandsp peer program; builds them first if needed (scripts/ensure-peers.mjs). */
export function peerBin(name: string): string {
  const p = resolve(peersBinDir, name);
  if (!existsSync(p)) {
    execFileSync(process.execPath, [resolve(repoRoot, 'scripts/ensure-peers.mjs')], { stdio: 'inherit' });
  }
  return p;
}

export function fixture(...parts: string[]): string {
  return resolve(fixturesDir, ...parts);
}
