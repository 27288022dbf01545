/**
 * `webfax` command-line entry: dispatches to one module per command. Errors a user can cause
 * (bad file, bad option) end as one line on stderr and exit code 2 or 1, never a stack trace.
 */
import { formatOptions, UsageError } from './args';
import type { Command } from './command';
import { commands } from './commands';

export class CliError extends Error {}

function helpText(): string {
  const lines = [
    'webfax - a software Group 3 fax modem',
    '',
    'Usage: webfax <command> [options]   (webfax <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
  ];
  return lines.join('\n');
}

export function commandHelp(c: Command): string {
  return `Usage: webfax ${c.usage}\n\n${c.summary}\n\nOptions:\n${formatOptions(c.options)}\n  --help                      show this help`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log('webfax 0.1.0');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`webfax: unknown command "${name}" (see webfax --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`webfax ${cmd.name}: ${e.message} (see webfax ${cmd.name} --help)`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`webfax ${cmd.name}: ${msg}`);
    if (process.env.WEBFAX_DEBUG && e instanceof Error) console.error(e.stack);
    return 1;
  }
}
