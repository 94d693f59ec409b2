/** `boundlab check FILE...`: every step of each proof file with its verdict. */
import type { CheckOptions } from '../proofs/check.ts';
import { establishment, type FileResult, type StepResult } from '../proofs/result.ts';
import { UsageError } from '../language/usage.ts';
import { DEFAULT_TIMEOUT_SECONDS, LOOSE_TOLERANCE } from '../language/limits.ts';
import { helpText, parseArgs, LIMIT_OPTION, type OptionSpec } from './args.ts';
import { checkFile } from '../proofs/file.ts';
import { counterexampleLines } from '../proofs/counterexample.ts';
import { progress } from './progress.ts';
import { say, sayJson } from './terminal.ts';

/** The options every command that checks proof files takes (check, mutate, report). */
export const PROOF_OPTIONS: OptionSpec[] = [
  { name: 'samples', type: 'int', min: 1, max: 'samples', help: 'assignments per step (default: the file\'s `samples:`, else 200)', placeholder: 'N' },
  { name: 'timeout', type: 'seconds', help: `seconds one file may take; past them it is inconclusive and the run goes on (default ${DEFAULT_TIMEOUT_SECONDS})`, placeholder: 'S' },
  { name: 'allow-loose-tolerance', type: 'flag', help: `accept a file's \`tolerance:\` above ${LOOSE_TOLERANCE.toExponential()} (it can let wrong steps pass)` },
  LIMIT_OPTION,
];

export const CHECK_HELP = helpText(
  'boundlab check FILE... [--json] [--seed N] [--samples N] [--timeout S] [--limit NAME=N]',
  'Checks each step of Markdown proof files (docs/proof-format.md): equalities symbolically\nwhere mathjs can, scalar inequalities by interval arithmetic where it can, steps about\nvectors and declared functions by interpolation certificates (csdp), and every\nstep numerically over sampled givens and witness functions. A wrong step gets a\nshrunk counterexample.\n\nVerdicts: proved, certified, sampled, refuted, inconclusive (no evidence: every sample\nwas not finite, or the time ran out), vacuous, error. A file is valid only when every\nstep is proved, certified or sampled.\nExit status: 0 when every file is valid; 1 when a step is refuted; 2 when a file is\nmalformed, its givens are vacuous, a step is in error or a file is inconclusive\n(2 wins over 1).',
  PROOF_OPTIONS,
);

/** CheckOptions from a command's parsed proof options. */
export function checkOptions(options: Record<string, unknown>, limits: CheckOptions['limits']): CheckOptions {
  return {
    seed: (options.seed as number | undefined) ?? 0,
    samples: options.samples as number | undefined,
    timeout: options.timeout as number | undefined,
    allowLooseTolerance: options['allow-loose-tolerance'] === true,
    limits,
  };
}

export async function checkCommand(argv: readonly string[]): Promise<number> {
  const { positional, options, limits } = parseArgs('check', argv, PROOF_OPTIONS);
  if (options.help) { say(CHECK_HELP); return 0; }
  if (positional.length === 0) throw new UsageError('check: name at least one proof file, e.g. boundlab check proofs/pl-one-step.md');
  const opts = checkOptions(options, limits);
  const bar = progress();
  const files: FileResult[] = [];
  for (const [i, path] of positional.entries()) {
    bar.update(`checking ${path} (${i + 1}/${positional.length})…`);
    const r = checkFile(path, opts);
    files.push(r);
    bar.item(`check: ${path} ${r.verdict} (${i + 1}/${positional.length})`);
    if (!options.json) { bar.done(); say(render(r)); }
  }
  bar.done();
  if (options.json) sayJson({ files });
  return exitCode(files);
}

/** 2 when anything is malformed, vacuous, in error or inconclusive (the run cannot be trusted); else 1 when a step is refuted. */
export function exitCode(files: readonly FileResult[]): number {
  if (files.some((f) => f.verdict === 'error' || f.verdict === 'inconclusive')) return 2;
  return files.some((f) => f.verdict === 'refuted') ? 1 : 0;
}

const REL_TEXT: Record<string, string> = { '==': '=', '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

function stepLine(s: StepResult, label: string): string {
  const count = s.verdict === 'sampled' || s.verdict === 'proved' || s.verdict === 'certified'
    ? ` (${s.samples} samples${s.skipped ? `, ${s.skipped} skipped as not finite` : ''})`
    : s.skipped ? ` (${s.skipped} skipped as not finite)` : '';
  const why = s.justification ? `   # ${s.justification}` : '';
  let out = `  ${label.padEnd(9)} ${REL_TEXT[s.relation]} ${s.rhs}\n            ${s.verdict.toUpperCase()}${s.scope ? ` at ${s.scope}` : ''}${count}${why}\n`;
  if (s.verdict === 'proved' || s.verdict === 'certified') out += `            ${s.message}\n`;
  if (s.verdict === 'error' || s.verdict === 'vacuous' || s.verdict === 'inconclusive') out += `            ${s.message}\n`;
  if (s.verdict === 'refuted' && s.message) out += `            ${s.message}\n`;
  if (s.counterexample) out += counterexampleLines(s.counterexample, s).map((l) => `            ${l}\n`).join('');
  return out;
}

export function render(r: FileResult): string {
  let out = `${r.file}${r.title ? ` — ${r.title}` : ''}\n`;
  if (r.error) return `${out}  ERROR ${r.error}\n\n`;
  for (const s of r.steps) out += stepLine(s, `line ${s.line}`);
  if (r.claim) {
    out += stepLine(r.claim, 'claim').replace(/^ {2}claim {5}/, `  claim     ${r.claim.lhs} `);
    const e = establishment(r)!;
    out += `            ${e.tick ? '✓' : '✗'} ${e.note}\n`;
  }
  const counts = new Map<string, number>();
  for (const s of [...r.steps, ...(r.claim ? [r.claim] : [])]) counts.set(s.verdict, (counts.get(s.verdict) ?? 0) + 1);
  if (r.reason) out += `  ${r.reason}\n`;
  out += `  ${r.verdict.toUpperCase()}: ${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')} (${r.seconds.toFixed(2)} s, seed ${r.seed}, relative tolerance ${r.tolerance})\n\n`;
  return out;
}
