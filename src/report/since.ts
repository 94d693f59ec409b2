/**
 * "Since last time": every report writes its record (index.json beside the
 * page: each item's verdict and margin), and `--since PREVIOUS.json` compares
 * the new run with an old record: items added and gone, verdicts that
 * changed, margins that moved. A record from another format or a corrupt
 * file is refused with the reason; the report is then written without the
 * comparison.
 */
import { formatMargin } from '../numeric/format.ts';
import { escapeHtml } from './html.ts';
import type { SummaryRow } from './items.ts';

/** Bumped when the record's meaning changes; a record of another format is not compared. */
export const RECORD_FORMAT = 1;

export interface ReportRecord {
  format: typeof RECORD_FORMAT;
  boundlab: string;
  date: string;
  items: Pick<SummaryRow, 'item' | 'kind' | 'verdict' | 'worst_margin'>[];
}

export const reportRecord = (rows: readonly SummaryRow[], boundlab: string, date: string): ReportRecord => ({
  format: RECORD_FORMAT, boundlab, date,
  items: rows.map(({ item, kind, verdict, worst_margin }) => ({ item, kind, verdict, worst_margin })),
});

/** The record in `text`, or why it cannot be compared with. */
export function readRecord(text: string): ReportRecord | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  const r = doc as Partial<ReportRecord> | null;
  if (!r || typeof r !== 'object' || !('format' in r)) return { error: 'not a report record (no "format"); give the index.json that a report wrote beside its page' };
  if (r.format !== RECORD_FORMAT) return { error: `a record of format ${JSON.stringify(r.format)} (boundlab ${String(r.boundlab)}); this boundlab reads format ${RECORD_FORMAT}` };
  const ok = Array.isArray(r.items) && typeof r.date === 'string' && r.items.every((i) =>
    i && typeof i.item === 'string' && (i.kind === 'theorem' || i.kind === 'proof') && typeof i.verdict === 'string'
    && (i.worst_margin === null || typeof i.worst_margin === 'number'));
  return ok ? (r as ReportRecord) : { error: 'a damaged record: its items are not all {item, kind, verdict, worst_margin}' };
}

/** A margin moved when it changed by more than this (0.01 percentage points): less is run-to-run noise. */
const MARGIN_MOVE = 1e-4;

export interface Changes {
  since: string;
  added: string[];
  removed: string[];
  verdicts: { item: string; from: string; to: string }[];
  margins: { item: string; from: number; to: number }[];
}

export function changesSince(previous: ReportRecord, rows: readonly SummaryRow[]): Changes {
  const before = new Map(previous.items.map((i) => [`${i.kind}:${i.item}`, i]));
  const now = new Set(rows.map((r) => `${r.kind}:${r.item}`));
  const out: Changes = { since: previous.date, added: [], removed: [], verdicts: [], margins: [] };
  for (const r of rows) {
    const old = before.get(`${r.kind}:${r.item}`);
    if (!old) { out.added.push(r.item); continue; }
    if (old.verdict !== r.verdict) out.verdicts.push({ item: r.item, from: old.verdict, to: r.verdict });
    else if (old.worst_margin !== null && r.worst_margin !== null && Math.abs(old.worst_margin - r.worst_margin) > MARGIN_MOVE) {
      out.margins.push({ item: r.item, from: old.worst_margin, to: r.worst_margin });
    }
  }
  for (const i of previous.items) if (!now.has(`${i.kind}:${i.item}`)) out.removed.push(i.item);
  return out;
}

/** The section: one list per kind of change, or a sentence saying nothing changed. */
export function sinceSection(c: Changes): string {
  const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
  const verdict = (v: string) => `<span class="verdict v-${escapeHtml(v)}">${escapeHtml(v)}</span>`;
  const lists: string[] = [];
  if (c.verdicts.length) lists.push(`<dt>Verdicts changed</dt><dd><ul>${c.verdicts.map((v) => `<li>${code(v.item)}: ${verdict(v.from)} → ${verdict(v.to)}</li>`).join('')}</ul></dd>`);
  if (c.added.length) lists.push(`<dt>New</dt><dd>${c.added.map(code).join(', ')}</dd>`);
  if (c.removed.length) lists.push(`<dt>Gone</dt><dd>${c.removed.map(code).join(', ')}</dd>`);
  if (c.margins.length) lists.push(`<dt>Margins moved</dt><dd><ul>${c.margins.map((m) => `<li>${code(m.item)}: ${formatMargin(m.from)} → ${formatMargin(m.to)}</li>`).join('')}</ul></dd>`);
  const when = escapeHtml(c.since.slice(0, 16).replace('T', ' '));
  return `<h2 id="since">Since last time</h2>
<p class="meta">compared with the report of ${when} UTC</p>
${lists.length ? `<dl class="facts since">${lists.join('')}</dl>` : '<p>Nothing changed: the same items, the same verdicts, no margin moved by more than 0.01 percentage points.</p>'}`;
}
