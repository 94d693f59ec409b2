/** `boundlab report [TARGET...]`: theorems verified and proofs checked, written as one self-contained HTML page. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../proofs/parse.ts';
import { THEOREMS, theoremById } from '../theorems/index.ts';
import { isTheoremFileText, loadTheoremFile, resolveTheorem } from '../theoremFiles/load.ts';
import { UsageError } from '../verify/scope.ts';
import { DEFAULT_SAMPLES } from '../proofs/check.ts';
import { DEFAULTS as VERIFY_DEFAULTS } from '../verify/verify.ts';
import { environment } from '../report/environment.ts';
import { formatMargin, formatSeconds } from '../report/format.ts';
import { exitCode, summaryRow, type ReportItem } from '../report/items.ts';
import { jobLabel, type Job, type JobSettings, type Outcome } from '../report/jobs.ts';
import { renderPage } from '../report/page.ts';
import { recordedRelaxations, TIGHT_POINTS, tightnessRows, type RelaxationsReport } from '../report/relaxations.ts';
import { findChromium, NO_CHROMIUM, printPdf } from '../report/pdf.ts';
import { runJobs } from '../report/pool.ts';
import { writeAtomically } from '../report/write.ts';
import { helpText, parseArgs, type OptionSpec } from './args.ts';
import { closest } from './closest.ts';
import { progress } from './progress.ts';

const PROOFS_DIR = 'proofs';

const OPTIONS: OptionSpec[] = [
  { name: 'out', type: 'string', help: 'directory for index.html and index.pdf (default reports); nothing else in it is touched', placeholder: 'DIR' },
  { name: 'pdf', type: 'flag', help: 'also print the page to DIR/index.pdf with headless Chromium' },
  { name: 'instances', type: 'int', help: `random instances per family for each theorem (default ${VERIFY_DEFAULTS.instances})`, placeholder: 'N' },
  { name: 'steps', type: 'int', help: `steps per run (default ${VERIFY_DEFAULTS.runSteps}); points per instance for lemmas (default ${VERIFY_DEFAULTS.lemmaPoints})`, placeholder: 'T' },
  { name: 'samples', type: 'int', help: `assignments per proof step (default: the file's \`samples:\`, else ${DEFAULT_SAMPLES})`, placeholder: 'N' },
];

export const REPORT_HELP = helpText(
  'boundlab report [TARGET...] [--out DIR] [--pdf] [--instances N] [--steps T] [--samples N] [--json] [--seed N]',
  'Verifies theorems and checks proof files, then writes DIR/index.html: one self-contained\npage (no network, prints on A4) with each statement and derivation in KaTeX, every\nverdict, plots of the runs against their bounds, counterexamples, and what is needed\nto reproduce it. TARGETs are theorem ids, theorem files (docs/theorem-format.md) and proof files; with none, the whole catalogue\nand every proof in proofs/. The work is spread over the machine\'s cores. A section\nlists the recorded relaxations (regressions/relaxations.yaml, not re-run) of the\ntheorems reported and a short tightness search on the tight ones among them.\n\nExit status: 0 when everything holds and every proof is valid; 1 when a theorem is\nviolated or a proof refuted; 2 on bad usage, a proof in error, or a theorem that could\nnot be run.',
  OPTIONS,
);

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArgs('report', argv, OPTIONS);
  if (options.help) { process.stdout.write(REPORT_HELP); return 0; }
  const jobs = positional.length ? resolveTargets(positional) : catalogueJobs();
  const dir = (options.out as string | undefined) ?? 'reports';
  // Before the long run: a missing Chromium is known now.
  const chromium = options.pdf ? findChromium() : undefined;
  if (options.pdf && !chromium) throw new UsageError(NO_CHROMIUM);
  const passed = Object.fromEntries(['instances', 'steps', 'samples'].flatMap((k) => (options[k] === undefined ? [] : [[k, options[k] as number]])));
  const settings: JobSettings = { seed: (options.seed as number | undefined) ?? 0, ...passed };

  const bar = progress();
  const outcomes = await runJobs(jobs, settings, (done, running) => {
    bar.update(`report: ${done}/${jobs.length} done${running.length ? `; running ${running.map(jobLabel).join(', ')}` : ''}…`);
  });
  // Relaxations and tightness: everything in the default report; with targets, the theorems named.
  const ids = positional.length ? jobs.flatMap((j) => (j.kind === 'theorem' ? [j.id] : [])) : undefined;
  let relaxations: RelaxationsReport | undefined;
  if (!ids || ids.length) {
    const recorded = recordedRelaxations(ids);
    const tight = ids ? TIGHT_POINTS.filter((p) => ids.includes(p.theorem)) : TIGHT_POINTS;
    if (tight.length) bar.update(`report: tightness of ${tight.map((p) => p.theorem).join(', ')}…`);
    const rows = tight.length ? await tightnessRows(settings.seed, ids) : [];
    if (recorded.error || recorded.entries?.length || rows.length) relaxations = { ...recorded, tightness: rows };
  }
  bar.update(`report: writing ${join(dir, 'index.html')}…`);
  const items = outcomes.map(toItem);
  const backends = [...new Set(items.flatMap((i) => (i.kind === 'theorem' && i.result && i.result.backend !== 'float64' ? [i.result.backend] : [])))];
  const html = renderPage({ items, environment: environment({ backends, seed: settings.seed, options: passed, argv }), relaxations });
  const out = writeAtomically(dir, 'index.html', html);
  let pdf: string | undefined;
  if (chromium) {
    bar.update(`report: printing ${join(dir, 'index.pdf')}…`);
    pdf = printPdf(chromium, out, dir);
  }
  bar.done();

  const rows = items.map(summaryRow);
  for (const o of outcomes) if (o.kind === 'theorem' && o.error) process.stderr.write(`boundlab: report: ${o.id} could not be verified: ${o.error}\n`);
  if (options.json) {
    const tightness = relaxations?.tightness.map((t) => ({ theorem: t.theorem, ratio: t.ratio ?? null, ...(t.error ? { error: t.error } : {}) }));
    process.stdout.write(JSON.stringify({ out, ...(pdf ? { pdf } : {}), items: rows, ...(tightness?.length ? { tightness } : {}) }, null, 2) + '\n');
  } else {
    const w = Math.max(...rows.map((r) => r.item.length));
    for (const r of rows) {
      process.stdout.write(`${r.item.padEnd(w)}  ${r.verdict.padEnd(12)} ${formatMargin(r.worst_margin).padStart(9)}  ${formatSeconds(r.seconds).padStart(6)}\n`);
    }
    for (const t of relaxations?.tightness ?? []) {
      process.stdout.write(`tightness ${t.theorem.padEnd(w - 10)}  ${t.error ? `error: ${t.error}` : `ratio ${t.ratio!.toFixed(4)}`}\n`);
    }
    process.stdout.write(`wrote ${out} (${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB)${pdf ? ` and ${pdf}` : ''}\n`);
  }
  return exitCode(rows);
}

/** The whole catalogue, then every proof file in proofs/ in name order. */
function catalogueJobs(): Job[] {
  return [...THEOREMS.map((t): Job => ({ kind: 'theorem', id: t.id })), ...proofFiles().map((file): Job => ({ kind: 'proof', file }))];
}

function proofFiles(): string[] {
  try {
    return readdirSync(PROOFS_DIR).filter((f) => f.endsWith('.md')).sort().map((f) => join(PROOFS_DIR, f));
  } catch {
    return [];
  }
}

/** Theorem ids and proof files, each once, in the order given; an unknown one is a usage error naming the closest. */
function resolveTargets(targets: readonly string[]): Job[] {
  const known = () => [...THEOREMS.map((t) => t.id), ...proofFiles()];
  const jobs = [...new Set(targets)].map((t): Job => {
    if (theoremById(t)) return { kind: 'theorem', id: t };
    const stat = statSync(t, { throwIfNoEntry: false });
    if (stat?.isFile()) return isTheoremFileText(readFileSync(t, 'utf8')) ? { kind: 'theorem', id: loadTheoremFile(t).file } : { kind: 'proof', file: t };
    if (stat?.isDirectory()) throw new UsageError(`report: '${t}' is a directory; name its proof files (${join(t, '*.md')}), or give no target for the catalogue and ${PROOFS_DIR}/`);
    const what = /\.md$|[/\\]/.test(t) ? `no proof file '${t}'` : `unknown theorem or proof file '${t}'`;
    throw new UsageError(`report: ${what}${closest(t, known())}; boundlab list shows the theorem ids`);
  });
  return jobs;
}

/** An outcome with what the page needs beside it: the theorem, or the proof file parsed for its prose. */
function toItem(o: Outcome): ReportItem {
  if (o.kind === 'theorem') return { kind: 'theorem', theorem: resolveTheorem(o.id, 'report'), result: o.result, error: o.error };
  let proof;
  try {
    proof = parseProof(readFileSync(o.file, 'utf8'), o.file);
  } catch {
    // result.error says why the file does not parse; the page shows that instead of the prose.
  }
  return { kind: 'proof', file: o.file, proof, result: o.result };
}
