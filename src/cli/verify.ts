/**
 * `boundlab verify ID...`: each theorem checked on its witnesses. The verifier
 * (mathjs, and TensorFlow.js when something runs) is loaded after the options
 * are read, so --help and bad usage answer at once.
 */
import { THEOREMS } from '../theorems/index.ts';
import { UsageError } from '../language/usage.ts';
import type { VerifyResult } from '../verify/result.ts';
import { DEFAULTS } from '../verify/defaults.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Statement } from '../language/statement.ts';
import { helpText, parseArgs, LIMIT_OPTION, type OptionSpec } from './args.ts';
import { say, sayJson, warn } from './terminal.ts';
import { progress } from './progress.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'family', type: 'string', help: 'only witnesses from this family', placeholder: 'F' },
  { name: 'instances', type: 'int', min: 1, max: 'instances', help: `random instances per family (default ${DEFAULTS.instances}; ${DEFAULTS.expectationInstances} for bounds in expectation)`, placeholder: 'N' },
  { name: 'steps', type: 'int', min: 1, max: 'steps', help: `steps per run (default ${DEFAULTS.runSteps}; ${DEFAULTS.expectationSteps} for bounds in expectation); points per instance for lemmas (default ${DEFAULTS.lemmaPoints})`, placeholder: 'T' },
  { name: 'seeds', type: 'int', min: 2, max: 'seeds', help: `bounds in expectation: independent runs per witness (default ${DEFAULTS.seeds}); the mean is compared by a confidence interval`, placeholder: 'S' },
  { name: 'set', type: 'list', help: 'fix theorem parameters: a number (gamma=0.1, h=1) or an expression in L, mu, ... (gamma=1/L), checked against the domain', placeholder: 'k=v,...' },
  { name: 'all', type: 'flag', help: 'every theorem in the catalogue' },
  { name: 'plant', type: 'string', help: "check a planted violation instead: 'tight' (bound ×0.5) or 'faster' (a faster rate); it should be violated", placeholder: 'KIND' },
  LIMIT_OPTION,
];

export const VERIFY_HELP = helpText(
  'boundlab verify ID|FILE... [--all] [--family F] [--instances N] [--steps T] [--seeds S] [--set k=v,...] [--json] [--seed N]',
  'A theorem is a catalogue id or a theorem file (docs/theorem-format.md).\n\nRuns each theorem\'s algorithm (real TensorFlow.js optimisers) on random witnesses that\nsatisfy its assumptions and checks the bound at every step (lemmas: at sampled points,\nin float64). Verdicts: holds, violated (with a counterexample), inconclusive (the bound\nfell below the float32 floor before anything could be seen).\n\nBounds in expectation (SGD) run S seeds per witness and compare the bound with a\nStudent t interval for the mean, Bonferroni-corrected over every step and witness\n(family-wise level 99%): violated only when a whole interval lies above the bound.\n\nExit status: 0 when every theorem holds; 1 when something is violated; 2 on bad usage, or\nwhen a theorem checked nothing (no witness fits, or no check was resolved): it says why.',
  OPTIONS,
);

export async function verifyCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('verify', argv, OPTIONS);
  if (options.help) { say(VERIFY_HELP); return 0; }
  if (options.all && positional.length) throw new UsageError(`verify: --all checks every theorem; give it or ids (${positional.join(' ')}), not both`);
  const ids = options.all ? THEOREMS.map((t) => t.id) : positional;
  if (ids.length === 0) throw new UsageError('verify: name at least one theorem id, or --all (boundlab list shows the ids)');
  const plantKind = options.plant as string | undefined;
  if (plantKind !== undefined && plantKind !== 'tight' && plantKind !== 'faster') throw new UsageError(`verify: --plant takes 'tight' or 'faster', got '${plantKind}'`);
  const [{ locateError, resolveTheorem }, { plantedStatements, verifyTheorem }, { parseSet }] = await Promise.all([
    import('../theoremFiles/load.ts'), import('../verify/verify.ts'), import('./set.ts'),
  ]);
  const theorems = ids.map((id) => resolveTheorem(id, 'verify'));
  const set = parseSet('verify', (options.set as string[] | undefined) ?? []);
  const bar = progress();
  const results: VerifyResult[] = [];
  for (const [i, th] of theorems.entries()) {
    bar.update(`verifying ${th.id} (${i + 1}/${theorems.length})…`);
    const plant = plantFor(th, plantKind, plantedStatements);
    const r = await verifyTheorem(th, {
      ...plant,
      instances: options.instances as number | undefined,
      steps: options.steps as number | undefined,
      // --seeds wins; a planted violation may need more seeds than the default to be seen
      seeds: (options.seeds as number | undefined) ?? plant.seeds,
      seed: options.seed as number | undefined,
      family: options.family as string | undefined,
      set,
    }).catch((e: unknown) => { throw locateError(th, e); });
    results.push(r);
    bar.item(`verify: ${th.id} ${r.verdict} (${i + 1}/${theorems.length}, ${r.seconds.toFixed(1)} s)`);
    if (!options.json) { bar.done(); say(describe(r)); }
  }
  bar.done();
  if (options.json) sayJson({ results });
  // A theorem that checked nothing has no verdict: say why, and exit 2 (it wins over 1, as in check).
  const empty = results.filter((r) => r.verdict === 'inconclusive');
  for (const r of empty) {
    const family = options.family ? ` of family ${options.family as string}` : '';
    warn(`boundlab: verify: ${r.theorem} checked nothing: ${r.instances === 0 ? `no witness${family} fits its assumptions; try another --family (boundlab list shows them)` : `no check was resolved above the float32 floor (${r.checks} checks); try fewer --steps or other --set values`}\n`);
  }
  if (empty.length) return 2;
  return results.some((r) => r.verdict === 'violated') ? 1 : 0;
}

/** `--plant tight|faster`: the catalogue's planted violations, from t = 1 as the tests check them. */
function plantFor(th: Theorem, kind: 'tight' | 'faster' | undefined, planted: (th: Theorem) => readonly { statement: Statement }[]): { statement?: Statement; from?: number; seeds?: number } {
  if (kind === undefined) return {};
  const plants = planted(th);
  const plant = kind === 'faster' ? plants[plants.length - 1] : plants[0];
  return { statement: plant.statement, from: th.kind === 'lemma' ? undefined : Math.max(th.from ?? 0, 1), seeds: th.planted.seeds };
}

function describe(r: VerifyResult): string {
  const margin = r.worst_margin === null ? '—' : Math.abs(r.worst_margin) < 1e-4 ? r.worst_margin.toExponential(1) : `${(100 * r.worst_margin).toFixed(2)}%`;
  const what = r.backend === 'float64' ? `${r.instances} instances × ${r.steps} points (float64)` : `${r.instances} instances × ${r.steps} steps (${r.backend})`;
  const lines = [`${r.theorem.padEnd(26)} ${r.verdict.padEnd(12)} ${what}, worst margin ${margin}, ${r.seconds.toFixed(1)} s`];
  if (r.verdict === 'inconclusive' && r.instances > 0) lines.push(`  no check was resolved above the float32 floor (${r.checks} checks)`);
  const st = r.statistics;
  if (st) {
    lines.push(`  ${st.method}`);
    if (st.closest && !r.counterexample) {
      const k = st.closest;
      lines.push(`  closest: ${k.family} step ${k.step}, mean ${k.mean.toPrecision(5)} in [${k.lo.toPrecision(5)}, ${k.hi.toPrecision(5)}], bound ${k.bound.toPrecision(5)}`);
    }
  }
  if (r.skipped) lines.push(`  ${r.skipped} samples skipped (a side was not finite)`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  const c = r.counterexample;
  if (c) {
    lines.push(`  counterexample: family ${c.family}, ${c.step !== undefined ? `step ${c.step}` : 'at the point below'}`);
    if (c.divergence) lines.push('  the run diverged (NaN or ∞)');
    else if (c.interval) lines.push(`  ${c.relation}\n  mean over ${c.interval.seeds} seeds ${c.measured.toPrecision(6)}, interval [${c.interval.lo.toPrecision(6)}, ${c.interval.hi.toPrecision(6)}] above bound ${c.bound.toPrecision(6)} (tolerance ${c.tolerance.toPrecision(3)})`);
    else lines.push(`  ${c.relation}\n  measured ${c.measured.toPrecision(8)} > bound ${c.bound.toPrecision(8)} (tolerance ${c.tolerance.toPrecision(3)})`);
    lines.push(`  parameters ${JSON.stringify(c.parameters)}`, `  witness ${JSON.stringify(c.params)}`);
    if (c.point) lines.push(`  point ${JSON.stringify(c.point)}`);
  }
  return lines.join('\n') + '\n';
}
