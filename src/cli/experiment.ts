/** `boundlab experiment NAME`: runs one named experiment and writes DIR/NAME.html with its plots and comparison table. */
import { EXPERIMENTS, experimentById, runExperiment } from '../experiments/index.ts';
import { tableText } from '../experiments/page.ts';
import { UsageError } from '../verify/scope.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { closest } from './closest.ts';
import { progress } from './progress.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'out', type: 'string', help: 'directory for NAME.html (default reports); nothing else in it is touched', placeholder: 'DIR' },
  { name: 'steps', type: 'int', help: "optimiser updates per method, or the size named below (default: the experiment's)", placeholder: 'N' },
];

export const EXPERIMENT_HELP = helpText(
  'boundlab experiment NAME [--out DIR] [--steps N] [--json] [--seed N]',
  `Runs one experiment (quantised training on real TensorFlow.js optimisers, or compression
in float64) and writes DIR/NAME.html: one self-contained page with the setup, a plot per measured quantity (one line per method)
and the comparison table, which is also printed (--json: all the data, on stdout).
Experiments measure; they check no bound, so the exit status is 0 unless the usage is
bad (2).

experiments:
${EXPERIMENTS.map((e) => `  ${e.id.padEnd(18)} ${e.summary}\n${' '.repeat(21)}defaults: --steps ${e.defaults.steps}; ${e.defaults.describe}`).join('\n')}`,
  OPTIONS,
);

export async function experimentCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('experiment', argv, OPTIONS);
  if (options.help) { process.stdout.write(EXPERIMENT_HELP); return 0; }
  const known = EXPERIMENTS.map((e) => e.id);
  if (positional.length !== 1) {
    throw new UsageError(`experiment: name one experiment (${known.join(', ')})${positional.length ? `, not ${positional.length}` : ''}; see boundlab experiment --help`);
  }
  const experiment = experimentById(positional[0]);
  if (!experiment) throw new UsageError(`experiment: unknown experiment '${positional[0]}'${closest(positional[0], known)}; known: ${known.join(', ')}`);
  const steps = options.steps as number | undefined;
  if (steps !== undefined && steps < experiment.defaults.minSteps)
    throw new UsageError(`experiment: --steps must be at least ${experiment.defaults.minSteps} for ${experiment.id}, got ${steps}`);

  const bar = progress();
  const { result, file, bytes } = await runExperiment(experiment, {
    steps,
    seed: options.seed as number | undefined,
    out: (options.out as string | undefined) ?? 'reports',
    argv,
    onProgress: (text) => bar.update(`${experiment.id}: ${text}…`),
  });
  bar.done();
  if (options.json) {
    process.stdout.write(JSON.stringify({ experiment: result.experiment, out: file, seed: result.seed, seconds: result.seconds, settings: result.settings, ...result.data }, null, 2) + '\n');
  } else {
    process.stdout.write(`${result.title} (seed ${result.seed}, ${result.seconds.toFixed(1)} s)\n\n${tableText(result.table)}\n`);
    for (const f of result.findings) process.stdout.write(`- ${f}\n`);
    process.stdout.write(`wrote ${file} (${(bytes / 1e6).toFixed(2)} MB)\n`);
  }
  return 0;
}
