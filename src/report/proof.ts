/**
 * A proof file's section: its givens and definitions, the claim and whether a
 * chain establishes it, then the prose and the chains in file order, each
 * step in KaTeX beside its verdict, samples, justification and counterexample.
 */
import { parse } from '../language/mathjs.ts';
import type { Chain, ProofFile } from '../proofs/parse.ts';
import type { Given, TypeName } from '../language/given.ts';
import { establishment, type ClaimResult, type Counterexample, type FileResult, type StepResult } from '../proofs/result.ts';
import { counterexampleLines } from '../proofs/counterexample.ts';
import type { TexVocabulary } from '../language/tex.ts';
import { formatSeconds } from '../numeric/format.ts';
import { escapeHtml, itemFrame } from './html.ts';
import { renderTex } from './katex.ts';
import { renderMarkdown } from './markdown.ts';
import { proofTex, proofVocabulary, RELATION_TEX } from './proofTex.ts';

/** Proof headings (`#`) sit below the section's own h3. */
const HEADING_OFFSET = 3;

export function proofSection(file: string, pf: ProofFile | undefined, r: FileResult, id: string): string {
  const title = r.title || pf?.title || file;
  const counts = new Map<string, number>();
  for (const s of [...r.steps, ...(r.claim ? [r.claim] : [])]) counts.set(s.verdict, (counts.get(s.verdict) ?? 0) + 1);
  const tally = [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
  const meta = [`<code>${escapeHtml(file)}</code>`];
  if (pf?.source) meta.push(escapeHtml(pf.source));
  meta.push(`${tally ? `${tally}; ` : ''}seed ${r.seed}${r.tolerance !== undefined ? `, relative tolerance ${r.tolerance}` : ''}, ${formatSeconds(r.seconds)}`);
  const body = pf ? proofBody(pf, r) : '';
  return itemFrame(id, r.verdict, escapeHtml(title), `<p class="meta">${meta.join(' · ')}</p>
${r.error ? `<div class="error"><strong>Error:</strong> ${escapeHtml(r.error)}</div>` : ''}${r.reason ? `<div class="error"><strong>Inconclusive:</strong> ${escapeHtml(r.reason)}</div>` : ''}
${body}`);
}

function proofBody(pf: ProofFile, r: FileResult): string {
  const vocab = proofVocabulary(pf.names);
  const parts: string[] = [];
  if (pf.given.length) parts.push(`<dt>Given</dt><dd>${pf.given.map((g) => given(g, vocab)).join('; ')}</dd>`);
  // A sequence's terms are keyed as written: `w(k+1)`.
  const term = (key: string) => proofTex(parse(key), vocab);
  const defines = pf.define.flatMap((d) => d.kind === 'value'
    ? [[vocab.symbol(d.name), d.expr.node] as const]
    : [...d.bases.map((b) => [term(b.key), b.expr.node] as const), ...(d.step ? [[term(d.step.key), d.step.expr.node] as const] : [])]);
  if (defines.length) parts.push(`<dt>Definitions</dt><dd>${defines.map(([k, node]) => renderTex(`${k} := ${proofTex(node, vocab)}`)).join('; ')}</dd>`);
  if (pf.claim) {
    const c = r.claim;
    parts.push(`<dt>Claim</dt><dd>${renderTex(proofTex(pf.claim.node, vocab))}${c ? ` ${stepVerdict(c)}<br>${establishmentHtml(r)}${details(c)}` : ''}</dd>`);
  }
  // Prose and chains in the order of the file.
  const blocks: { line: number; html: string }[] = [
    ...pf.prose.map((p) => ({ line: p.line, html: renderMarkdown(p.text, { headingOffset: HEADING_OFFSET }) })),
    ...pf.chains.map((c) => ({ line: c.line, html: chainTable(c, r, vocab) })),
  ].sort((a, b) => a.line - b.line);
  return `<dl class="facts">${parts.join('')}</dl>\n<div class="prose">${blocks.map((b) => b.html).join('\n')}</div>`;
}

/** Whether the chain establishes the claim: a tick only when it does and every step of the file has evidence. */
function establishmentHtml(r: FileResult): string {
  const e = establishment(r)!;
  return e.tick ? `<span class="established">✓ ${escapeHtml(e.note)}</span>` : `<span class="not-established">✗ ${escapeHtml(e.note)}</span>`;
}

const SETS: Record<TypeName, string> = { N: '\\mathbb{N}', R: '\\mathbb{R}', vector: '\\mathbb{R}', matrix: '\\mathbb{R}', Sym: '\\mathbb{S}', PSD: '\\mathbb{S}_{+}' };

function given(g: Given, vocab: TexVocabulary): string {
  const dim = (d: string | number) => (typeof d === 'number' ? String(d) : vocab.symbol(d));
  switch (g.kind) {
    case 'constraint': return renderTex(proofTex(g.relation.node, vocab));
    case 'type': {
      const power = g.type === 'vector' || g.type === 'Sym' || g.type === 'PSD' ? `^{${dim(g.dims[0])}}`
        : g.type === 'matrix' ? `^{${dim(g.dims[0])} \\times ${dim(g.dims[1])}}` : '';
      return renderTex(`${g.names.map(vocab.symbol).join(',\\,')} \\in ${SETS[g.type]}${power}`);
    }
    case 'function': {
      const domain = g.domain === 'scalar' ? '\\mathbb{R}' : `\\mathbb{R}^{${dim(g.domain)}}`;
      const classes = g.classes.map((c) => `<span class="tag">${escapeHtml(c.text)}</span>`).join(' ');
      return `${renderTex(`${vocab.symbol(g.name)} : ${domain} \\to \\mathbb{R}`)} ${classes}`;
    }
  }
}

function chainTable(c: Chain, r: FileResult, vocab: TexVocabulary): string {
  const byLine = new Map(r.steps.map((s) => [s.line, s]));
  const rows = [`<tr><td class="rel"></td><td class="expr">${renderTex(proofTex(c.first.node, vocab))}</td><td></td><td></td></tr>`];
  for (const step of c.steps) {
    const s = byLine.get(step.line);
    rows.push(`<tr><td class="rel">${renderTex(RELATION_TEX[step.relation])}</td><td class="expr">${renderTex(proofTex(step.expr.node, vocab))}</td>`
      + `<td class="step-verdict">${s ? stepVerdict(s) : '<span class="verdict v-unchecked">not checked</span>'}</td>`
      + `<td class="why">${step.justification ? escapeHtml(step.justification) : ''}${s && !failed(s) && s.message ? `<div class="how">${escapeHtml(s.message)}</div>` : ''}</td></tr>`);
    // What went wrong gets the table's width, under its step.
    if (s && failed(s)) rows.push(`<tr class="detail"><td></td><td colspan="3">${details(s)}</td></tr>`);
  }
  return `<table class="chain"><caption>line ${c.line}</caption><tbody>${rows.join('')}</tbody></table>`;
}

/** Steps that did not pass: their message and counterexample get the table's width. */
const failed = (s: StepResult): boolean => s.verdict === 'refuted' || s.verdict === 'error' || s.verdict === 'vacuous' || s.verdict === 'inconclusive';

function stepVerdict(s: StepResult): string {
  const count = s.samples ? `<br><small>${s.samples} samples${s.skipped ? `, ${s.skipped} skipped` : ''}</small>` : s.skipped ? `<br><small>${s.skipped} skipped</small>` : '';
  return `<span class="verdict v-${s.verdict}">${s.verdict}</span>${count}`;
}

/** How a step was proved, why it failed, or its counterexample. */
function details(s: StepResult): string {
  const out: string[] = [];
  if (s.message) out.push(`<div class="${failed(s) ? 'error' : 'how'}">${escapeHtml(s.message)}</div>`);
  if (s.counterexample) out.push(counterexample(s.counterexample, s));
  return out.join('');
}

function counterexample(c: Counterexample, s: StepResult): string {
  return `<div class="counterexample"><pre>${escapeHtml(counterexampleLines(c, s).join('\n'))}</pre></div>`;
}
