/**
 * A small argument parser: each command declares its options, and anything
 * else is a usage error that names the option and the command's --help.
 */
import { UsageError } from '../verify/scope.ts';
import { closest } from './closest.ts';

export interface OptionSpec {
  name: string;
  /** 'flag' takes no value. */
  type: 'flag' | 'int' | 'string' | 'list';
  help: string;
  placeholder?: string;
}

export interface Parsed {
  positional: string[];
  options: Record<string, string | number | boolean | string[]>;
}

export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'flag', help: 'machine-readable output on stdout, nothing else there' },
  { name: 'seed', type: 'int', help: 'seed for every random choice (default 0)', placeholder: 'N' },
  { name: 'help', type: 'flag', help: 'this help' },
];

export function parseArgs(command: string, argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const all = [...specs, ...COMMON_OPTIONS];
  const positional: string[] = [];
  const options: Parsed['options'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { positional.push(arg); continue; }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const spec = all.find((s) => s.name === rawName);
    if (!spec) {
      throw new UsageError(`${command}: unknown option --${rawName}${closest(rawName, all.map((s) => s.name))}; see boundlab ${command} --help`);
    }
    if (spec.type === 'flag') { options[spec.name] = true; continue; }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${command}: --${spec.name} needs a value (${spec.placeholder ?? spec.type})`);
    if (spec.type === 'int') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`${command}: --${spec.name} takes a whole number ≥ 0, got '${value}'`);
      options[spec.name] = n;
    } else if (spec.type === 'list') {
      options[spec.name] = [...((options[spec.name] as string[] | undefined) ?? []), value];
    } else options[spec.name] = value;
  }
  return { positional, options };
}

/**
 * `k=v,k=v` (repeatable) into [name, value text] pairs; `values` says what the
 * values are, for the error ("number", "value").
 */
export function assignmentPairs(command: string, items: readonly string[], values = 'number'): [string, string][] {
  return items.flatMap((s) => s.split(',')).map((item) => {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(.+?)\s*$/.exec(item);
    if (!m) throw new UsageError(`${command}: --set takes name=${values} pairs separated by commas, got '${item}'`);
    return [m[1], m[2]];
  });
}

/** `k=v,k=v` (repeatable) into numbers. */
export function parseAssignments(command: string, items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, text] of assignmentPairs(command, items)) {
    const v = Number(text);
    if (!Number.isFinite(v)) throw new UsageError(`${command}: --set takes name=number pairs separated by commas, got '${name}=${text}'`);
    out[name] = v;
  }
  return out;
}

export function helpText(usage: string, description: string, specs: readonly OptionSpec[]): string {
  const rows = [...specs, ...COMMON_OPTIONS].map((s) => {
    const head = `--${s.name}${s.type === 'flag' ? '' : ` ${s.placeholder ?? s.type.toUpperCase()}`}`;
    return `  ${head.padEnd(22)} ${s.help}`;
  });
  return `usage: ${usage}\n\n${description}\n\noptions:\n${rows.join('\n')}\n`;
}
