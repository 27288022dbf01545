#!/usr/bin/env node
// Playwright drives Debian's Chromium (a browser download fails on these machines).
// Installs it with apt-get when it is absent and we are root.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  if (process.getuid && process.getuid() === 0) {
    console.log('ensure-chromium: installing Debian chromium');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  } else {
    console.error('ensure-chromium: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium');
    process.exit(1);
  }
}
