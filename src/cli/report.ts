/** `boundlab report [TARGET...]`: theorems verified and proofs checked, written as one self-contained HTML page. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../proofs/parse.ts';
import { THEOREMS, theoremById } from '../theorems/index.ts';
import { EXPERIMENTS, experimentById } from '../experiments/index.ts';
import { LAWS, lawById } from '../laws/catalogue.ts';
import { isTheoremFileText, loadTheoremFile, resolveTheorem } from '../theoremFiles/load.ts';
import { UsageError } from '../language/usage.ts';
import { DEFAULTS as VERIFY_DEFAULTS } from '../verify/verify.ts';
import { environment } from '../report/environment.ts';
import { formatMargin, formatSeconds } from '../numeric/format.ts';
import { exitCode, summaryRow, type ReportItem } from '../report/items.ts';
import { jobLabel, type Job, type JobSettings, type Outcome } from '../report/jobs.ts';
import { renderPage, uniqueIds } from '../report/page.ts';
import { exportReport, type ExportResult } from '../report/export.ts';
import { changesSince, readRecord, reportRecord, type ReportRecord } from '../report/since.ts';
import { runRelaxations } from '../report/relaxations.ts';
import { runPepSection } from '../report/pep.ts';
import { requireSolver } from '../pep/solver.ts';
import { findChromium, NO_CHROMIUM, printPdf } from '../report/pdf.ts';
import { runJobs } from '../report/pool.ts';
import { checkWritable, removeOnSignal, writeAtomically } from '../report/write.ts';
import { readInput } from '../language/input.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { PROOF_OPTIONS, checkOptions } from './check.ts';
import { say, sayJson, warn } from './terminal.ts';
import { closest } from '../language/closest.ts';
import { progress } from './progress.ts';

const PROOFS_DIR = 'proofs';

const OPTIONS: OptionSpec[] = [
  { name: 'out', type: 'string', help: 'directory for index.html and index.pdf (default reports); nothing else in it is touched', placeholder: 'DIR' },
  { name: 'pdf', type: 'flag', help: 'also print the page to DIR/index.pdf with headless Chromium' },
  { name: 'title', type: 'string', help: 'the page\'s title, e.g. "Advisor meeting, 3 December" (default: boundlab report)', placeholder: 'TEXT' },
  { name: 'notes', type: 'string', help: 'your own notes and questions (Markdown, $…$ math), shown first', placeholder: 'FILE.md' },
  { name: 'paper', type: 'string', help: 'the paper the page and --pdf print on: a4 (default) or letter', placeholder: 'a4|letter' },
  { name: 'fast', type: 'flag', help: 'show the recorded relaxations without replaying their counterexamples' },
  { name: 'export', type: 'string', help: 'also write every figure (SVG, and PNG with Chromium), curve (CSV), statement, chain and the summary (LaTeX) and the full record (JSON) into DIR2', placeholder: 'DIR2' },
  { name: 'since', type: 'string', help: 'an earlier report\'s DIR/index.json: show what changed since (new items, verdicts, margins)', placeholder: 'FILE.json' },
  { name: 'instances', type: 'int', min: 1, max: 'instances', help: `random instances per family for each theorem (default ${VERIFY_DEFAULTS.instances})`, placeholder: 'N' },
  { name: 'steps', type: 'int', min: 1, max: 'steps', help: `steps per run (default ${VERIFY_DEFAULTS.runSteps}); points per instance for lemmas (default ${VERIFY_DEFAULTS.lemmaPoints})`, placeholder: 'T' },
  ...PROOF_OPTIONS,
];

export const REPORT_HELP = helpText(
  'boundlab report [TARGET...] [--out DIR] [--pdf] [--export DIR2] [--title TEXT] [--notes FILE.md] [--since FILE.json] [--instances N] [--steps T] [--samples N] [--json] [--seed N]',
  'Verifies theorems, checks proof files, runs experiments and law checks, then writes\nDIR/index.html: one self-contained page (no network, works with JavaScript off, prints on\nA4) with each statement and derivation in KaTeX, every verdict, plots of the runs against\ntheir bounds, the papers\' claims with their verdicts, counterexamples, and what is needed\nto reproduce it, and DIR/index.json, the record the next report\'s --since compares with.\nTARGETs are theorem ids, theorem files (docs/theorem-format.md), proof files, experiment\nids and law check ids; with none, the whole catalogue, every proof in proofs/, the quick\nexperiments and every law check but the slow ones (' + LAWS.filter((l) => !l.inDefaultReport).map((l) => l.id).join(', ') + ': name them). The work is spread over the machine\'s cores. A section\nlists the recorded relaxations (regressions/relaxations.yaml; each stored counterexample\nreplayed, unless --fast) of the theorems reported and a short tightness search on the tight ones among them.\nA section gives the worst cases by performance estimation (every catalogue theorem PEP\ncovers: τ against its bound, τ and the bound against the step size, a proof from the\ncertificate; csdp needed): in the default report, and with targets when pep is one of them.\n\nExit status: 0 when everything holds and every proof is valid; 1 when a theorem is\nviolated, a proof refuted or a claim refuted; 2 on bad usage, an error, or a theorem or\nproof with no evidence (an experiment\'s inconclusive claim is shown, not an error).',
  OPTIONS,
);

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const { positional, options, limits } = parseArgs('report', argv, OPTIONS);
  if (options.help) { say(REPORT_HELP); return 0; }
  // the target `pep`: the performance estimation section (its solves are left out of the default report)
  const withPep = positional.includes('pep');
  const targets = positional.filter((p) => p !== 'pep');
  const jobs = targets.length ? resolveTargets(targets) : withPep ? [] : catalogueJobs();
  const dir = (options.out as string | undefined) ?? 'reports';
  const paper = (options.paper as string | undefined) ?? 'a4';
  if (paper !== 'a4' && paper !== 'letter') throw new UsageError(`report: --paper takes a4 or letter, got '${paper}'`);
  // Before the long run: an --out that cannot be written is known now.
  checkWritable(dir, 'report: --out');
  if (options.export !== undefined) checkWritable(options.export as string, 'report: --export');
  // an interrupted run leaves no temporary file (of the page or the PDF) behind
  removeOnSignal();
  // read now, so that a missing notes file is known before the long run
  let notes: string | undefined;
  try {
    notes = options.notes === undefined ? undefined : readInput(options.notes as string, limits.bytes);
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(`report: --notes ${e.message}`) : e;
  }
  const previous = options.since === undefined ? undefined : previousRecord(options.since as string, limits.bytes);
  // Before the long run: a missing Chromium is known now.
  const chromium = options.pdf ? findChromium() : undefined;
  // the target pep needs csdp: known now (the default report says in its section that it is missing)
  if (withPep) requireSolver('csdp');
  if (options.pdf && !chromium) throw new UsageError(NO_CHROMIUM);
  const passed = Object.fromEntries(['instances', 'steps', 'samples'].flatMap((k) => (options[k] === undefined ? [] : [[k, options[k] as number]])));
  const { seed, ...check } = checkOptions(options, limits);
  const settings: JobSettings = { seed, instances: passed.instances, steps: passed.steps, check };

  const bar = progress();
  // Relaxations and tightness (everything in the default report; with targets, the theorems
  // named) run on this thread while the workers run the jobs, not after them.
  const ids = positional.length ? jobs.flatMap((j) => (j.kind === 'theorem' ? [j.id] : [])) : undefined;
  let finished = 0;
  const pool = runJobs(jobs, settings, (done, running) => {
    const text = `report: ${done}/${jobs.length} done${running.length ? `; running ${running.map(jobLabel).join(', ')}` : ''}…`;
    // a line of its own off a terminal for each finished job, not for each job started
    if (done > finished) { finished = done; bar.item(text); } else bar.update(text);
  });
  const relaxationsWork = !ids || ids.length ? runRelaxations(ids, settings.seed, options.fast === true) : Promise.resolve(undefined);
  // a failure there is raised at its await below, not as an unhandled rejection while the pool runs
  relaxationsWork.catch(() => {});
  // in the default report too (about 1.3 s of CPU); a named target shows it only with `pep`
  const pepWork = withPep || !positional.length ? runPepSection() : Promise.resolve(undefined);
  pepWork.catch(() => {});
  const outcomes = await pool;
  const relaxations = await relaxationsWork;
  const pep = await pepWork;
  bar.item(`report: writing ${join(dir, 'index.html')}…`);
  const items = outcomes.map((o) => toItem(o, limits.bytes));
  const backends = [...new Set(items.flatMap((i) => (i.kind === 'theorem' && i.result && i.result.backend !== 'float64' ? [i.result.backend] : [])))];
  const env = environment({ backends, seed: settings.seed, options: passed, argv });
  const rows = items.map(summaryRow);
  const record = reportRecord(rows, env.boundlab, env.date);
  const html = renderPage({
    items, environment: env, relaxations, pep, title: options.title as string | undefined, notes, paper,
    since: previous && changesSince(previous, rows),
  });
  const out = writeAtomically(dir, 'index.html', html);
  // the record the next report's --since compares with
  writeAtomically(dir, 'index.json', JSON.stringify(record, null, 2) + '\n');
  let pdf: string | undefined;
  if (chromium) {
    bar.item(`report: printing ${join(dir, 'index.pdf')}…`);
    pdf = printPdf(chromium, out, dir);
  }
  let exported: ExportResult | undefined;
  if (options.export !== undefined) {
    bar.item(`report: exporting into ${options.export as string}…`);
    exported = await exportReport(options.export as string, items, rows, uniqueIds(rows), env, findChromium());
  }
  bar.done();
  if (exported && exported.png !== 'drawn') warn(`boundlab: report: --export wrote no PNG (${exported.png === 'no chromium' ? 'Chromium was not found; apt-get install chromium' : 'Chromium could not draw one'}); the SVGs are there\n`);

  for (const o of outcomes) if (o.kind === 'theorem' && o.error) warn(`boundlab: report: ${o.id} could not be verified: ${o.error}\n`);
  if (options.json) {
    const tightness = relaxations?.tightness.map((t) => ({ theorem: t.theorem, ratio: t.ratio ?? null, ...(t.error ? { error: t.error } : {}) }));
    sayJson({ out, ...(pdf ? { pdf } : {}), ...(exported ? { exported: exported.files } : {}), items: rows, ...(tightness?.length ? { tightness } : {}),
      ...(pep ? { pep: pep.rows.map((r) => ({ theorem: r.theorem, steps: r.steps, tau: r.tau ?? null, bound: r.bound ?? null, ratio: r.ratio ?? null, verdict: r.verdict ?? null, ...(r.error ? { error: r.error } : {}) })) } : {}) });
  } else {
    const w = Math.max(...rows.map((r) => r.item.length));
    for (const r of rows) {
      say(`${r.item.padEnd(w)}  ${r.verdict.padEnd(12)} ${formatMargin(r.worst_margin).padStart(9)}  ${formatSeconds(r.seconds).padStart(6)}\n`);
    }
    for (const t of relaxations?.tightness ?? []) {
      say(`tightness ${t.theorem.padEnd(w - 10)}  ${t.error ? `error: ${t.error}` : `ratio ${t.ratio!.toFixed(4)}`}\n`);
    }
    say(`wrote ${out} (${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB)${pdf ? ` and ${pdf}` : ''}\n`);
    if (exported) say(`exported ${exported.files.length} files into ${exported.dir}\n`);
  }
  const code = exitCode(rows);
  if (pep?.rows.some((r) => r.error)) return 2;
  return code === 0 && pep?.rows.some((r) => r.verdict === 'violated' || r.verdict === 'unbounded') ? 1 : code;
}

/**
 * The record --since names; when it cannot be read or is not a record this
 * boundlab reads, a warning says why and the report goes on without it.
 */
function previousRecord(path: string, maxBytes: number): ReportRecord | undefined {
  let text: string;
  try {
    text = readInput(path, maxBytes);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    warn(`boundlab: report: --since ${e.message}; the report is written without the comparison\n`);
    return undefined;
  }
  const r = readRecord(text);
  if ('error' in r) {
    warn(`boundlab: report: --since ${path}: ${r.error}; the report is written without the comparison\n`);
    return undefined;
  }
  return r;
}

/**
 * The experiments the default report runs: those whose defaults take seconds.
 * askewsgd-logistic, two-moons and network-gpfq train for a minute or more
 * each; name them as targets to include them.
 */
const DEFAULT_EXPERIMENTS = ['binaryconnect-unbiased', 'proxquant-toy', 'gpfq', 'low-rank', 'low-rank-gpfq'];

/** The whole catalogue, every proof file in proofs/ in name order, the quick experiments, then the quick law checks (Law.inDefaultReport). */
function catalogueJobs(): Job[] {
  return [
    ...THEOREMS.map((t): Job => ({ kind: 'theorem', id: t.id })),
    ...proofFiles().map((file): Job => ({ kind: 'proof', file })),
    ...DEFAULT_EXPERIMENTS.filter((id) => experimentById(id)).map((id): Job => ({ kind: 'experiment', id })),
    ...LAWS.filter((l) => l.inDefaultReport).map((l): Job => ({ kind: 'law', id: l.id })),
  ];
}

function proofFiles(): string[] {
  try {
    return readdirSync(PROOFS_DIR).filter((f) => f.endsWith('.md')).sort().map((f) => join(PROOFS_DIR, f));
  } catch {
    return [];
  }
}

/** Theorem ids, experiment ids and proof files, each once, in the order given; an unknown one is a usage error naming the closest. */
function resolveTargets(targets: readonly string[]): Job[] {
  const known = () => [...THEOREMS.map((t) => t.id), ...EXPERIMENTS.map((e) => e.id), ...LAWS.map((l) => l.id), ...proofFiles()];
  const jobs = [...new Set(targets)].map((t): Job => {
    if (theoremById(t)) return { kind: 'theorem', id: t };
    if (experimentById(t)) return { kind: 'experiment', id: t };
    if (lawById(t)) return { kind: 'law', id: t };
    const stat = statSync(t, { throwIfNoEntry: false });
    if (stat?.isFile()) return isTheoremFileText(readInput(t)) ? { kind: 'theorem', id: loadTheoremFile(t).file } : { kind: 'proof', file: t };
    if (stat?.isDirectory()) throw new UsageError(`report: '${t}' is a directory; name its proof files (${join(t, '*.md')}), or give no target for the catalogue and ${PROOFS_DIR}/`);
    const what = /\.md$|[/\\]/.test(t) ? `no proof file '${t}'` : `unknown theorem, experiment, law check or proof file '${t}'`;
    throw new UsageError(`report: ${what}${closest(t, known())}; boundlab list shows the theorem ids, boundlab experiment --help the experiments`);
  });
  return jobs;
}

/** An outcome with what the page needs beside it: the theorem, or the proof file parsed for its prose. */
function toItem(o: Outcome, maxBytes: number): ReportItem {
  if (o.kind === 'theorem') return { kind: 'theorem', theorem: resolveTheorem(o.id, 'report'), result: o.result, error: o.error };
  if (o.kind === 'experiment') return { kind: 'experiment', experiment: experimentById(o.id)!, result: o.result, error: o.error };
  if (o.kind === 'law') return { kind: 'law', law: lawById(o.id)!, result: o.result, error: o.error };
  let proof;
  try {
    proof = parseProof(readInput(o.file, maxBytes), o.file);
  } catch {
    // result.error says why the file does not parse; the page shows that instead of the prose.
  }
  return { kind: 'proof', file: o.file, proof, result: o.result };
}
