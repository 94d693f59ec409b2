/**
 * An experiment's page: the report's self-contained document (KaTeX CSS with
 * its fonts, the page style, inline SVG, no script) holding the setup, the
 * comparison table, what the run shows, one figure per quantity and the
 * environment. Every piece comes from src/report/.
 */
import type { Environment } from '../report/environment.ts';
import { formatNumber, formatSeconds } from '../report/format.ts';
import { escapeHtml } from '../report/html.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { environmentTable, htmlDocument } from '../report/page.ts';
import { seriesPlot } from '../report/plot.ts';
import type { ExperimentResult, Table } from './types.ts';

export function renderExperimentPage(result: ExperimentResult, env: Environment): string {
  const md = (text: string) => renderMarkdown(text, { headingOffset: 2 });
  const settings = Object.entries(result.settings)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(typeof v === 'number' ? formatNumber(v) : v)}</dd>`).join('');
  const figures = result.figures.map((f) =>
    `<figure class="plot" id="figure-${escapeHtml(f.id)}"><figcaption>${escapeHtml(f.title)}</figcaption>${seriesPlot(f.points, f.plot)}`
    + `${f.caption ? `<p class="caption">${escapeHtml(f.caption)}</p>` : ''}</figure>`);
  const body = `<header>
<h1>${escapeHtml(result.title)}</h1>
<p class="lead">boundlab experiment <code>${escapeHtml(result.experiment)}</code> · ${escapeHtml(env.date.slice(0, 16).replace('T', ' '))} UTC · seed ${result.seed} · ${formatSeconds(result.seconds)}</p>
</header>
<h2 id="setup">Setup</h2>
<div class="prose">${md(result.setup)}</div>
<dl class="facts">${settings}</dl>
<h2 id="comparison">Comparison</h2>
${tableHtml(result.table)}
${result.findings.length ? `<ul class="prose">${result.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
${claimsHtml(result)}
<h2 id="plots">Plots</h2>
<div class="plots">${figures.join('\n')}</div>
${result.closing ? `<h2 id="closing">The papers' claims and our measurement</h2>\n<div class="prose">${md(result.closing)}</div>` : ''}
<h2 id="environment">Environment</h2>
${environmentTable(env)}`;
  return htmlDocument(`${result.title}: boundlab experiment`, env, body);
}

/** The claims with their verdicts: a row per claim, the method of the intervals under the table. */
function claimsHtml(result: ExperimentResult): string {
  if (!result.claims) return '';
  const { claims, method } = result.claims;
  const rows = claims.map((c) => `<tr><td>${escapeHtml(c.claim)}<br><span class="caption">${escapeHtml(c.source)}</span></td>`
    + `<td>${escapeHtml(c.statement)}</td>`
    + `<td class="num">${c.interval ? escapeHtml(formatNumber(c.interval.mean)) : '—'}</td>`
    + `<td class="num">${c.interval ? `[${escapeHtml(formatNumber(c.interval.lo))}, ${escapeHtml(formatNumber(c.interval.hi))}]` : 'not finite'}</td>`
    + `<td><span class="verdict v-${c.verdict}">${c.verdict}</span></td></tr>`);
  return `<h2 id="claims">Claims and verdicts</h2>
<table class="summary"><thead><tr><th>claim</th><th>checked as</th><th>mean</th><th>interval</th><th>verdict</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<p class="caption">${escapeHtml(method)}. Holds: the whole interval is on the claimed side (for an equality: the value lies inside it); refuted: the whole interval is on the other side (the value outside it); otherwise inconclusive.</p>`;
}

function tableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('');
  const rows = table.rows.map((r) => `<tr>${table.columns.map((c) => {
    const v = r[c.id];
    const text = v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v;
    return `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
  }).join('')}</tr>`);
  const caption = table.caption ? `\n<p class="caption">${escapeHtml(table.caption)}</p>` : '';
  return `<table class="summary"><thead><tr>${head}</tr></thead>\n<tbody>${rows.join('\n')}</tbody></table>${caption}`;
}

/** The comparison table as aligned plain text (the command's summary on stdout). */
export function tableText(table: Table): string {
  const cells = table.rows.map((r) => table.columns.map((c) => {
    const v = r[c.id];
    return v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v;
  }));
  const widths = table.columns.map((c, k) => Math.max(c.label.length, ...cells.map((row) => row[k].length)));
  const line = (row: readonly string[]) =>
    row.map((s, k) => (table.columns[k].numeric ? s.padStart(widths[k]) : s.padEnd(widths[k]))).join('  ').trimEnd();
  return [line(table.columns.map((c) => c.label)), ...cells.map(line)].join('\n') + '\n';
}
