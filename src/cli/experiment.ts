/** `boundlab experiment NAME`: runs one named experiment and writes DIR/NAME.html with its plots and comparison table. */
import { EXPERIMENTS, experimentById } from '../experiments/index.ts';
import { runExperiment } from '../report/standalone.ts';
import { claimLine } from '../experiments/claims.ts';
import { tableText } from '../experiments/page.ts';
import { UsageError } from '../language/usage.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { closest } from '../language/closest.ts';
import { progress } from './progress.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'out', type: 'string', help: 'directory for NAME.html (default reports); nothing else in it is touched', placeholder: 'DIR' },
  { name: 'steps', type: 'int', help: "optimiser updates per method, or the size named below (default: the experiment's)", placeholder: 'N' },
  { name: 'seeds', type: 'int', help: 'independent repetitions the claims are judged over (experiments that list seeds below)', placeholder: 'S' },
];

/** Seeds of the command: 0 … 2^31 − 1 (a repetition adds its index to it). */
const MAX_SEED = 2 ** 31 - 1;

export const EXPERIMENT_HELP = helpText(
  'boundlab experiment NAME [--out DIR] [--steps N] [--seeds S] [--json] [--seed N]',
  `Runs one experiment (quantised training on real TensorFlow.js optimisers, or compression
in float64) and writes DIR/NAME.html: one self-contained page with the setup, a plot per measured quantity (one line per method)
and the comparison table, which is also printed (--json: all the data, on stdout).
Where a paper claims something the run can test (an ordering of methods, an error
level, an unbiasedness), the claim is judged over seeds with Student t intervals
(Bonferroni over the page's claims, family-wise level 0.999): holds, refuted or
inconclusive. Exit 0 when no claim is refuted, 1 when one is, 2 on bad usage.

experiments:
${EXPERIMENTS.map(experimentHelp).join('\n')}`,
  OPTIONS,
);

function experimentHelp(e: (typeof EXPERIMENTS)[number]): string {
  const D = e.defaults, pad = ' '.repeat(21);
  const seeds = D.seeds ? `; --seeds ${D.seeds.default} (${D.seeds.min}…${D.seeds.max})` : '';
  return `  ${e.id.padEnd(18)} ${e.summary}\n${pad}defaults: --steps ${D.steps} (${D.minSteps}…${D.maxSteps})${seeds}; ${D.describe}`;
}

export async function experimentCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('experiment', argv, OPTIONS);
  if (options.help) { process.stdout.write(EXPERIMENT_HELP); return 0; }
  const known = EXPERIMENTS.map((e) => e.id);
  if (positional.length !== 1) {
    throw new UsageError(`experiment: name one experiment (${known.join(', ')})${positional.length ? `, not ${positional.length}` : ''}; see boundlab experiment --help`);
  }
  const experiment = experimentById(positional[0]);
  if (!experiment) throw new UsageError(`experiment: unknown experiment '${positional[0]}'${closest(positional[0], known)}; known: ${known.join(', ')}`);
  const D = experiment.defaults;
  const steps = options.steps as number | undefined;
  if (steps !== undefined && (steps < D.minSteps || steps > D.maxSteps))
    throw new UsageError(`experiment: --steps must be in [${D.minSteps}, ${D.maxSteps}] for ${experiment.id}, got ${steps}`);
  const seeds = options.seeds as number | undefined;
  if (seeds !== undefined && !D.seeds) throw new UsageError(`experiment: ${experiment.id} takes no --seeds (it repeats nothing over seeds)`);
  if (seeds !== undefined && D.seeds && (seeds < D.seeds.min || seeds > D.seeds.max))
    throw new UsageError(`experiment: --seeds must be in [${D.seeds.min}, ${D.seeds.max}] for ${experiment.id}, got ${seeds}`);
  const seed = options.seed as number | undefined;
  if (seed !== undefined && (seed < 0 || seed > MAX_SEED)) throw new UsageError(`experiment: --seed must be in [0, ${MAX_SEED}], got ${seed}`);

  const bar = progress();
  const { result, file, bytes } = await runExperiment(experiment, {
    steps,
    seed,
    seeds,
    out: (options.out as string | undefined) ?? 'reports',
    argv,
    onProgress: (text) => bar.item(`${experiment.id}: ${text}…`),
  });
  bar.done();
  if (options.json) {
    process.stdout.write(JSON.stringify({ experiment: result.experiment, out: file, seed: result.seed, seconds: result.seconds, settings: result.settings, ...result.data, ...(result.claims ? { claims: result.claims } : {}) }, null, 2) + '\n');
  } else {
    process.stdout.write(`${result.title} (seed ${result.seed}, ${result.seconds.toFixed(1)} s)\n\n${tableText(result.table)}\n`);
    for (const f of result.findings) process.stdout.write(`- ${f}\n`);
    if (result.claims) {
      process.stdout.write(`\nclaims (${result.claims.method}):\n`);
      for (const c of result.claims.claims) process.stdout.write(`- ${claimLine(c)}\n`);
    }
    process.stdout.write(`wrote ${file} (${(bytes / 1e6).toFixed(2)} MB)\n`);
  }
  return result.claims?.claims.some((c) => c.verdict === 'refuted') ? 1 : 0;
}
