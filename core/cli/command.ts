import type { OptionSpec } from './args';

/** One CLI command: `webfax NAME ...`. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run(argv: string[]): Promise<number>;
}
