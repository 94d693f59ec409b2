/**
 * Proof prose as HTML: a small, safe Markdown subset (paragraphs, headings,
 * lists, emphasis, inline code, fenced code) with `$…$` and `$$…$$` through
 * KaTeX. There is no raw HTML and there are no links: every character of the
 * input is either escaped or consumed as syntax, and the only tags in the
 * output are the ones written here.
 */
import { escapeHtml } from './html.ts';
import { renderTex } from './katex.ts';

export interface MarkdownOptions {
  /** Added to heading levels: a proof's `#` sits below the report's own headings. */
  headingOffset: number;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(\s+#+)?\s*$/;
const ITEM = /^\s{0,3}([-*+]|(\d{1,9})[.)])\s+(.*)$/;

type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] };

export function renderMarkdown(text: string, opts: MarkdownOptions): string {
  return blocksOf(text).map((b) => {
    switch (b.kind) {
      case 'heading': {
        const h = Math.min(6, b.level + opts.headingOffset);
        return `<h${h}>${renderInline(b.text)}</h${h}>`;
      }
      case 'code': return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
      case 'list': {
        const items = b.items.map((i) => `<li>${renderInline(i)}</li>`).join('');
        return b.ordered ? `<ol${b.start === 1 ? '' : ` start="${b.start}"`}>${items}</ol>` : `<ul>${items}</ul>`;
      }
      case 'paragraph': return `<p>${renderInline(b.text)}</p>`;
    }
  }).join('\n');
}

function blocksOf(text: string): Block[] {
  const lines = text.split(/\r?\n/);
  const blocks: Block[] = [];
  let open: Block | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      while (++i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i]);
      blocks.push({ kind: 'code', text: body.join('\n') });
      open = null;
      continue;
    }
    if (line.trim() === '') { open = null; continue; }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
      open = null;
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      if (open?.kind === 'list' && open.ordered === ordered) open.items.push(item[3]);
      else blocks.push(open = { kind: 'list', ordered, start: ordered ? Number(item[2]) : 1, items: [item[3]] });
      continue;
    }
    // A line that continues the open paragraph or list item.
    if (open?.kind === 'list') open.items[open.items.length - 1] += `\n${line.trim()}`;
    else if (open?.kind === 'paragraph') open.text += `\n${line.trim()}`;
    else blocks.push(open = { kind: 'paragraph', text: line.trim() });
  }
  return blocks;
}

// Private-use characters mark where a rendered piece goes back in; they are removed from the input first.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/** Inline syntax: code spans, math and backslash escapes are cut out first, so emphasis never reaches inside them. */
function renderInline(text: string): string {
  const pieces: string[] = [];
  const hold = (html: string) => `${OPEN}${pieces.push(html) - 1}${CLOSE}`;
  const src = text.replace(/[\uE000\uE001]/g, '');
  let out = '';
  for (let i = 0; i < src.length;) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length && /[\\`*_$#\-+.!]/.test(src[i + 1])) {
      out += hold(escapeHtml(src[i + 1]));
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(src.slice(i))![0];
      const end = src.indexOf(run, i + run.length);
      if (end >= 0) {
        out += hold(`<code>${escapeHtml(src.slice(i + run.length, end).trim())}</code>`);
        i = end + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    if (c === '$') {
      const math = mathAt(src, i);
      if (math) {
        out += hold(renderTex(math.tex, math.display));
        i = math.end;
        continue;
      }
    }
    out += c;
    i++;
  }
  const html = escapeHtml(out.replace(/\s*\n\s*/g, ' '))
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '<strong>$2</strong>')
    .replace(/\*(?=[^\s*])([\s\S]*?[^\s*])\*/g, '<em>$1</em>')
    // An underscore inside a word (snake_case) is not emphasis.
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/gu, '$1<em>$2</em>');
  return html.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_, k: string) => pieces[Number(k)]);
}

/**
 * `$$…$$` (display) or `$…$` (inline) starting at `i`. Inline math opens
 * before a non-space and closes after one, not before a digit (Pandoc's
 * rule), so "costs $5 and $6" stays text.
 */
function mathAt(src: string, i: number): { tex: string; display: boolean; end: number } | null {
  if (src.startsWith('$$', i)) {
    const end = src.indexOf('$$', i + 2);
    return end > i + 2 ? { tex: src.slice(i + 2, end), display: true, end: end + 2 } : null;
  }
  if (/\s/.test(src[i + 1] ?? ' ')) return null;
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') { j++; continue; }
    if (src[j] === '$') {
      if (/\s/.test(src[j - 1]) || /\d/.test(src[j + 1] ?? '')) return null;
      return { tex: src.slice(i + 1, j), display: false, end: j + 1 };
    }
  }
  return null;
}
