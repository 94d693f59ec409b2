/**
 * A theorem's section: what is claimed (the statement in KaTeX from the one
 * bound expression, its assumptions and algorithm), what was checked, the
 * curves against the bound, and any counterexample.
 */
import { parse } from '../language/mathjs.ts';
import { parseStatement } from '../language/statement.ts';
import { toTex } from '../language/tex.ts';
import { optimizerById } from '../optimizers/index.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample, VerifyResult } from '../verify/result.ts';
import { formatCount, formatMargin, formatNumber, formatSeconds } from '../numeric/format.ts';
import { escapeHtml, itemFrame } from './html.ts';
import { renderTex } from './katex.ts';
import { familyFigures, type FamilyFigure } from './plot.ts';
import { renderMarkdown } from './markdown.ts';
import { theoremFileOf } from '../theoremFiles/load.ts';

const math = (src: string): string => renderTex(toTex(parse(src)));

const KIND_TEXT: Record<Theorem['kind'], string> = {
  run: 'a bound along the iterates, checked on real TensorFlow.js runs',
  lemma: 'a pointwise lemma, checked in float64 at sampled points',
  expectation: 'a bound in expectation, checked on the mean over many seeds of real TensorFlow.js runs, with a confidence interval',
};

export function theoremSection(th: Theorem, result: VerifyResult | undefined, error: string | undefined, id: string): string {
  const verdict = result?.verdict ?? 'error';
  const statement = parseStatement(th.statement);
  const facts: [string, string][] = [
    ['Assumptions', assumptions(th)],
  ];
  const file = theoremFileOf(th);
  if (file) {
    // A theorem file's method is its update rules, as written.
    const rules = file.method.sequences.flatMap((q) => [`${q.name}(0) = ${q.initialText}`, `${q.name}(k+1) = ${q.updateText}`]);
    facts.push(['Method', rules.map((r) => `<code>${escapeHtml(r)}</code>`).join('<br>') + `<br><span class="meta">from ${escapeHtml(file.file)}</span>`]);
  } else if (th.algorithm) {
    const choices = (k: string) => optimizerById(th.algorithm!.optimizer).hyper.find((h) => h.name === k)?.choices ?? [];
    // A categorical value is a name (schedule = kns), not an expression.
    const hyper = Object.entries(th.algorithm.hyper).map(([k, v]) => `${escapeHtml(k)} = ${choices(k).includes(v) ? `<code>${escapeHtml(v)}</code>` : math(v)}`);
    facts.push(['Algorithm', `<code>${escapeHtml(th.algorithm.optimizer)}</code>${hyper.length ? `, ${hyper.join(', ')}` : ''}${th.from ? `; checked from t = ${th.from}` : ''}`]);
  }
  if (th.tight) facts.push(['Tight', escapeHtml(th.tight)]);
  if (th.notes) facts.push(['Notes', escapeHtml(th.notes)]);
  if (result) facts.push(...checked(th, result));
  return itemFrame(id, verdict, escapeHtml(th.title), `<p class="meta"><code>${escapeHtml(th.id)}</code> · ${KIND_TEXT[th.kind]} · ${escapeHtml(th.source)}</p>
<div class="statement">${renderTex(statement.tex, true)}</div>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${file && file.prose.trim() ? `<div class="prose">${renderMarkdown(file.prose, { headingOffset: 3 })}</div>` : ''}
${error ? `<div class="error"><strong>Could not be verified:</strong> ${escapeHtml(error)}</div>` : ''}
${result ? evidence(th, result, id) : ''}
${result?.counterexample ? counterexample(result.counterexample) : ''}`);
}

function assumptions(th: Theorem): string {
  const named = [...th.classes, ...(th.structural ?? [])].map((c) => `<span class="tag">${escapeHtml(c)}</span>`);
  const constraints = th.constraints.map(math);
  const derived = Object.entries(th.derived ?? {}).map(([k, v]) => math(`${k} = ${v}`));
  return [...named, ...constraints, ...derived].join(' ') || 'none';
}

function checked(th: Theorem, r: VerifyResult): [string, string][] {
  const unit = th.kind === 'lemma' ? 'points' : 'steps';
  const engine = r.backend === 'float64' ? 'float64' : `TensorFlow.js ${escapeHtml(r.backend)} backend, float32`;
  const families = Object.entries(r.families).map(([f, n]) => `${escapeHtml(f)} ${n}`).join(', ');
  const rows: [string, string][] = [
    ['Checked', `${formatCount(r.instances)} instances × ${r.steps} ${unit} (${engine}), seed ${r.seed}, ${formatSeconds(r.seconds)}`],
    ['Families', families || 'none'],
    ['Worst margin', `${formatMargin(r.worst_margin)} over ${formatCount(r.resolved)} resolved of ${formatCount(r.checks)} checks`
      + ((r.worst_margin ?? 0) < 0 && !r.counterexample
        ? th.kind === 'expectation'
          ? ' (negative: a mean over seeds above the bound while its confidence interval still reaches below it, which is not a violation)'
          : ' (negative: above the bound by less than the tolerance, which is not a violation)'
        : '')
      + (r.skipped ? `; ${formatCount(r.skipped)} samples skipped (a side was not finite)` : '')],
  ];
  const st = r.statistics;
  if (st) {
    rows.push(['Statistics', escapeHtml(st.method)]);
    const k = st.closest;
    if (k) rows.push(['Closest', `${escapeHtml(k.family)} at step ${k.step}: mean ${formatNumber(k.mean)}, interval [${formatNumber(k.lo)}, ${formatNumber(k.hi)}], bound ${formatNumber(k.bound)}`]);
  }
  for (const n of r.notes) rows.push(['Note', escapeHtml(n)]);
  return rows;
}

/** A run's figures, one per witness family (the page's, and the files --export writes). */
export function theoremFigures(th: Theorem, r: VerifyResult, id: string): FamilyFigure[] {
  const lhs = parseStatement(th.statement).parts[0].lhs;
  return familyFigures(r.curves ?? [], { from: th.from ?? 0, quantity: lhs.toString(), quantityHtml: renderTex(toTex(lhs)), id, means: th.kind === 'expectation' });
}

/** Runs: the curves against the bound. Lemmas have no run to plot: the margins above are their summary. */
function evidence(th: Theorem, r: VerifyResult, id: string): string {
  if (th.kind === 'lemma') {
    return `<p class="caption">A lemma has no iterates to plot: it is checked in float64 at ${r.steps} sampled point${r.steps === 1 ? '' : 's'} of each witness, and the worst margin above summarises every check.</p>`;
  }
  if (!r.curves?.length) return '<p class="caption">No curves: nothing was run.</p>';
  const quantity = parseStatement(th.statement).parts[0].lhs.toString();
  const plots = theoremFigures(th, r, id).map((f) => f.html);
  if (th.kind === 'expectation') {
    return `<div class="plots">${plots.join('\n')}</div>
<p class="caption">Two instances per witness family. Solid: the mean over ${r.statistics?.seeds ?? ''} seeds of the quantity inside ${escapeHtml(quantity)}; shaded: its confidence interval (${escapeHtml(r.statistics?.method ?? '')}); dashed: the bound; grey: the float32 floor. Where the bound levels off, that level is the noise floor of a constant step.</p>`;
  }
  return `<div class="plots">${plots.join('\n')}</div>
<p class="caption">Two instances per witness family. Solid: the measured ${escapeHtml(quantity)}; dashed: the bound; grey: the float32 floor of each instance (the tolerance of the precision model; a measured value inside it is rounding). Values that are zero or negative are not drawn.</p>`;
}

function counterexample(c: Counterexample): string {
  const where = c.step !== undefined ? `at step ${c.step}` : 'at the point below';
  const what = c.divergence
    ? 'the run diverged (NaN or ∞)'
    : c.interval
      ? `the mean over ${c.interval.seeds} seeds is ${formatNumber(c.measured)}, and its whole confidence interval [${formatNumber(c.interval.lo)}, ${formatNumber(c.interval.hi)}] lies above the bound ${formatNumber(c.bound)} + tolerance ${formatNumber(c.tolerance)}`
      : `measured ${formatNumber(c.measured)} &gt; bound ${formatNumber(c.bound)} + tolerance ${formatNumber(c.tolerance)}`;
  const rows: [string, string][] = [
    ['Relation', `<code>${escapeHtml(c.relation)}</code>`],
    ['Parameters', escapeHtml(JSON.stringify(c.parameters))],
    ['Witness', `<pre>${escapeHtml(JSON.stringify(c.params))}</pre>`],
  ];
  if (c.point) rows.push(['Point', `<pre>${escapeHtml(JSON.stringify(c.point))}</pre>`]);
  return `<div class="counterexample"><h4>Counterexample</h4>
<p>Family <code>${escapeHtml(c.family)}</code> ${where}: ${what}.</p>
<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<p class="caption"><code>familyById('${escapeHtml(c.family)}').instantiate(witness)</code> rebuilds the instance exactly.</p></div>`;
}
