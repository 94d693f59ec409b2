/**
 * An experiment in HTML: its setup, settings, comparison table, findings, the
 * papers' claims with their verdicts, one figure per quantity and the closing
 * note. As its own page (boundlab experiment NAME) and as an item of the
 * report, from the same pieces.
 */
import type { Experiment, ExperimentResult, Figure, Table } from '../experiments/types.ts';
import type { Environment } from './environment.ts';
import { formatNumber, formatSeconds } from '../numeric/format.ts';
import { escapeHtml, itemFrame } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { environmentTable, htmlDocument } from './document.ts';
import { seriesPlot } from './plot.ts';

/**
 * What an experiment and a law check share on the page: their headings at
 * `level` (ids prefixed), Markdown, settings as a definition list and one
 * figure per quantity.
 */
export function measuredParts(result: { settings: Record<string, number | string>; figures: readonly Figure[] }, level: number, idPrefix: string) {
  return {
    h: (id: string, text: string) => `<h${level} id="${idPrefix}${id}">${text}</h${level}>`,
    md: (text: string) => renderMarkdown(text, { headingOffset: level }),
    settings: Object.entries(result.settings)
      .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(typeof v === 'number' ? formatNumber(v) : v)}</dd>`).join(''),
    figures: result.figures.map((f) =>
      `<figure class="plot" id="${idPrefix}figure-${escapeHtml(f.id)}"><figcaption>${escapeHtml(f.title)}</figcaption>${seriesPlot(f.points, f.plot)}`
      + `${f.caption ? `<p class="caption">${escapeHtml(f.caption)}</p>` : ''}</figure>`),
  };
}

/** The body of an experiment: its parts under headings of `level` (2 on its own page, 4 inside the report). */
function experimentBody(result: ExperimentResult, level: number, idPrefix: string): string {
  const { h, md, settings, figures } = measuredParts(result, level, idPrefix);
  return `${h('setup', 'Setup')}
<div class="prose">${md(result.setup)}</div>
<dl class="facts">${settings}</dl>
${h('comparison', 'Comparison')}
${tableHtml(result.table)}
${result.findings.length ? `<ul class="prose">${result.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : ''}
${result.claims ? `${h('claims', 'Claims and verdicts')}\n${claimsHtml(result)}` : ''}
${h('plots', 'Plots')}
<div class="plots">${figures.join('\n')}</div>
${result.closing ? `${h('closing', 'The papers\' claims and our measurement')}\n<div class="prose">${md(result.closing)}</div>` : ''}`;
}

export function renderExperimentPage(result: ExperimentResult, env: Environment): string {
  const body = `<header>
<h1>${escapeHtml(result.title)}</h1>
<p class="lead">boundlab experiment <code>${escapeHtml(result.experiment)}</code> · ${escapeHtml(env.date.slice(0, 16).replace('T', ' '))} UTC · seed ${result.seed} · ${formatSeconds(result.seconds)}</p>
</header>
${experimentBody(result, 2, '')}
<h2 id="environment">Environment</h2>
${environmentTable(env)}`;
  return htmlDocument(`${result.title}: boundlab experiment`, env, body);
}

/**
 * The verdict of an experiment as the report's summary gives it: refuted when
 * a claim is, inconclusive when one is (and none refuted), holds when every
 * claim holds, measured when it states no claim.
 */
export function experimentVerdict(result: ExperimentResult | undefined): string {
  if (!result) return 'error';
  const claims = result.claims?.claims ?? [];
  if (claims.length === 0) return 'measured';
  if (claims.some((c) => c.verdict === 'refuted')) return 'refuted';
  return claims.some((c) => c.verdict === 'inconclusive') ? 'inconclusive' : 'holds';
}

/** An experiment as an item of the report. */
export function experimentSection(experiment: Experiment, result: ExperimentResult | undefined, error: string | undefined, id: string): string {
  const meta = `<p class="meta"><code>${escapeHtml(experiment.id)}</code> · an experiment on real runs${result ? ` · seed ${result.seed}, ${formatSeconds(result.seconds)}` : ''}</p>`;
  const body = result ? experimentBody(result, 4, `${id}-`) : '';
  return itemFrame(id, experimentVerdict(result), escapeHtml(experiment.title), `${meta}
${error ? `<div class="error"><strong>Could not be run:</strong> ${escapeHtml(error)}</div>` : ''}
${body}`);
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

/** A comparison table (experiments' and law checks'). */
export function tableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('');
  const rows = table.rows.map((r) => `<tr>${table.columns.map((c) => {
    const v = r[c.id];
    const text = v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v;
    return `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
  }).join('')}</tr>`);
  const caption = table.caption ? `\n<p class="caption">${escapeHtml(table.caption)}</p>` : '';
  return `<table class="summary"><thead><tr>${head}</tr></thead>\n<tbody>${rows.join('\n')}</tbody></table>${caption}`;
}

