/**
 * The report: user text cannot become markup, the page fetches nothing, the
 * write touches nothing else in its directory, unknown targets are usage
 * errors, and every formula renders. Reports run in-process through
 * reportCommand with tiny settings.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { powerTick } from '../src/report/plot.ts';
import { reportCommand } from '../src/cli/report.ts';
import { UsageError } from '../src/language/usage.ts';
import { writeAtomically } from '../src/report/write.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { renderPage } from '../src/report/page.ts';
import { environment } from '../src/report/environment.ts';
import { exportReport } from '../src/report/export.ts';
import { exitCode, summaryRow, type ReportItem } from '../src/report/items.ts';
import { theoremById } from '../src/theorems/index.ts';
import { plantedStatements, verifyTheorem } from '../src/verify/verify.ts';

const root = mkdtempSync(join(tmpdir(), 'boundlab-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the command with stdout captured; returns the exit code, stdout and the page. */
async function report(args: string[], out: string) {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  try {
    const code = await reportCommand([...args, '--out', out]);
    return { code, stdout, html: readFileSync(join(out, 'index.html'), 'utf8') };
  } finally {
    spy.mockRestore();
  }
}

const proofFile = (name: string, text: string) => {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
};

// Hostile text in every place a proof file carries text: title, source, prose, justification, file name.
const HOSTILE = proofFile('evil"<i>.md', `---
title: <script>alert(1)</script> <img src=x onerror=alert(2)>
source: '<a href="javascript:alert(3)">source</a> <iframe src="https://example.com"></iframe>'
given:
  - x > 0
claim: x^2 + 1 >= 2*x
---

# <script>alert(4)</script>

Prose <script>alert(5)</script>, <img src=x onerror=alert(6)>, <b onclick="alert(7)">bold</b>,
[a link](javascript:alert(8)), *$\\href{javascript:alert(9)}{x}$* and
$$\\url{javascript:alert(10)}$$ and \`<script>alert(11)</script>\`.

- <svg onload=alert(12)>

\`\`\`chain
x^2 + 1
  >= 2*x    # <img src=x onerror=alert(13)> AM-GM: (x - 1)^2 >= 0
\`\`\`
`);

describe('report', () => {
  let small: { code: number; stdout: string; html: string };
  beforeAll(async () => {
    small = await report(['gd-pl', 'descent-lemma', 'proofs/pl-one-step.md', '--instances', '4', '--steps', '20', '--json'], join(root, 'small'));
  });

  it('reports each target with its verdict, as JSON with --json', () => {
    expect(small.code).toBe(0);
    const j = JSON.parse(small.stdout);
    expect(j.out).toBe(join(root, 'small', 'index.html'));
    expect(j.items.map((r: { item: string; verdict: string }) => [r.item, r.verdict])).toEqual([
      ['gd-pl', 'holds'], ['descent-lemma', 'holds'], ['proofs/pl-one-step.md', 'valid'],
    ]);
    expect(j.items[0]).toMatchObject({ kind: 'theorem', instances: expect.any(Number), steps: 20 });
  });

  it('renders every formula with KaTeX, none in error, and plots the run', () => {
    const { document } = parseHTML(small.html);
    expect(document.querySelectorAll('.katex-error').length).toBe(0);
    // The statements, assumptions, the proof's givens, claim, prose and every chain step.
    expect(document.querySelectorAll('.katex').length).toBeGreaterThan(40);
    expect(document.querySelectorAll('.statement .katex-display').length).toBe(2);
    expect(document.querySelectorAll('figure.plot svg').length).toBeGreaterThan(0);
    expect(small.html).toContain('Environment');
    expect(small.html).toMatch(/--instances 4 --steps 20/);
  });

  it('draws plots people can read: the quantity in TeX, ticks as powers of ten, what each line style means, a link to enlarge', () => {
    const { document } = parseHTML(small.html);
    const figures = [...document.querySelectorAll('figure.plot')];
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) {
      expect(f.querySelector('figcaption .katex')).not.toBeNull();
      expect(f.querySelector(`a.zoom[href="#${f.id}"]`)).not.toBeNull();
      expect(f.querySelector('.key')!.textContent).toMatch(/measured .*bound .*float32 floor/);
      expect(Number(f.querySelector('figure > svg')!.getAttribute('width'))).toBeGreaterThanOrEqual(560);
    }
    const ticks = [...document.querySelectorAll('figure.plot svg text')].map((t) => t.textContent);
    expect(ticks.some((t) => /^(\d(\.\d)?·)?10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(t ?? ''))).toBe(true);
    expect(ticks.some((t) => /\de-?\d/.test(t ?? ''))).toBe(false);
  });

  it('exports every figure, curve, statement, chain and the summary, and a record whose curves the CSVs reproduce', async () => {
    const dir = join(root, 'export');
    const r = await report(['gd-pl', 'proofs/pl-one-step.md', '--instances', '2', '--steps', '15', '--export', dir], join(root, 'exported-page'));
    expect(r.code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['summary.tex', 'record.json', 'theorem-gd-pl-statement.tex', 'proof-proofs-pl-one-step-md-chain-1.tex', 'proof-proofs-pl-one-step-md-claim.tex']));
    expect(readFileSync(join(dir, 'summary.tex'), 'utf8')).toMatch(/\\toprule[\s\S]*\\texttt\{gd-pl\} & holds[\s\S]*\\texttt\{proofs\/pl-one-step\.md\} & valid[\s\S]*\\bottomrule/);
    const record = JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8'));
    const curves = record.items[0].result.curves as { family: string; label: string; measured: number[]; bound: number[] }[];
    const families = [...new Set(curves.map((c) => c.family))];
    expect(families.length).toBeGreaterThan(0);
    for (const family of families) {
      const [head, ...lines] = readFileSync(join(dir, `theorem-gd-pl-${family}.csv`), 'utf8').trim().split('\n');
      expect(head).toBe('step,instance,measured,bound,float32_floor');
      const mine = curves.filter((c) => c.family === family);
      expect(lines).toHaveLength(mine.reduce((n, c) => n + c.measured.length, 0));
      // every point of every curve, as the page plots them
      const rows = lines.map((l) => l.split(','));
      let k = 0;
      for (const c of mine) for (let i = 0; i < c.measured.length; i++, k++) {
        expect(Number(rows[k][0])).toBe(i);
        expect(Number(rows[k][2])).toBe(c.measured[i]);
        expect(Number(rows[k][3])).toBe(c.bound[i]);
      }
      const svg = readFileSync(join(dir, `theorem-gd-pl-${family}.svg`), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`1. ${mine[0].label.replace(`${family} `, '')}`);
      if (existsSync('/usr/bin/chromium')) expect(files).toContain(`theorem-gd-pl-${family}.png`);
    }
  });

  it('takes experiments as targets: their claims with verdicts, tables and plots, in the contents', async () => {
    const r = await report(['binaryconnect-unbiased', 'proxquant-toy', '--json'], join(root, 'experiments'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.map((i: { item: string; kind: string; verdict: string }) => [i.item, i.kind, i.verdict])).toEqual([
      ['binaryconnect-unbiased', 'experiment', 'holds'], ['proxquant-toy', 'experiment', 'holds'],
    ]);
    const { document } = parseHTML(r.html);
    expect(document.querySelector('h2#experiments')).not.toBeNull();
    for (const id of ['experiment-binaryconnect-unbiased', 'experiment-proxquant-toy']) {
      const item = document.getElementById(id)!;
      expect(item.querySelectorAll('table.summary tbody tr .verdict').length).toBeGreaterThan(0);
      expect(item.querySelector('figure.plot svg')).not.toBeNull();
      expect(document.querySelector(`nav.contents a[href="#${id}"]`)).not.toBeNull();
    }
    expect(document.querySelector('.status')!.textContent).toMatch(/2 experiments: 2 hold/);
  });

  it('takes law checks as targets: each statement with its verdict, the measurements and the log-log plots', async () => {
    const r = await report(['distillation', '--json'], join(root, 'laws'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.map((i: { item: string; kind: string; verdict: string }) => [i.item, i.kind, i.verdict])).toEqual([['distillation', 'law', 'holds']]);
    const { document } = parseHTML(r.html);
    const item = document.getElementById('law-distillation')!;
    expect(item.querySelector('[id^="law-distillation-statement-"] .verdict')!.textContent).toBe('consistent');
    expect(item.querySelector('figure.plot svg')).not.toBeNull();
    expect(document.querySelector('nav.contents a[href="#law-distillation"]')).not.toBeNull();
  });

  it('prints on Letter when asked (A4 by default), and exports the figures of experiments and law checks too', async () => {
    const dir = join(root, 'export-2');
    const r = await report(['proxquant-toy', '--paper', 'letter', '--export', dir], join(root, 'letter'));
    expect(r.code).toBe(0);
    expect(r.html).toContain('@page { size: letter; }');
    expect(small.html).not.toContain('size: letter');
    const csv = readFileSync(join(dir, 'experiment-proxquant-toy-path.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('x,series,y');
    expect(csv.length).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'experiment-proxquant-toy-path.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*ProxQuant/);
    await expect(reportCommand(['proxquant-toy', '--paper', 'a3', '--out', join(root, 'never-a3')])).rejects.toThrow(/--paper takes a4 or letter, got 'a3'/);
  });

  it('writes ticks as people do', () => {
    expect([1e-10, 3e-5, 2.5e-7, 0.5, 0.001, 1000, 1e4, 1].map(powerTick)).toEqual(['10⁻¹⁰', '3·10⁻⁵', '2.5·10⁻⁷', '0.5', '0.001', '1000', '10⁴', '1']);
  });

  it('links every item from the contents, with its verdict, and opens only what needs attention', () => {
    const { document } = parseHTML(small.html);
    const links = [...document.querySelectorAll('nav.contents a')].map((a) => a.getAttribute('href')!.slice(1));
    for (const id of links) expect(document.getElementById(id), id).not.toBeNull();
    const items = [...document.querySelectorAll('details.item')];
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(links).toContain(item.id);
      // everything here held: each starts closed, and the "needs attention" filter hides it
      expect(item.hasAttribute('open')).toBe(false);
      expect(item.classList.contains('settled')).toBe(true);
      expect(document.querySelector(`nav.contents a[href="#${item.id}"] .dot.v-${item.querySelector('summary .verdict')!.textContent}`)).not.toBeNull();
    }
    expect(document.querySelector('#filter-attention')).not.toBeNull();
    // the margin column says what it means
    expect(document.querySelector('table.summary + .caption')!.textContent).toMatch(/Worst margin: .* A small negative margin .* holds/);
  });

  it('makes no external reference: no http(s) URL and no url() but data:', () => {
    // Booleans: a failing match would print the whole page, fonts included.
    expect(/https?:\/\//.test(small.html)).toBe(false);
    expect(/url\((?!data:)/.test(small.html)).toBe(false);
    expect(/<(script|link|img|iframe|object|embed)\b/i.test(small.html)).toBe(false);
    expect(small.html.match(/url\(data:font\/woff2;base64,/g)?.length).toBe(20);
  });

  it('escapes user text: no live tag, handler or javascript: link from a hostile proof', async () => {
    const r = await report([HOSTILE], join(root, 'hostile'));
    expect(r.code).toBe(0);
    const { document } = parseHTML(r.html);
    expect(document.querySelectorAll('script, img, iframe, svg[onload], b, a[href^="javascript"]').length).toBe(0);
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        expect(a.name).not.toMatch(/^on/i);
        expect(a.value).not.toMatch(/javascript:/i);
      }
    }
    // The only links are the summary's anchors into the page.
    for (const a of document.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^#[a-z0-9-]+$/);
    // Shown as text, not dropped.
    expect(document.querySelector('h3')!.textContent).toContain('<script>alert(1)</script> <img src=x onerror=alert(2)>');
    expect(document.body.textContent).toContain('<img src=x onerror=alert(13)> AM-GM');
    expect(document.body.textContent).toContain('evil"<i>.md');
    // The source's URL is text on the page, and nothing points to it.
    expect(document.body.textContent).toContain('<iframe src="https://example.com"></iframe>');
  });

  it('keeps the Markdown subset and escapes everything else', () => {
    const html = renderMarkdown('## H\n\n**b** *e* `<x>` $a<b$ <u>u</u>\n\n1. one\n2. two', { headingOffset: 3 });
    expect(html).toMatch(/^<h5>H<\/h5>/);
    expect(html).toContain('<strong>b</strong> <em>e</em> <code>&lt;x&gt;</code>');
    expect(html).toContain('&lt;u&gt;u&lt;/u&gt;');
    expect(html).toContain('<ol><li>one</li><li>two</li></ol>');
    expect(html).toContain('class="katex"');
  });

  it('replaces index.html through a temporary file and leaves everything else in the directory alone', async () => {
    const dir = join(root, 'keep');
    mkdirSync(dir);
    const others: Record<string, string> = { 'notes.txt': 'mine', 'index.html.bak': 'old page', 'index.pdf': 'not a pdf' };
    for (const [f, text] of Object.entries(others)) writeFileSync(join(dir, f), text);
    writeFileSync(join(dir, 'index.html'), 'stale');
    const r = await report(['proofs/pl-one-step.md'], dir);
    expect(r.html).toMatch(/^<!DOCTYPE html>/);
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'index.html.bak', 'index.json', 'index.pdf', 'notes.txt']);
    for (const [f, text] of Object.entries(others)) expect(readFileSync(join(dir, f), 'utf8')).toBe(text);
  });

  it('removes its temporary file when the rename fails, and nothing else', () => {
    const dir = join(root, 'blocked');
    mkdirSync(join(dir, 'index.html'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => writeAtomically(dir, 'index.html', 'page')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'notes.txt']);
  });

  it('exits 1 on a refuted proof, with the counterexample on the page', async () => {
    const wrong = proofFile('wrong.md', '---\ntitle: A wrong bound\ngiven:\n  - x > 0\n---\n\n```chain\nx^2 + 1\n  >= 3*x   # wrong\n```\n');
    const r = await report([wrong], join(root, 'wrong'));
    expect(r.code).toBe(1);
    expect(r.html).toMatch(/v-refuted/);
    expect(r.html).toMatch(/counterexample: x = /);
    const { document } = parseHTML(r.html);
    expect(document.querySelector('details.item')!.hasAttribute('open')).toBe(true);
    expect(document.querySelector('details.item')!.classList.contains('attention')).toBe(true);
  });

  it('puts the meeting\'s own title and notes (math rendered, HTML escaped) first, and in the contents', async () => {
    const notes = proofFile('notes.md', '# Questions\n\nIs $\\mu \\le L$ needed? <script>alert(1)</script>\n\n- the rate $1 - \\mu/L$\n');
    const r = await report(['proofs/pl-one-step.md', '--title', 'Meeting <b>12</b>', '--notes', notes], join(root, 'notes'));
    expect(r.code).toBe(0);
    const { document } = parseHTML(r.html);
    expect(document.querySelector('h1')!.textContent).toBe('Meeting <b>12</b>');
    expect(document.querySelector('title')!.textContent).toMatch(/^Meeting <b>12<\/b>, \d{4}-\d\d-\d\d$/);
    const shown = document.querySelector('.notes')!;
    expect(shown.querySelectorAll('.katex').length).toBe(2);
    expect(shown.querySelector('script')).toBeNull();
    expect(shown.textContent).toContain('<script>alert(1)</script>');
    expect(document.querySelector('nav.contents a[href="#notes"]')).not.toBeNull();
    // the notes come before the summary
    expect(r.html.indexOf('id="notes"')).toBeLessThan(r.html.indexOf('id="summary"'));
    await expect(reportCommand(['proofs/pl-one-step.md', '--notes', join(root, 'none.md'), '--out', join(root, 'never')])).rejects.toThrow(/--notes .*none\.md: cannot read it: no such file/);
  });

  it('shows what changed since an earlier report\'s record, and goes on without a record it cannot read', async () => {
    const step = (rhs: string) => `---\ntitle: AM-GM\ngiven:\n  - x > 0\n---\n\n\`\`\`chain\nx^2 + 1\n  >= ${rhs}\n\`\`\`\n`;
    const p = proofFile('changing.md', step('2*x'));
    const first = await report([p], join(root, 'since-1'));
    expect(first.code).toBe(0);
    const record = join(root, 'since-1', 'index.json');
    expect(JSON.parse(readFileSync(record, 'utf8'))).toMatchObject({ format: 1, items: [{ item: p, kind: 'proof', verdict: 'valid' }] });
    // the planted change: the same file now wrong, and a second file added
    writeFileSync(p, step('3*x'));
    const added = proofFile('added.md', step('2*x'));
    const second = await report([p, added, '--since', record], join(root, 'since-2'));
    expect(second.code).toBe(1);
    const { document } = parseHTML(second.html);
    const since = document.querySelector('dl.since')!.textContent!;
    expect(since).toMatch(/Verdicts changed.*changing\.md: valid → refuted/s);
    expect(since).toMatch(/New.*added\.md/s);
    expect(document.querySelector('nav.contents a[href="#since"]')).not.toBeNull();
    // a corrupt record, and one of another format: a warning, and the page without the comparison
    for (const [name, text, why] of [['corrupt.json', '{"format": 1, "items": [', /not JSON/], ['old.json', '{"format": 0, "items": []}', /format 0/]] as const) {
      const warned: string[] = [];
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => { warned.push(String(c)); return true; });
      try {
        const r = await report([added, '--since', proofFile(name, text)], join(root, `since-${name}`));
        expect(r.code).toBe(0);
        expect(r.html).not.toMatch(/id="since"/);
      } finally {
        err.mockRestore();
      }
      expect(warned.join('')).toMatch(why);
      expect(warned.join('')).toMatch(/written without the comparison/);
    }
  });

  it('never ticks a claim whose chain has a refuted step', async () => {
    // the chain runs from the claim's left side to its right side, but its second step is wrong
    const text = '---\ntitle: A chain with a wrong step\ngiven:\n  - x > 0\nclaim: x^2 + 1 >= x\n---\n\n```chain\nx^2 + 1\n  >= 3*x   # wrong\n  >= x\n```\n';
    const r = await report([proofFile('claim.md', text)], join(root, 'claim'));
    expect(r.code).toBe(1);
    const { document } = parseHTML(r.html);
    expect(document.querySelector('.established')).toBeNull();
    expect(document.querySelector('.not-established')!.textContent).toMatch(/✗ the chain at line \d+ would establish the claim, but its step at line \d+ is refuted/);
  });

  it('refuses unknown targets with the closest names (exit 2 through main)', async () => {
    const out = join(root, 'never');
    await expect(reportCommand(['gd-cnovex', '--out', out])).rejects.toThrow(UsageError);
    await expect(reportCommand(['gd-cnovex', '--out', out])).rejects.toThrow(/unknown theorem, experiment, law check or proof file 'gd-cnovex' \(did you mean: gd-convex/);
    await expect(reportCommand(['pl-one-step', '--out', out])).rejects.toThrow(/did you mean: proofs\/pl-one-step\.md/);
    await expect(reportCommand(['proofs/nope.md', '--out', out])).rejects.toThrow(/no proof file 'proofs\/nope\.md'/);
    await expect(reportCommand(['--out', out, '--bogus'])).rejects.toThrow(/unknown option --bogus/);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('report page', () => {
  it('shows a violated theorem with its counterexample (exit 1) and one that could not run (exit 2)', async () => {
    const th = theoremById('gd-pl')!;
    const plants = plantedStatements(th);
    const result = await verifyTheorem(th, { statement: plants[plants.length - 1].statement, from: 1, family: 'quadratic', instances: 4, steps: 20, curvesPerFamily: 2 });
    expect(result.verdict).toBe('violated');
    const items: ReportItem[] = [{ kind: 'theorem', theorem: th, result }];
    const env = environment({ backends: [result.backend], seed: 0, options: {}, argv: [] });
    const { document } = parseHTML(renderPage({ items, environment: env }));
    expect(document.querySelector('.counterexample')!.textContent).toMatch(/Family quadratic at step \d+: measured .* > bound/);
    expect(exitCode(items.map(summaryRow))).toBe(1);

    const broken: ReportItem[] = [...items, { kind: 'theorem', theorem: theoremById('gd-convex')!, error: 'no witness <b>here</b>' }];
    const page = parseHTML(renderPage({ items: broken, environment: env })).document;
    expect(page.querySelector('.error')!.textContent).toBe('Could not be verified: no witness <b>here</b>');
    expect(exitCode(broken.map(summaryRow))).toBe(2);
  });

  it('exports SVGs without PNGs, and says so, when Chromium cannot draw them or is not there', async () => {
    const th = theoremById('gd-pl')!;
    const result = await verifyTheorem(th, { family: 'quadratic', instances: 2, steps: 10, curvesPerFamily: 1 });
    const items: ReportItem[] = [{ kind: 'theorem', theorem: th, result }];
    const env = environment({ backends: [result.backend], seed: 0, options: {}, argv: [] });
    // /bin/false: a program that exits 1, as a Chromium that fails would
    for (const [chromium, png] of [['/bin/false', 'failed'], [undefined, 'no chromium']] as const) {
      const dir = join(root, `export-${png.replace(' ', '-')}`);
      const r = await exportReport(dir, items, items.map(summaryRow), ['theorem-gd-pl'], env, chromium);
      expect(r.png).toBe(png);
      expect(r.files.map((f) => f.slice(dir.length + 1))).toEqual(['summary.tex', 'theorem-gd-pl-statement.tex', 'theorem-gd-pl-quadratic.csv', 'theorem-gd-pl-quadratic.svg', 'record.json']);
      expect(readdirSync(dir).sort()).toEqual(r.files.map((f) => f.slice(dir.length + 1)).sort());
    }
  });
});

describe('report: relaxations and tightness', () => {
  it('lists the recorded relaxations and the tightness of a tight theorem named as a target', async () => {
    const r = await report(['heavy-ball-quadratic', '--instances', '4', '--steps', '20', '--json'], join(root, 'relax'));
    expect(r.code).toBe(0);
    const { document } = parseHTML(r.html);
    expect(document.querySelectorAll('.katex-error').length).toBe(0);
    const section = document.querySelector('#relaxations')!;
    expect(section.textContent).toBe('Relaxations and tightness');
    const rows = [...document.querySelectorAll('table.relaxations tbody tr')].map((tr) => tr.textContent);
    expect(rows.length).toBe(1);
    expect(rows[0]).toContain('heavy-ball-quadratic');
    expect(rows[0]).toContain('counterexample');
    expect(rows[0]).toMatch(/lessard \(x0 = \[3\]\).*step 8: measured 1\.878 vs bound 1\.678/);
    // the stored counterexample is replayed on a real run now; --fast shows the record only
    expect(rows[0]).toMatch(/replays/);
    expect(document.body.textContent).toContain('Each stored counterexample was replayed on a real run when this report was made');
    const fast = await report(['heavy-ball-quadratic', '--instances', '4', '--steps', '20', '--fast'], join(root, 'relax-fast'));
    const fastRows = [...parseHTML(fast.html).document.querySelectorAll('table.relaxations tbody tr')].map((tr) => tr.textContent);
    expect(fastRows[0]).toMatch(/not replayed \(--fast\)/);
    const tight = JSON.parse(r.stdout).tightness;
    expect(tight).toEqual([{ theorem: 'heavy-ball-quadratic', ratio: expect.any(Number) }]);
    expect(tight[0].ratio).toBeGreaterThanOrEqual(0.99);
    expect(document.querySelectorAll('table.tightness tbody tr').length).toBe(1);
    expect(document.querySelector('.status')!.textContent).toContain('1 relaxation recorded (1 counterexample, 0 hold), 1 of 1 tightness ratio ≥ 0.99.');
  });

  it('escapes the text of the regression file and of a failed search', () => {
    const env = environment({ backends: [], seed: 0, options: {}, argv: [] });
    const html = renderPage({
      items: [], environment: env,
      relaxations: {
        entries: [{
          theorem: '<b>t</b>', drop: ['<script>alert(1)</script>'], add: ['x < "y"'], expect: 'counterexample', note: '<img src=x onerror=alert(2)>',
          counterexample: { family: '<i>f</i>', params: { '<u>k</u>': ['<s>v</s>'] }, parameters: {}, seed: 0, step: 1, measured: 2, bound: 1 },
        }],
        tightness: [{ theorem: 'gd-convex-tight', set: { h: '<em>1</em>' }, steps: 20, seconds: 0, error: 'no <svg onload=alert(3)>' }],
      },
    });
    const { document } = parseHTML(html);
    expect(document.querySelectorAll('script, img, b, i, u, s, em, svg').length).toBe(0);
    const text = document.body.textContent!;
    for (const t of ['<b>t</b>', '<script>alert(1)</script>', 'x < "y"', '<img src=x onerror=alert(2)>', '<i>f</i>', '<u>k</u> = [<s>v</s>]', 'h = <em>1</em>', 'no <svg onload=alert(3)>']) {
      expect(text).toContain(t);
    }
  });
});
