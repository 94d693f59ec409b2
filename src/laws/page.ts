/**
 * A law check's page: the report's self-contained document (KaTeX, the page
 * style, inline SVG, no script) with the setup, one verdict per statement
 * (the claim, its source, the reason, the fit), the log-log figures with the
 * fit and its band, the per-size table and the environment. Every piece comes
 * from src/report/ and the experiments' table text.
 */
import type { Environment } from '../report/environment.ts';
import { formatNumber, formatSeconds } from '../report/format.ts';
import { escapeHtml } from '../report/html.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { environmentTable, htmlDocument } from '../report/page.ts';
import { seriesPlot } from '../report/plot.ts';
import type { LawResult, LawVerdict, StatementResult } from './types.ts';

/** The report's verdict colours: consistent as holds, inconsistent as violated. */
const BADGE: Record<LawVerdict, string> = { consistent: 'v-holds', inconsistent: 'v-violated', inconclusive: 'v-inconclusive' };

export const verdictBadge = (v: LawVerdict): string => `<span class="verdict ${BADGE[v]}">${v}</span>`;

function statementHtml(s: StatementResult, md: (t: string) => string): string {
  const fit = s.fit
    ? `<dt>fit</dt><dd>${escapeHtml(`${formatNumber(s.fit.mean)}, interval [${formatNumber(s.fit.lo)}, ${formatNumber(s.fit.hi)}]`)}</dd><dt>method</dt><dd>${escapeHtml(s.fit.method)}</dd>`
      + `<dt>per seed</dt><dd>${escapeHtml(s.fit.perSeed.map((x) => x.toFixed(3)).join(', '))}</dd>`
    : '';
  const sizes = s.bySize
    ? `<dt>per size</dt><dd>${escapeHtml(s.bySize.map((b) => `${b.size}: ${b.holds ? 'holds' : 'violated'} (worst ${formatNumber(b.worstRatio)})`).join('; '))}</dd>`
    : '';
  return `<section class="statement" id="statement-${escapeHtml(s.id)}">
<h3>${verdictBadge(s.verdict)} ${escapeHtml(s.id)}</h3>
<div class="prose">${md(s.claim)}</div>
<dl class="facts"><dt>source</dt><dd>${escapeHtml(s.source)}</dd><dt>why</dt><dd>${escapeHtml(s.reason)}</dd>${fit}${sizes}</dl>
</section>`;
}

function tableHtml(result: LawResult): string {
  const { columns, rows, caption } = result.table;
  const head = columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => {
    const v = r[c.id];
    const text = v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v;
    return `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
  }).join('')}</tr>`).join('\n');
  return `<table class="summary"><thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table>${caption ? `\n<p class="caption">${escapeHtml(caption)}</p>` : ''}`;
}

/**
 * A law check as a section of a larger page (h2 headings inside; the report's
 * style): the statements with their verdicts, the setup, the measurements and
 * the figures. renderLawPage wraps it in a document; a report could place it
 * among its theorem sections.
 */
export function lawSection(result: LawResult): string {
  const md = (text: string) => renderMarkdown(text, { headingOffset: 2 });
  const settings = Object.entries(result.settings)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(typeof v === 'number' ? formatNumber(v) : v)}</dd>`).join('');
  const figures = result.figures.map((f) =>
    `<figure class="plot" id="figure-${escapeHtml(f.id)}"><figcaption>${escapeHtml(f.title)}</figcaption>${seriesPlot(f.points, f.plot)}`
    + `${f.caption ? `<p class="caption">${escapeHtml(f.caption)}</p>` : ''}</figure>`);
  return `<h2 id="statements">Statements</h2>
${result.statements.map((s) => statementHtml(s, md)).join('\n')}
<h2 id="setup">Setup</h2>
<div class="prose">${md(result.setup)}</div>
<dl class="facts">${settings}</dl>
<h2 id="measurements">Measurements</h2>
${tableHtml(result)}
${result.findings.length ? `<ul class="prose">${result.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
<h2 id="plots">Plots</h2>
<div class="plots">${figures.join('\n')}</div>`;
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
