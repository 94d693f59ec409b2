/**
 * A law check in HTML: one verdict per statement (the claim, its source, the
 * reason, the fit), the setup, the per-size table and the log-log figures
 * with the fit and its band. As its own page (boundlab law ID) and as an item
 * of the report, from the same pieces.
 */
import type { Environment } from './environment.ts';
import { formatNumber, formatSeconds } from '../numeric/format.ts';
import { escapeHtml, itemFrame } from './html.ts';
import { environmentTable, htmlDocument } from './document.ts';
import { measuredParts, tableHtml } from './experiment.ts';
import { overallVerdict } from '../laws/verdict.ts';
import type { Law, LawResult, LawVerdict, StatementResult } from '../laws/types.ts';

/** The report's verdict colours: consistent as holds, inconsistent as violated. */
const BADGE: Record<LawVerdict, string> = { consistent: 'v-holds', inconsistent: 'v-violated', inconclusive: 'v-inconclusive' };

export const verdictBadge = (v: LawVerdict): string => `<span class="verdict ${BADGE[v]}">${v}</span>`;

function statementHtml(s: StatementResult, md: (t: string) => string, level: number, idPrefix: string): string {
  const fit = s.fit
    ? `<dt>fit</dt><dd>${escapeHtml(`${formatNumber(s.fit.mean)}, interval [${formatNumber(s.fit.lo)}, ${formatNumber(s.fit.hi)}]`)}</dd><dt>method</dt><dd>${escapeHtml(s.fit.method)}</dd>`
      + `<dt>per seed</dt><dd>${escapeHtml(s.fit.perSeed.map((x) => x.toFixed(3)).join(', '))}</dd>`
    : '';
  const sizes = s.bySize
    ? `<dt>per size</dt><dd>${escapeHtml(s.bySize.map((b) => `${b.size}: ${b.holds ? 'holds' : 'violated'} (worst ${formatNumber(b.worstRatio)})`).join('; '))}</dd>`
    : '';
  return `<section class="statement" id="${idPrefix}statement-${escapeHtml(s.id)}">
<h${level + 1}>${verdictBadge(s.verdict)} ${escapeHtml(s.id)}</h${level + 1}>
<div class="prose">${md(s.claim)}</div>
<dl class="facts"><dt>source</dt><dd>${escapeHtml(s.source)}</dd><dt>why</dt><dd>${escapeHtml(s.reason)}</dd>${fit}${sizes}</dl>
</section>`;
}

/**
 * A law check's body, its parts under headings of `level` (2 on its own
 * page, 4 inside the report), ids prefixed so that several fit on one page.
 */
export function lawSection(result: LawResult, level = 2, idPrefix = ''): string {
  const { h, md, settings, figures } = measuredParts(result, level, idPrefix);
  return `${h('statements', 'Statements')}
${result.statements.map((s) => statementHtml(s, md, level, idPrefix)).join('\n')}
${h('setup', 'Setup')}
<div class="prose">${md(result.setup)}</div>
<dl class="facts">${settings}</dl>
${h('measurements', 'Measurements')}
${tableHtml(result.table)}
${result.findings.length ? `<ul class="prose">${result.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
${h('plots', 'Plots')}
<div class="plots">${figures.join('\n')}</div>`;
}

/** A law check's verdict in the report's words: consistent as holds, inconsistent as violated. */
export function lawVerdict(result: LawResult | undefined): string {
  if (!result) return 'error';
  const v = overallVerdict(result.statements.map((s) => s.verdict));
  return v === 'consistent' ? 'holds' : v === 'inconsistent' ? 'violated' : 'inconclusive';
}

/** A law check as an item of the report. */
export function lawItemSection(law: Law, result: LawResult | undefined, error: string | undefined, id: string): string {
  const meta = `<p class="meta"><code>${escapeHtml(law.id)}</code> · a law check on real training over sizes and seeds${result ? ` · seed ${result.seed}, ${formatSeconds(result.seconds)} · ${result.statements.map((s) => `${verdictBadge(s.verdict)} ${escapeHtml(s.id)}`).join(' ')}` : ''}</p>`;
  return itemFrame(id, lawVerdict(result), escapeHtml(law.title), `${meta}
${error ? `<div class="error"><strong>Could not be run:</strong> ${escapeHtml(error)}</div>` : ''}
${result ? lawSection(result, 4, `${id}-`) : ''}`);
}

export function renderLawPage(result: LawResult, env: Environment): string {
  const body = `<header>
<h1>${escapeHtml(result.title)}</h1>
<p class="lead">boundlab law <code>${escapeHtml(result.law)}</code> · ${escapeHtml(env.date.slice(0, 16).replace('T', ' '))} UTC · seed ${result.seed} · ${formatSeconds(result.seconds)}</p>
<p>${result.statements.map((s) => `${verdictBadge(s.verdict)} <a href="#statement-${escapeHtml(s.id)}">${escapeHtml(s.id)}</a>`).join(' · ')}</p>
</header>
${lawSection(result)}
<h2 id="environment">Environment</h2>
${environmentTable(env)}`;
  return htmlDocument(`${result.title}: boundlab law`, env, body);
}
