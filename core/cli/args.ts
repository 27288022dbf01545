/**
 * A tiny argument parser for the webfax CLI: `--name value`, `--flag`, `--no-flag`, positionals.
 * Every command declares what it takes, so unknown options are reported instead of ignored.
 */
export interface OptionSpec {
  /** true: the option takes a value (`--out DIR`); false: it is a flag (`--json`, `--no-ecm`). */
  value: boolean;
  help: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | boolean>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | boolean>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('--') || a === '-') { positionals.push(a); continue; }
    let name = a.slice(2);
    let inline: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) { inline = name.slice(eq + 1); name = name.slice(0, eq); }
    let s = spec[name];
    if (!s && name.startsWith('no-') && spec[name.slice(3)] && !spec[name.slice(3)]!.value) {
      options.set(name.slice(3), false);
      continue;
    }
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.value) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, v);
    } else {
      options.set(name, true);
    }
  }
  return { positionals, options };
}

export function formatOptions(spec: Record<string, OptionSpec>): string {
  return Object.entries(spec)
    .map(([k, s]) => `  --${k}${s.value ? ' VALUE' : ''}`.padEnd(28) + s.help)
    .join('\n');
}

/** Read a numeric option, with a clear error for non-numbers. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.options.get(name);
  if (v === undefined || v === true || v === false) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagOption(args: ParsedArgs, name: string, fallback = false): boolean {
  const v = args.options.get(name);
  return typeof v === 'boolean' ? v : fallback;
}
