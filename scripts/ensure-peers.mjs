#!/usr/bin/env node
// Builds the spandsp reference peer (../shared/peers/spandsp) into .peers/bin when it is missing.
// build.sh itself apt-get installs libspandsp-dev, libtiff-tools, sox and gcc when run as root.
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const peerDir = resolve(root, '../shared/peers/spandsp');
const binDir = resolve(root, '.peers/bin');
const needed = ['faxcall', 'faxpeer', 'modemtx', 'modemrx', 'mkpage', 'pbm2tiff', 'tiffpagecmp'];

if (!existsSync(peerDir)) {
  console.error(`ensure-peers: ${peerDir} is missing; the interop tests need ../shared beside the repo`);
  process.exit(1);
}
// poppler-utils (pdftoppm) is the independent PDF renderer the PDF tests compare against.
const has = (cmd) => { try { execFileSync('which', [cmd], { stdio: 'ignore' }); return true; } catch { return false; } };
if (!has('pdftoppm')) {
  if (process.getuid && process.getuid() === 0) {
    console.log('ensure-peers: installing poppler-utils (pdftoppm)');
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null'], { stdio: 'inherit' });
  } else {
    console.error('ensure-peers: pdftoppm is missing; install it with: sudo apt-get install poppler-utils');
    process.exit(1);
  }
}
if (!has('tiffcp') || needed.some((b) => !existsSync(resolve(binDir, b)))) {
  mkdirSync(binDir, { recursive: true });
  console.log('ensure-peers: building the spandsp peer into .peers/bin');
  execFileSync('bash', [resolve(peerDir, 'build.sh')], { stdio: 'inherit', env: { ...process.env, BIN_DIR: binDir }, cwd: peerDir });
}
