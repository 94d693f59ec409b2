/** `boundlab tightness ID --set k=v,...`: the worst instance the search finds against the bound. */
import { TIGHTNESS_DEFAULTS, tightness, type TightnessResult } from '../search/tightness.ts';
import { UsageError } from '../language/usage.ts';
import { parseSet } from './set.ts';
import { helpText, parseArgs, LIMIT_OPTION, type OptionSpec } from './args.ts';
import { say, sayJson } from './terminal.ts';
import { progress } from './progress.ts';
import { theoremArg } from './relax.ts';
import { locateError } from '../theoremFiles/load.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'set', type: 'list', help: 'fix parameters: a number (h=1) or an expression in L, mu (gamma=1/L); N=... is the step', placeholder: 'k=v,...' },
  { name: 'steps', type: 'int', min: 1, max: 'steps', help: `runs: the step N at which the ratio is taken (default ${TIGHTNESS_DEFAULTS.steps})`, placeholder: 'N' },
  { name: 'family', type: 'string', help: 'only witnesses from this family', placeholder: 'F' },
  { name: 'instances', type: 'int', min: 1, max: 'instances', help: `instances sampled per family (default ${TIGHTNESS_DEFAULTS.instances})`, placeholder: 'N' },
  { name: 'rounds', type: 'int', help: `rounds of local refinement (default ${TIGHTNESS_DEFAULTS.rounds})`, placeholder: 'R' },
  { name: 'random-starts', type: 'flag', help: 'do not seed the search with the theorem\'s own tight witnesses (nor take the worst function of performance estimation)' },
  { name: 'no-pep', type: 'flag', help: 'runs: search even when performance estimation can give the worst function' },
  LIMIT_OPTION,
];

export const TIGHTNESS_HELP = helpText(
  'boundlab tightness ID|FILE [--set k=v,...] [--steps N] [--family F] [--instances N] [--rounds R] [--random-starts] [--no-pep] [--json] [--seed N]',
  [
    'Searches for the instance that comes closest to the bound: families sampled with',
    'fast-check (and the theorem\'s tight witnesses unless --random-starts), then a local',
    'pattern search on the family parameters, free theorem parameters and starting point.',
    'Runs: the ratio measured/bound at step N, from a real TensorFlow.js run of the best',
    'witnesses (the float64 search proposes them). Lemmas: the largest ratio at a point.',
    'Runs that `boundlab pep` covers (an interpolable class, a fixed-step method, every',
    'parameter set) take the worst function of performance estimation first: it attains',
    'the worst case over the whole class, so there is nothing to search; the real run on it',
    'gives the ratio.',
    'The worst instance found is a lower bound on the worst case, the bound an upper one:',
    'a ratio near 1 says the bound is attained, below 1 is the gap that remains.',
    '',
    'Exit status: 0; 1 when the worst instance exceeds the bound beyond the tolerance (the',
    'theorem is violated); 2 on bad usage (unknown theorem or parameter, a value outside the',
    'domain, a bound not resolved at step N).',
  ].join('\n'),
  OPTIONS,
);

export async function tightnessCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('tightness', argv, OPTIONS);
  if (options.help) { say(TIGHTNESS_HELP); return 0; }
  const th = theoremArg('tightness', positional);
  const set = parseSet('tightness', (options.set as string[] | undefined) ?? []);
  let steps = options.steps as number | undefined;
  if ('N' in set && th.kind === 'run') {
    const N = set.N;
    if (typeof N !== 'number' || !Number.isInteger(N) || N < 1) throw new UsageError(`tightness: N is a step, a whole number ≥ 1, not ${N}`);
    if (steps !== undefined && steps !== N) throw new UsageError(`tightness: --set N=${N} and --steps ${steps} disagree`);
    steps = N;
    delete set.N;
  }
  const bar = progress();
  let r: TightnessResult;
  try {
    r = await tightness(th, {
      set, steps, family: options.family as string | undefined, seed: options.seed as number | undefined,
      instances: options.instances as number | undefined, rounds: options.rounds as number | undefined,
      tight: !options['random-starts'], pep: !options['no-pep'], onProgress: (t) => bar.item(t),
    }).catch((e: unknown) => { throw locateError(th, e); });
  } finally {
    bar.done();
  }
  if (options.json) sayJson(r); else say(describe(r));
  return exceeds(r) ? 1 : 0;
}

/** The worst instance beyond the bound by more than the tolerance, on the bound's side. */
const exceeds = (r: TightnessResult): boolean => (r.relation === '>=' ? r.worst < r.bound - r.tolerance : r.worst > r.bound + r.tolerance);

function describe(r: TightnessResult): string {
  const at = r.steps !== undefined ? ` at step N = ${r.steps}` : '';
  const set = Object.keys(r.set).length ? `, ${Object.entries(r.set).map(([k, v]) => `${k} = ${v}`).join(', ')}` : '';
  const lines = [
    `${r.theorem}${at}${set}: ratio ${r.ratio.toFixed(6)}  (worst found ${r.worst.toPrecision(8)}, bound ${r.bound.toPrecision(8)}, ${r.seconds.toFixed(1)} s)`,
    `  witness: family ${r.witness.family}, parameters ${JSON.stringify(r.witness.parameters)}`,
    `  ${JSON.stringify(r.witness.params)}`,
  ];
  if (r.witness.point) lines.push(`  point ${JSON.stringify(r.witness.point)}`);
  if (r.pep?.used) {
    lines.push(`  the worst function of performance estimation (rank ${r.pep.rank}): τ = ${r.pep.tau.toPrecision(10)}, ${r.pep.verdict} against the bound ${r.pep.bound.toPrecision(10)}; tolerance ${r.tolerance.toPrecision(3)}; no search`);
  } else {
    if (r.float64_ratio !== undefined) lines.push(`  the same witness in float64: ratio ${r.float64_ratio.toFixed(6)}; tolerance ${r.tolerance.toPrecision(3)}`);
    if (r.pep) lines.push(`  performance estimation not used: ${r.pep.reason}`);
    lines.push(`  search: ${r.search.candidates} sampled, ${r.search.evaluations} evaluated, ${r.search.tight_seeds ? 'seeded with the tight witnesses' : 'random starts only'}`);
  }
  if (exceeds(r)) lines.push('  the worst instance is beyond the bound by more than the tolerance: the theorem is violated');
  return lines.join('\n') + '\n';
}
