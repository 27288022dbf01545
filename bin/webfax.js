#!/usr/bin/env node
// The webfax CLI. TypeScript sources run directly through tsx, so there is no build to go stale.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
