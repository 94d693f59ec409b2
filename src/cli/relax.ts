/** `boundlab relax ID --drop A [--add B]`: search witnesses of the relaxed assumptions for a violation. */
import { locateError, resolveTheorem } from '../theoremFiles/load.ts';
import { assumptionsOf } from '../theorems/assumptions.ts';
import type { Theorem } from '../theorems/types.ts';
import { excessText, RELAX_DEFAULTS, relax, type RelaxResult } from '../search/relax.ts';
import { UsageError } from '../language/usage.ts';
import { helpText, parseArgs, LIMIT_OPTION, type OptionSpec } from './args.ts';
import { say, sayJson } from './terminal.ts';
import { progress } from './progress.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'drop', type: 'list', help: 'an assumption to drop, by the name boundlab list shows (repeatable)', placeholder: 'A' },
  { name: 'add', type: 'list', help: 'a class (mu-PL) or a constraint in the given syntax ("gamma <= 3/L") to add (repeatable)', placeholder: 'B' },
  { name: 'steps', type: 'int', min: 1, max: 'steps', help: `steps per run (default ${RELAX_DEFAULTS.steps})`, placeholder: 'T' },
  { name: 'instances', type: 'int', min: 1, max: 'instances', help: `instances sampled per family (default ${RELAX_DEFAULTS.instances}; ${RELAX_DEFAULTS.expectationInstances} for bounds in expectation)`, placeholder: 'N' },
  { name: 'rounds', type: 'int', help: `rounds of local refinement (default ${RELAX_DEFAULTS.rounds})`, placeholder: 'R' },
  { name: 'seeds', type: 'int', min: 2, max: 'seeds', help: `bounds in expectation: independent runs per witness (default ${RELAX_DEFAULTS.seeds})`, placeholder: 'S' },
  LIMIT_OPTION,
];

export const RELAX_HELP = helpText(
  'boundlab relax ID|FILE --drop A [--drop A...] [--add B...] [--steps T] [--instances N] [--rounds R] [--seeds S] [--json] [--seed N]',
  [
    'Drops assumptions of a theorem (a class such as convex or mu-strongly-convex, or a',
    'constraint by its text; one end of a chain, e.g. "gamma <= 1/L" of "0 < gamma <= 1 / L",',
    'may be named alone), adds others, and searches witnesses of the relaxed set for the',
    'largest violation: families sampled with fast-check, parameters drawn beyond the dropped',
    'constraint, then a local pattern search on the family parameters, the step and the',
    'starting point. A constant whose class was dropped (mu without strong convexity)',
    'becomes a parameter of the search. Runs are explored in float64 with the verifier\'s',
    'checks; a counterexample is one a real TensorFlow.js run also violates beyond the',
    'float32 tolerance model, shrunk to short numbers, and it replays from its record.',
    'A bound in expectation (sgd-*) is judged as verify judges it: each sampled witness',
    'run with S seeds, a violation being a whole confidence interval for the mean above',
    'the bound; no refinement (each evaluation is S × T real steps), the simplest',
    'violating witness shrunk, then run alone: its record (seed, seeds, steps) replays.',
    '',
    'Exit status: 0 when no counterexample is found (verdict holds, or inconclusive when no',
    'check could be resolved), 1 when one is (a check failed), 2 on bad usage: an assumption',
    'the theorem does not have, one that contradicts the rest, or a relaxed set no family',
    'has a witness of.',
  ].join('\n'),
  OPTIONS,
);

export async function relaxCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('relax', argv, OPTIONS);
  if (options.help) { say(RELAX_HELP); return 0; }
  const th = theoremArg('relax', positional);
  const drop = (options.drop as string[] | undefined) ?? [];
  if (drop.length === 0) throw new UsageError(`relax: name an assumption to drop with --drop (${th.id} assumes ${assumptionsOf(th).join(', ')})`);
  const bar = progress();
  let r: RelaxResult;
  try {
    r = await relax(th, {
      drop, add: (options.add as string[] | undefined) ?? [],
      seed: options.seed as number | undefined, steps: options.steps as number | undefined,
      instances: options.instances as number | undefined, rounds: options.rounds as number | undefined,
      seeds: options.seeds as number | undefined,
      onProgress: (t) => bar.item(t),
    }).catch((e: unknown) => { throw locateError(th, e); });
  } finally {
    bar.done();
  }
  if (options.json) sayJson(r); else say(describe(r));
  return r.verdict === 'counterexample' ? 1 : 0;
}

/** The one theorem (id or theorem file) a command takes, or a usage error naming the closest ids. */
export function theoremArg(command: string, positional: readonly string[]): Theorem {
  if (positional.length !== 1) throw new UsageError(`${command}: name one theorem id or theorem file (boundlab list shows the ids)${positional.length ? `, not ${positional.length}` : ''}`);
  return resolveTheorem(positional[0], command);
}

function describe(r: RelaxResult): string {
  const rel = [...r.relaxation.drop.map((d) => `without ${d}`), ...r.relaxation.add.map((a) => `with ${a}`)].join(', ');
  const lines = [
    `${r.theorem} ${rel}: ${r.verdict}  (${r.search.candidates} witnesses sampled, ${r.search.evaluations} evaluated, ${r.seconds.toFixed(1)} s)`,
    `  relaxed assumptions: ${r.relaxation.assumptions.join(', ')}`,
  ];
  if (r.relaxation.freed.length) lines.push(`  searched as parameters (their class was dropped): ${r.relaxation.freed.join(', ')}`);
  lines.push(`  families: ${Object.entries(r.search.families).map(([f, n]) => `${f} ${n}`).join(', ')}`);
  const c = r.counterexample;
  if (c) {
    lines.push(`  counterexample: family ${c.family}${c.step !== undefined ? `, step ${c.step}` : ''}, seed ${c.seed}`);
    if (c.divergence) lines.push('  the run diverged (NaN or ∞)');
    else if (c.interval) {
      lines.push(`  ${c.relation}`, `  mean over ${c.interval.seeds} seeds ${c.measured.toPrecision(8)}, its interval [${c.interval.lo.toPrecision(6)}, ${c.interval.hi.toPrecision(6)}] > bound ${c.bound.toPrecision(8)} (tolerance ${c.tolerance.toPrecision(3)}; ${c.steps} steps checked)`);
    } else {
      const fails = c.relation.includes(' >= ') ? '<' : c.relation.includes(' == ') ? '≠' : '>';
      lines.push(`  ${c.relation}`, `  measured ${c.measured.toPrecision(8)} ${fails} bound ${c.bound.toPrecision(8)} (tolerance ${c.tolerance.toPrecision(3)})`);
    }
    lines.push(`  parameters ${JSON.stringify(c.parameters)}`, `  witness ${JSON.stringify(c.params)}`);
    if (c.point) lines.push(`  point ${JSON.stringify(c.point)}`);
    if (c.float64) lines.push(`  float64 run of the same witness: step ${c.float64.step}, measured ${c.float64.measured.toPrecision(8)}, bound ${c.float64.bound.toPrecision(8)}`);
  } else if (r.verdict === 'holds') {
    lines.push(`  closest approach: excess ${excessText(r.search.best_excess)} (relative to both sides; > 0 would be a violation)`);
  }
  for (const n of r.search.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
