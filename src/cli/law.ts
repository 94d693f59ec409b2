/**
 * `boundlab law ID`: runs one law check (real TensorFlow.js training over
 * sizes and seeds, a fit with its interval, a verdict per statement) and
 * writes DIR/law-ID.html. Exit 0 when nothing is inconsistent, 1 when a
 * statement is, 2 on bad usage (out-of-range sizes or seeds name the option
 * and its range).
 */
import { LAWS, lawById } from '../laws/catalogue.ts';
import type { Law } from '../laws/types.ts';
import { UsageError } from '../language/usage.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { closest } from '../language/closest.ts';
import { progress } from './progress.ts';

/** Every law's size option (widths, grids, …), declared once each. */
const SIZE_OPTIONS = [...new Set(LAWS.map((l) => l.sizes.option))];

const OPTIONS: OptionSpec[] = [
  ...SIZE_OPTIONS.map((name): OptionSpec => ({ name, type: 'string', help: `the ${name} to run, comma-separated (laws that vary ${name}; default: the law's)`, placeholder: 'A,B,..' })),
  { name: 'seeds', type: 'int', help: "independent initialisations per size (default: the law's)", placeholder: 'N' },
  { name: 'out', type: 'string', help: 'directory for law-ID.html (default reports); nothing else in it is touched', placeholder: 'DIR' },
  { name: 'list', type: 'flag', help: 'list the law checks and their defaults' },
];

const listing = (): string => LAWS.map((l) =>
  `  ${l.id.padEnd(16)} ${l.summary}\n${' '.repeat(19)}defaults: --${l.sizes.option} ${l.sizes.defaults.join(',')} --seeds ${l.seeds.default}; ${l.describe}`).join('\n');

export const LAW_HELP = helpText(
  `boundlab law ID [--${SIZE_OPTIONS.join('|--')} A,B,..] [--seeds N] [--out DIR] [--json] [--seed N]   |   boundlab law --list`,
  `Checks a paper's prediction (an exponent, or a bound along training) on real
TensorFlow.js runs over a range of sizes and seeds. An exponent is fitted per
seed by least squares on log-log axes; its 95 % interval is the Student t
interval of the per-seed slopes. Each statement is consistent (the interval
lies within the prediction ± its tolerance), inconsistent (it misses it), or
inconclusive with the reason (too few sizes or seeds, a degenerate design, an
interval too wide). Writes DIR/law-ID.html (log-log plots with the fit, its
band and the prediction). Exit status: 0 nothing inconsistent, 1 a statement
inconsistent, 2 bad usage.

law checks:
${listing()}`,
  OPTIONS,
);

function parseSizes(law: Law, text: string): number[] {
  const { option, min, max } = law.sizes;
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length);
  if (!items.length) throw new UsageError(`law: --${option} takes whole numbers in [${min}, ${max}] separated by commas, got '${text}'`);
  return items.map((s) => {
    const v = Number(s);
    if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`law: --${option} takes whole numbers in [${min}, ${max}] for ${law.id}, got '${s}'`);
    return v;
  });
}

export function lawCommand(argv: readonly string[]): Promise<number> {
  // an error's JSON (under --json) is main()'s to print, as for every command
  return run(argv);
}

async function run(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('law', argv, OPTIONS);
  if (options.help) { process.stdout.write(LAW_HELP); return 0; }
  if (options.list) {
    if (options.json) process.stdout.write(JSON.stringify({ laws: LAWS.map((l) => ({ id: l.id, title: l.title, summary: l.summary, sizes: l.sizes, seeds: l.seeds, describe: l.describe })) }, null, 2) + '\n');
    else process.stdout.write(`law checks:\n${listing()}\n`);
    return 0;
  }
  const known = LAWS.map((l) => l.id);
  if (positional.length !== 1) {
    throw new UsageError(`law: name one law check (${known.join(', ')})${positional.length ? `, not ${positional.length}` : ''}; see boundlab law --list`);
  }
  const law = lawById(positional[0]);
  if (!law) throw new UsageError(`law: unknown law check '${positional[0]}'${closest(positional[0], known)}; known: ${known.join(', ')}`);
  for (const name of SIZE_OPTIONS) {
    if (name !== law.sizes.option && options[name] !== undefined) throw new UsageError(`law: ${law.id} varies --${law.sizes.option}, not --${name}`);
  }
  const sizeText = options[law.sizes.option] as string | undefined;
  const sizes = sizeText === undefined ? undefined : parseSizes(law, sizeText);
  const seeds = options.seeds as number | undefined;
  if (seeds !== undefined && (seeds < law.seeds.min || seeds > law.seeds.max)) {
    throw new UsageError(`law: --seeds must be in [${law.seeds.min}, ${law.seeds.max}] for ${law.id}, got ${seeds}`);
  }

  const bar = progress();
  const { runLaw } = await import('../report/standalone.ts'); // TensorFlow.js and the page load only now
  const { result, verdict, file, bytes } = await runLaw(law, {
    sizes,
    seeds,
    seed: options.seed as number | undefined,
    out: (options.out as string | undefined) ?? 'reports',
    argv: ['law', ...argv],
    onProgress: (text) => bar.item(`${law.id}: ${text}…`),
  });
  bar.done();
  if (options.json) {
    process.stdout.write(JSON.stringify({ law: result.law, verdict, out: file, seed: result.seed, seconds: result.seconds, settings: result.settings, statements: result.statements, findings: result.findings, data: result.data }, null, 2) + '\n');
  } else {
    process.stdout.write(`${result.title} (seed ${result.seed}, ${result.seconds.toFixed(1)} s)\n\n`);
    for (const s of result.statements) process.stdout.write(`${s.verdict.padEnd(13)} ${s.id}: ${s.reason}\n`);
    process.stdout.write('\n');
    for (const f of result.findings) process.stdout.write(`- ${f}\n`);
    process.stdout.write(`wrote ${file} (${(bytes / 1e6).toFixed(2)} MB)\n`);
  }
  return verdict === 'inconsistent' ? 1 : 0;
}
