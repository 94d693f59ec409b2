/**
 * A small argument parser: each command declares its options, and anything
 * else is a usage error that names the option and the command's --help.
 */
import { UsageError } from '../language/usage.ts';
import { closest } from '../language/closest.ts';
import { setQuiet } from './progress.ts';
import { DEFAULT_LIMITS, LIMIT_HELP, MAX_SEED, type Limits } from '../language/limits.ts';

export interface OptionSpec {
  name: string;
  /** 'flag' takes no value; 'int' a whole number, 'seconds' a positive number. */
  type: 'flag' | 'int' | 'seconds' | 'string' | 'list';
  help: string;
  placeholder?: string;
  /** the smallest whole number accepted (default 0) */
  min?: number;
  /** the largest accepted: a number, or the budget (--limit NAME=N) that caps it */
  max?: number | keyof Limits;
}

export interface Parsed {
  positional: string[];
  options: Record<string, string | number | boolean | string[]>;
  /** the budgets in force: the defaults, raised or lowered by --limit */
  limits: Readonly<Limits>;
}

export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'json', type: 'flag', help: 'machine-readable output on stdout, nothing else there' },
  { name: 'seed', type: 'int', help: `seed for every random choice, 0 to ${MAX_SEED} (default 0)`, placeholder: 'N', max: MAX_SEED },
  { name: 'quiet', type: 'flag', help: 'no progress on stderr (off a terminal it is one line per finished item)' },
  { name: 'help', type: 'flag', help: 'this help' },
];

/** `--limit NAME=N`, for the commands that take work sizes from their input. */
export const LIMIT_OPTION: OptionSpec = {
  name: 'limit', type: 'list', placeholder: 'NAME=N',
  help: `raise (or lower) a budget; NAMEs and defaults: ${Object.entries(DEFAULT_LIMITS).map(([k, v]) => `${k} ${v}`).join(', ')}`,
};

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
      const min = spec.min ?? 0;
      if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${command}: --${spec.name} takes a whole number ≥ ${min}, got '${value}'`);
      options[spec.name] = n;
    } else if (spec.type === 'seconds') {
      const n = Number(value);
      if (value.trim() === '' || !(n > 0)) throw new UsageError(`${command}: --${spec.name} takes a number of seconds > 0, got '${value}'`);
      options[spec.name] = n;
    } else if (spec.type === 'list') {
      options[spec.name] = [...((options[spec.name] as string[] | undefined) ?? []), value];
    } else options[spec.name] = value;
  }
  setQuiet(options.quiet === true);
  const limits = parseLimits(command, (options.limit as string[] | undefined) ?? []);
  for (const spec of all) {
    const v = options[spec.name];
    if (typeof v !== 'number' || spec.max === undefined) continue;
    const max = typeof spec.max === 'number' ? spec.max : limits[spec.max];
    if (v > max) {
      const raise = typeof spec.max === 'string' ? ` (the budget; raise it with --limit ${spec.max}=N)` : '';
      throw new UsageError(`${command}: --${spec.name} takes a whole number from ${spec.min ?? 0} to ${max}${raise}, got ${v}`);
    }
  }
  return { positional, options, limits };
}

/** `--limit NAME=N` pairs over the defaults; an unknown name or a value that is not a whole number ≥ 1 is a usage error. */
export function parseLimits(command: string, items: readonly string[]): Readonly<Limits> {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const [name, text] of assignmentPairs(command, items, 'number', 'limit')) {
    if (!Object.hasOwn(DEFAULT_LIMITS, name)) {
      throw new UsageError(`${command}: unknown budget '${name}'${closest(name, Object.keys(DEFAULT_LIMITS))}; the budgets are ${Object.entries(LIMIT_HELP).map(([k, v]) => `${k} (${v})`).join(', ')}`);
    }
    const v = Number(text);
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`${command}: --limit ${name} takes a whole number ≥ 1, got '${text}'`);
    out[name as keyof Limits] = v;
  }
  return out;
}

/**
 * `k=v,k=v` (repeatable) into [name, value text] pairs; `values` says what the
 * values are, for the error ("number", "value"). A name given twice is an
 * error: silently keeping one of them would check something not asked for.
 */
export function assignmentPairs(command: string, items: readonly string[], values = 'number', option = 'set'): [string, string][] {
  const seen = new Set<string>();
  return items.flatMap((s) => s.split(',')).map((item) => {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(.+?)\s*$/.exec(item);
    if (!m) throw new UsageError(`${command}: --${option} takes name=${values} pairs separated by commas, got '${item}'`);
    if (seen.has(m[1])) throw new UsageError(`${command}: --${option} gives ${m[1]} twice; give each name once`);
    seen.add(m[1]);
    return [m[1], m[2]];
  });
}

export function helpText(usage: string, description: string, specs: readonly OptionSpec[]): string {
  const rows = [...specs, ...COMMON_OPTIONS].map((s) => {
    const head = `--${s.name}${s.type === 'flag' ? '' : ` ${s.placeholder ?? s.type.toUpperCase()}`}`;
    return `  ${head.padEnd(22)} ${s.help}`;
  });
  return `usage: ${usage}\n\n${description}\n\noptions:\n${rows.join('\n')}\n`;
}
