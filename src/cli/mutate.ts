/** `boundlab mutate FILE`: wrong versions of each step, checked; the share the checker kills. */
import { parseProof } from '../proofs/parse.ts';
import { mutateProof, type MutantResult, type MutationReport } from '../proofs/mutate.ts';
import { UsageError } from '../language/usage.ts';
import { helpText, parseArgs, LIMIT_OPTION, type OptionSpec } from './args.ts';
import { readInput } from '../language/input.ts';
import { say, sayJson } from './terminal.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'samples', type: 'int', min: 1, max: 'samples', help: "assignments per mutant (default: the file's `samples:`, else the checker's)", placeholder: 'N' },
  LIMIT_OPTION,
];

export const MUTATE_HELP = helpText(
  'boundlab mutate FILE [--samples N] [--json] [--seed N]',
  'Makes wrong versions (mutants) of each step and of the claim: the relation flipped or\nmade strict, a constant doubled or halved, an exponent moved by one, a term dropped, a\nsign swapped. Each is checked like a step; a refuted mutant is killed. The score is the\nshare killed, leaving out mutants in error and mutants implied by their step (weaker\nthan it at every sample, so no sound checker can kill them).\n\nExit status: 0 normally, 2 when the file is malformed or bad usage.',
  OPTIONS,
);

export function mutateCommand(argv: readonly string[]): number {
  const { positional, options, limits } = parseArgs('mutate', argv, OPTIONS);
  if (options.help) { say(MUTATE_HELP); return 0; }
  if (positional.length !== 1) throw new UsageError(`mutate: name one proof file (got ${positional.length}); see boundlab mutate --help`);
  const [path] = positional;
  const pf = parseProof(readInput(path, limits.bytes), path);
  const report = mutateProof(pf, { seed: (options.seed as number | undefined) ?? 0, samples: options.samples as number | undefined, limits });
  if (options.json) sayJson(asJson(report)); else say(describe(report));
  return 0;
}

/** Expressions as their source text (the trees stay in memory); a score with nothing counted is null. */
function asJson(r: MutationReport) {
  return {
    ...r,
    score: Number.isNaN(r.score) ? null : r.score,
    results: r.results.map((m) => ({
      line: m.line, operator: m.operator, description: m.description,
      lhs: m.lhs.source, relation: m.relation, rhs: m.rhs.source, verdict: m.verdict, implied: m.implied,
    })),
  };
}

const DESCRIPTION_WIDTH = 48;

function describe(r: MutationReport): string {
  const width = Math.min(DESCRIPTION_WIDTH, Math.max(0, ...r.results.map((m) => m.description.length)));
  const rows = r.results.map((m) => `line ${String(m.line).padEnd(4)} ${m.operator.padEnd(16)} ${m.description.padEnd(width)}  ${outcome(m)}`);
  const score = Number.isNaN(r.score) ? 'score n/a (no mutant counts)' : `score ${(100 * r.score).toFixed(1)}%`;
  const errors = r.errors ? `, ${r.errors} in error (not counted)` : '';
  rows.push(`${r.mutants} mutants, ${r.killed} killed, ${r.implied} implied (not counted)${errors}, ${score}`);
  return rows.join('\n') + '\n';
}

function outcome(m: MutantResult): string {
  if (m.verdict === 'refuted') return 'refuted (killed)';
  return m.implied ? `${m.verdict} (implied)` : m.verdict;
}
