/**
 * The report page: one self-contained HTML document (inline CSS with the
 * KaTeX fonts as data URLs, inline SVG, no script, nothing fetched) that says
 * what was claimed, what was checked, what held, what broke and why, and how
 * to reproduce it. A contents list beside the page (sticky on a wide screen)
 * links every item with its verdict's colour; items that settled start
 * closed; a filter shows only what needs attention. All of it is HTML and
 * CSS: it works with JavaScript off.
 */
import type { Environment } from './environment.ts';
import { environmentTable, htmlDocument, type Paper } from './document.ts';
import { formatMargin, formatSeconds } from '../numeric/format.ts';
import { anchorId, escapeHtml, isSettled } from './html.ts';
import { summaryRow, type ReportItem, type SummaryRow } from './items.ts';
import { renderMarkdown } from './markdown.ts';
import { sinceSection, type Changes } from './since.ts';
import { proofSection } from './proof.ts';
import { relaxationsSection, relaxationsStatus, type RelaxationsReport } from './relaxations.ts';
import { pepSection, pepStatus, type PepSection } from './pep.ts';
import { theoremSection } from './theorem.ts';
import { experimentSection } from './experiment.ts';
import { lawItemSection } from './law.ts';

export interface Report {
  items: readonly ReportItem[];
  environment: Environment;
  /** The "Relaxations and tightness" section (absent: not shown). */
  relaxations?: RelaxationsReport;
  /** The "Worst cases by performance estimation" section (the `pep` target; absent: not shown). */
  pep?: PepSection;
  /** The page's own title (default "boundlab report"), e.g. the meeting's. */
  title?: string;
  /** The reader's own notes and questions, Markdown with $…$ math, shown first. */
  notes?: string;
  /** What changed since an earlier report's record (--since). */
  since?: Changes;
  /** The paper it prints on (default A4). */
  paper?: Paper;
}

export function renderPage(report: Report): string {
  const rows = report.items.map(summaryRow);
  const ids = uniqueIds(rows);
  const sections = report.items.map((item, i) => item.kind === 'theorem'
    ? theoremSection(item.theorem, item.result, item.error, ids[i])
    : item.kind === 'experiment'
      ? experimentSection(item.experiment, item.result, item.error, ids[i])
      : item.kind === 'law'
        ? lawItemSection(item.law, item.result, item.error, ids[i])
        : proofSection(item.file, item.proof, item.result, ids[i]));
  const theorems = sections.filter((_, i) => rows[i].kind === 'theorem');
  const proofs = sections.filter((_, i) => rows[i].kind === 'proof');
  const experiments = sections.filter((_, i) => rows[i].kind === 'experiment');
  const laws = sections.filter((_, i) => rows[i].kind === 'law');
  const env = report.environment;
  const title = report.title ?? 'boundlab report';
  const main = `<header>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${escapeHtml(env.date.slice(0, 16).replace('T', ' '))} UTC · boundlab ${escapeHtml(env.boundlab)} · seed ${env.seed}</p>
${status(rows, report.relaxations, report.pep)}
</header>
${report.notes !== undefined ? `<h2 id="notes">Notes</h2>\n<div class="notes prose">${renderMarkdown(report.notes, { headingOffset: 2 })}</div>` : ''}
${report.since ? sinceSection(report.since) : ''}
<h2 id="summary">Summary</h2>
${summaryTable(rows, ids)}
${theorems.length ? `<h2 id="theorems">Theorems</h2>\n${theorems.join('\n')}` : ''}
${proofs.length ? `<h2 id="proofs">Proofs</h2>\n${proofs.join('\n')}` : ''}
${experiments.length ? `<h2 id="experiments">Experiments</h2>\n<p class="caption">Quantised training and compression as the papers ran them, each paper's claim judged over seeds by a confidence interval. An inconclusive claim was checked, but its interval straddles the claim: more seeds would decide it.</p>\n${experiments.join('\n')}` : ''}
${laws.length ? `<h2 id="laws">Law checks</h2>\n<p class="caption">Exponents and bounds that papers predict for networks, fitted over sizes and seeds on real training: consistent when the confidence interval lies inside the prediction's stated tolerance, inconsistent when it misses it, otherwise inconclusive with the reason.</p>\n${laws.join('\n')}` : ''}
${report.pep ? pepSection(report.pep) : ''}
${report.relaxations ? relaxationsSection(report.relaxations) : ''}
<h2 id="environment">Environment</h2>
${environmentTable(env)}`;
  const body = `<div class="layout">${contents(rows, ids, { relaxations: !!report.relaxations, pep: !!report.pep, notes: report.notes !== undefined, since: !!report.since })}<main>${main}</main></div>`;
  return htmlDocument(`${title}, ${env.date.slice(0, 10)}`, env, body, report.paper);
}

/**
 * The contents: the sections, and every item under its section with a dot in
 * its verdict's colour; above them the filter (radio buttons that the page's
 * CSS reads with :has, no script).
 */
function contents(rows: readonly SummaryRow[], ids: readonly string[], has: { relaxations: boolean; pep: boolean; notes: boolean; since: boolean }): string {
  const entries = (kind: SummaryRow['kind']) => rows.flatMap((r, i) => (r.kind !== kind ? [] : [
    `<li class="${isSettled(r.verdict) ? 'settled' : 'attention'}"><a href="#${ids[i]}"><span class="dot v-${r.verdict}" title="${r.verdict}"></span>${escapeHtml(r.item)}</a></li>`,
  ]));
  const section = (id: string, title: string, items: string[] = []) =>
    `<li><a href="#${id}">${title}</a>${items.length ? `<ul>${items.join('')}</ul>` : ''}</li>`;
  const theorems = entries('theorem'), proofs = entries('proof'), experiments = entries('experiment'), laws = entries('law');
  return `<nav class="contents" id="contents" aria-label="Contents">
<p class="filter">Show <label><input type="radio" name="filter" id="filter-all" checked> everything</label>
<label><input type="radio" name="filter" id="filter-attention"> only what needs attention</label></p>
<ul>${has.notes ? section('notes', 'Notes') : ''}${has.since ? section('since', 'Since last time') : ''}${section('summary', 'Summary')}${theorems.length ? section('theorems', 'Theorems', theorems) : ''}${proofs.length ? section('proofs', 'Proofs', proofs) : ''}${experiments.length ? section('experiments', 'Experiments', experiments) : ''}${laws.length ? section('laws', 'Law checks', laws) : ''}${has.pep ? section('pep', 'Worst cases by performance estimation') : ''}${has.relaxations ? section('relaxations', 'Relaxations and tightness') : ''}${section('environment', 'Environment')}</ul>
</nav>`;
}

/** Section ids from the item names; a repeat gets a number (also the names of exported files). */
export function uniqueIds(rows: readonly SummaryRow[]): string[] {
  const seen = new Set<string>();
  return rows.map((r) => {
    const base = anchorId(r.kind, r.item);
    let id = base;
    for (let k = 2; seen.has(id); k++) id = `${base}-${k}`;
    seen.add(id);
    return id;
  });
}

/** One sentence: how many theorems held and proofs were valid, and what did not. */
function status(rows: readonly SummaryRow[], relaxations?: RelaxationsReport, pep?: PepSection): string {
  const count = (kind: string) => {
    const tally = new Map<string, number>();
    for (const r of rows) if (r.kind === kind) tally.set(r.verdict, (tally.get(r.verdict) ?? 0) + 1);
    return [...tally].map(([v, n]) => `${n} ${v === 'holds' && n !== 1 ? 'hold' : v}`).join(', ');
  };
  const parts = [];
  const nt = rows.filter((r) => r.kind === 'theorem').length;
  const np = rows.filter((r) => r.kind === 'proof').length;
  const ne = rows.filter((r) => r.kind === 'experiment').length;
  const nl = rows.filter((r) => r.kind === 'law').length;
  if (nt) parts.push(`${nt} theorem${nt === 1 ? '' : 's'}: ${count('theorem')}.`);
  if (np) parts.push(`${np} proof file${np === 1 ? '' : 's'}: ${count('proof')}.`);
  if (ne) parts.push(`${ne} experiment${ne === 1 ? '' : 's'}: ${count('experiment')}.`);
  if (nl) parts.push(`${nl} law check${nl === 1 ? '' : 's'}: ${count('law')}.`);
  const relaxed = relaxations ? relaxationsStatus(relaxations) : '';
  if (relaxed) parts.push(escapeHtml(relaxed));
  if (pep) parts.push(escapeHtml(pepStatus(pep)));
  const pepBad = pep?.rows.some((r) => r.verdict === 'violated' || r.verdict === 'unbounded');
  const cls = rows.some((r) => r.verdict === 'error') || pep?.rows.some((r) => r.error) ? 'status err'
    : rows.some((r) => r.verdict === 'violated' || r.verdict === 'refuted') || pepBad ? 'status bad'
      : rows.some((r) => r.verdict === 'inconclusive') ? 'status warn' : 'status';
  return `<p class="${cls}">${parts.join(' ') || 'Nothing was checked.'}</p>`;
}

function summaryTable(rows: readonly SummaryRow[], ids: readonly string[]): string {
  const body = rows.map((r, i) => {
    const checked = r.kind === 'theorem'
      ? (r.instances === null ? '—' : `${r.instances} × ${r.steps}`)
      : r.steps === null ? '—' : `${r.steps} step${r.steps === 1 ? '' : 's'}`;
    return `<tr><td><a href="#${ids[i]}"><code>${escapeHtml(r.item)}</code></a><br><small>${escapeHtml(r.title)}</small></td>`
      + `<td><span class="verdict v-${r.verdict}">${r.verdict}</span></td><td class="num">${formatMargin(r.worst_margin)}</td>`
      + `<td class="num">${checked}</td><td class="num">${formatSeconds(r.seconds)}</td></tr>`;
  });
  return `<table class="summary"><thead><tr><th>item</th><th>verdict</th><th>worst margin</th><th>instances × steps</th><th>time</th></tr></thead>
<tbody>${body.join('\n')}</tbody></table>
<p class="caption">Worst margin: the smallest (bound − measured) / bound over every check that was resolved, in percent; positive means below the bound everywhere. A small negative margin is a value above the bound by less than the float32 rounding floor, which the tolerance model allows: it holds. Proofs have no margin; their steps carry their own verdicts.</p>`;
}
