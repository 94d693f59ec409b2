/** `boundlab check FILE...`: every step of each proof file with its verdict. */
import { readFileSync } from 'node:fs';
import { parseProof, ProofError } from '../proofs/parse.ts';
import { checkProof, describe } from '../proofs/check.ts';
import type { FileResult, StepResult, Counterexample } from '../proofs/result.ts';
import { UsageError } from '../verify/scope.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { progress } from './progress.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'samples', type: 'int', help: 'assignments per step (default: the file\'s `samples:`, else 200)', placeholder: 'N' },
];

export const CHECK_HELP = helpText(
  'boundlab check FILE... [--json] [--seed N] [--samples N]',
  'Checks each step of Markdown proof files (PROOF-FORMAT.md): equalities symbolically\nwhere mathjs can, scalar inequalities by interval arithmetic where it can, and every\nstep numerically over sampled givens and witness functions. A wrong step gets a\nshrunk counterexample.\n\nVerdicts: proved, certified, sampled, refuted, vacuous, error.\nExit status: 0 when nothing is refuted or in error; 1 when a step is refuted;\n2 when a file is malformed, its givens are vacuous, or a step is in error.',
  OPTIONS,
);

/** Read, parse and check one file; a malformed file becomes an `error` result naming file:line. */
export function checkFile(path: string, seed: number, samples?: number): FileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`check: cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return checkProof(parseProof(text, path), { seed, samples });
  } catch (e) {
    if (!(e instanceof ProofError)) throw e;
    return { file: path, title: '', verdict: 'error', steps: [], error: e.message, seed, seconds: 0 };
  }
}

export async function checkCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('check', argv, OPTIONS);
  if (options.help) { process.stdout.write(CHECK_HELP); return 0; }
  if (positional.length === 0) throw new UsageError('check: name at least one proof file, e.g. boundlab check proofs/pl-one-step.md');
  const seed = (options.seed as number | undefined) ?? 0;
  const bar = progress();
  const files: FileResult[] = [];
  for (const [i, path] of positional.entries()) {
    bar.update(`checking ${path} (${i + 1}/${positional.length})…`);
    const r = checkFile(path, seed, options.samples as number | undefined);
    files.push(r);
    if (!options.json) { bar.done(); process.stdout.write(render(r)); }
  }
  bar.done();
  if (options.json) process.stdout.write(JSON.stringify({ files }, null, 2) + '\n');
  return exitCode(files);
}

/** 2 when anything is malformed, vacuous or in error (the run cannot be trusted); else 1 when a step is refuted. */
export function exitCode(files: readonly FileResult[]): number {
  if (files.some((f) => f.verdict === 'error')) return 2;
  return files.some((f) => f.verdict === 'refuted') ? 1 : 0;
}

const REL_TEXT: Record<string, string> = { '==': '=', '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

function stepLine(s: StepResult, label: string): string {
  const count = s.verdict === 'sampled' || s.verdict === 'proved' || s.verdict === 'certified'
    ? ` (${s.samples} samples${s.skipped ? `, ${s.skipped} skipped as not finite` : ''})`
    : s.skipped ? ` (${s.skipped} skipped as not finite)` : '';
  const why = s.justification ? `   # ${s.justification}` : '';
  let out = `  ${label.padEnd(9)} ${REL_TEXT[s.relation]} ${s.rhs}\n            ${s.verdict.toUpperCase()}${count}${why}\n`;
  if (s.verdict === 'proved' || s.verdict === 'certified') out += `            ${s.message}\n`;
  if (s.verdict === 'error' || s.verdict === 'vacuous') out += `            ${s.message}\n`;
  if (s.counterexample) out += counterexampleLines(s.counterexample, s).map((l) => `            ${l}\n`).join('');
  return out;
}

/** A step's counterexample as lines of text: the sampled values, each witness, both sides' values (also the report's). */
export function counterexampleLines(c: Counterexample, s: StepResult): string[] {
  const fmt = (v: unknown) => describe({ v }).slice(4);
  const lines = [`counterexample: ${describe(c.values)}`];
  for (const [name, w] of Object.entries(c.witnesses)) {
    lines.push(`${name} = ${w.scale === 1 ? '' : `${Number(w.scale.toPrecision(6))} × `}${w.family} ${JSON.stringify(w.params)} (${describe(w.constants)})`);
  }
  lines.push(`left  ${s.lhs} = ${fmt(c.lhs)}`, `right ${s.rhs} = ${fmt(c.rhs)}`);
  return lines;
}

export function render(r: FileResult): string {
  let out = `${r.file}${r.title ? ` — ${r.title}` : ''}\n`;
  if (r.error) return `${out}  ERROR ${r.error}\n\n`;
  for (const s of r.steps) out += stepLine(s, `line ${s.line}`);
  if (r.claim) {
    out += stepLine(r.claim, 'claim').replace(/^ {2}claim {5}/, `  claim     ${r.claim.lhs} `);
    out += `            ${r.claim.establishedNote}\n`;
  }
  const counts = new Map<string, number>();
  for (const s of [...r.steps, ...(r.claim ? [r.claim] : [])]) counts.set(s.verdict, (counts.get(s.verdict) ?? 0) + 1);
  out += `  ${r.verdict.toUpperCase()}: ${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')} (${r.seconds.toFixed(2)} s, seed ${r.seed})\n\n`;
  return out;
}
