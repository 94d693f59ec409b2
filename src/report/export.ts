/**
 * `report --export DIR`: what a person takes out of the report into their own
 * paper or slides, each file named by its item's id: every figure as SVG (and
 * PNG when Chromium is there to draw it), every curve as CSV with all its
 * points, every statement, proof chain and the summary as LaTeX (booktabs),
 * and the whole record as JSON, curves included.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseStatement } from '../language/statement.ts';
import type { Curve } from '../verify/result.ts';
import type { Environment } from './environment.ts';
import { formatMargin, formatSeconds } from '../numeric/format.ts';
import type { ReportItem, SummaryRow } from './items.ts';
import { CHROMIUM_FLAGS } from './pdf.ts';
import { seriesPlot, type SeriesPoint } from './plot.ts';
import { proofTex, proofVocabulary, RELATION_TEX } from './proofTex.ts';
import { theoremFigures } from './theorem.ts';
import { writeAtomically } from './write.ts';

/** LaTeX text from plain text: the ten special characters escaped. */
export function latexText(s: string): string {
  const special: Record<string, string> = {
    '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '#': '\\#', '%': '\\%', _: '\\_', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}',
  };
  return s.replace(/[\\{}$&#%_~^]/g, (c) => special[c]);
}

/** The summary as a booktabs table. */
export function summaryLatex(rows: readonly SummaryRow[]): string {
  const body = rows.map((r) => {
    const checked = r.kind === 'theorem' ? (r.instances === null ? '--' : `${r.instances} $\\times$ ${r.steps}`) : `${r.steps} steps`;
    const margin = formatMargin(r.worst_margin).replace('—', '--').replace(/\s*%/, '\\,\\%');
    return `\\texttt{${latexText(r.item)}} & ${r.verdict} & ${margin} & ${checked} & ${formatSeconds(r.seconds)} \\\\`;
  });
  return ['% needs \\usepackage{booktabs}', '\\begin{tabular}{llrrr}', '\\toprule',
    'item & verdict & worst margin & instances $\\times$ steps & time \\\\', '\\midrule', ...body, '\\bottomrule', '\\end{tabular}', ''].join('\n');
}

/** A family's curves with every point: step, instance, measured, bound, float32 floor (and the interval of a mean). */
export function curvesCsv(curves: readonly Curve[], from: number): string {
  const interval = curves.some((c) => c.lower && c.upper);
  const head = ['step', 'instance', 'measured', 'bound', 'float32_floor', ...(interval ? ['ci_lower', 'ci_upper'] : [])];
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = curves.flatMap((c, k) => c.measured.map((m, i) => [
    String(from + i), quote(`${k + 1}. ${c.label}`), String(m), String(c.bound[i]), String(c.tolerance[i]),
    ...(interval ? [String(c.lower?.[i] ?? ''), String(c.upper?.[i] ?? '')] : []),
  ].join(',')));
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** A figure's points: x, series, y (every point the plot draws from). */
export function seriesCsv(points: readonly SeriesPoint[]): string {
  const quote = (t: string) => (/[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
  return ['x,series,y', ...points.map((p) => `${p.x},${quote(p.series)},${p.y}`)].join('\n') + '\n';
}

/**
 * A standalone SVG file from the page's figure: the plot's own <svg> (the
 * last in the figure: the legend's swatches come first, as HTML), its
 * namespace put back, and the legend drawn into it below the axes: each
 * instance's colour and label, then what solid, dashed and grey mean.
 */
export function standaloneSvg(figureHtml: string, lineKey = true): string {
  const start = figureHtml.lastIndexOf('<svg');
  const plot = figureHtml.slice(start, figureHtml.lastIndexOf('</svg>'));
  const entries = [...figureHtml.slice(0, start).matchAll(/<svg fill="([^"]+)"[^>]*>[\s\S]*?<\/svg>([^<]*)<\/span>/g)].map((m) => ({ colour: m[1], label: m[2].trim() }));
  const width = Number(/\bwidth="(\d+(?:\.\d+)?)"/.exec(plot)?.[1] ?? 600);
  const height = Number(/\bheight="(\d+(?:\.\d+)?)"/.exec(plot)?.[1] ?? 300);
  const row = 18;
  const esc = (t: string) => t.replace(/&(?!amp;|lt;|gt;|quot;|#)/g, '&amp;').replace(/</g, '&lt;');
  const legend = [
    ...entries.map((e, k) => `<rect x="12" y="${height + 6 + k * row}" width="12" height="12" fill="${e.colour}"/><text x="30" y="${height + 16 + k * row}">${esc(e.label)}</text>`),
    ...(lineKey ? [`<g transform="translate(12,${height + 6 + entries.length * row})"><line x1="0" x2="22" y1="6" y2="6" stroke="#333" stroke-width="2"/><text x="28" y="10">measured</text>`
      + '<line x1="110" x2="132" y1="6" y2="6" stroke="#333" stroke-width="2" stroke-dasharray="6,4"/><text x="138" y="10">bound</text>'
      + '<rect x="200" y="0" width="22" height="12" fill="#777" fill-opacity="0.3"/><text x="228" y="10">float32 floor</text></g>'] : []),
  ].join('');
  const total = height + 12 + (entries.length + (lineKey ? 1 : 0)) * row;
  const body = plot
    .replace(/^<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"')
    .replace(/\bheight="[^"]*"/, `height="${total}"`)
    .replace(/viewBox="[^"]*"/, `viewBox="0 0 ${width} ${total}"`);
  return `${body}<g font-family="system-ui, sans-serif" font-size="12" text-anchor="start" fill="#1d2330">${legend}</g></svg>\n`;
}

/** One SVG drawn to PNG at twice its size by headless Chromium; false when it could not. */
function svgToPng(chromium: string, svgFile: string, png: string, width: number, height: number): Promise<boolean> {
  const profile = mkdtempSync(join(tmpdir(), 'boundlab-chromium-'));
  return new Promise<boolean>((done) => {
    const child = spawn(chromium, [
      ...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--hide-scrollbars', '--force-device-scale-factor=2',
      `--window-size=${width},${height}`, `--screenshot=${png}`, pathToFileURL(svgFile).href,
    ], { stdio: 'ignore', timeout: 60_000 });
    child.on('error', () => done(false));
    child.on('close', (code) => done(code === 0));
  }).finally(() => rmSync(profile, { recursive: true, force: true }));
}

/** Chromium processes at once: a screenshot spends most of its ~2 s waiting, not computing. */
const PNG_AT_ONCE = 4;

/** Each job run with at most `limit` pending at a time; results in the jobs' order. */
async function limited<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => { while (next < jobs.length) { const i = next++; results[i] = await jobs[i](); } };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
  return results;
}

export interface ExportResult { dir: string; files: string[]; png: 'drawn' | 'no chromium' | 'failed' }

/**
 * Writes the export into `dir` (created; files of the same names replaced,
 * nothing else touched). `chromium` draws the PNGs; without it they are left
 * out and the result says so.
 */
export async function exportReport(
  dir: string, items: readonly ReportItem[], rows: readonly SummaryRow[], ids: readonly string[], environment: Environment, chromium?: string,
): Promise<ExportResult> {
  // a PNG's place in the list is kept (after its SVG) while Chromium draws them all at the end
  const files: (string | (() => Promise<string | undefined>))[] = [];
  const write = (name: string, content: string) => { files.push(writeAtomically(dir, name, content)); };
  /** A figure as name.svg, name.csv and (with Chromium) name.png. */
  const figure = (name: string, svg: string, csv: string) => {
    write(`${name}.csv`, csv);
    write(`${name}.svg`, svg);
    if (chromium) {
      const size = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
      const [svgFile, png] = [join(dir, `${name}.svg`), join(dir, `${name}.png`)];
      files.push(async () => (await svgToPng(chromium, svgFile, png, Math.ceil(Number(size?.[1] ?? 600)), Math.ceil(Number(size?.[2] ?? 300))) ? png : undefined));
    }
  };
  write('summary.tex', summaryLatex(rows));
  items.forEach((item, i) => {
    const id = ids[i];
    if (item.kind === 'theorem') {
      write(`${id}-statement.tex`, `\\[\n${parseStatement(item.theorem.statement).tex}\n\\]\n`);
      if (!item.result?.curves?.length) return;
      const from = item.theorem.from ?? 0;
      for (const f of theoremFigures(item.theorem, item.result, id)) {
        figure(`${id}-${f.family}`, standaloneSvg(f.svg), curvesCsv(item.result.curves.filter((c) => c.family === f.family), from));
      }
    } else if ((item.kind === 'experiment' || item.kind === 'law') && item.result) {
      // an experiment's or a law check's figures: a series per method or size, as the page draws them
      for (const f of item.result.figures) {
        figure(`${id}-${f.id}`, standaloneSvg(seriesPlot(f.points, f.plot), false), seriesCsv(f.points));
      }
    } else if (item.kind === 'proof' && item.proof) {
      const vocab = proofVocabulary(item.proof.names);
      item.proof.chains.forEach((c, k) => {
        const lines = [`  ${proofTex(c.first.node, vocab)}`, ...c.steps.map((s) => `  &${RELATION_TEX[s.relation]} ${proofTex(s.expr.node, vocab)}${s.justification ? ` && \\text{${latexText(s.justification)}}` : ''}`)];
        write(`${id}-chain-${k + 1}.tex`, `% needs \\usepackage{amsmath}\n\\begin{align*}\n${lines.join(' \\\\\n')}\n\\end{align*}\n`);
      });
      if (item.proof.claim) write(`${id}-claim.tex`, `\\[\n${proofTex(item.proof.claim.node, vocab)}\n\\]\n`);
    }
  });
  const record = {
    environment,
    items: items.map((item, i) => (item.kind === 'theorem'
      ? { kind: 'theorem', id: ids[i], theorem: item.theorem.id, result: item.result ?? null, error: item.error ?? null }
      : item.kind === 'experiment' || item.kind === 'law'
        ? { kind: item.kind, id: ids[i], [item.kind]: item.kind === 'law' ? item.law.id : item.experiment.id, result: item.result ?? null, error: item.error ?? null }
        : { kind: 'proof', id: ids[i], file: item.file, result: item.result })),
  };
  write('record.json', JSON.stringify(record, null, 2) + '\n');
  const drawn = await limited(files.map((f) => (typeof f === 'string' ? async () => f : f)), PNG_AT_ONCE);
  const png: ExportResult['png'] = !chromium ? 'no chromium' : drawn.includes(undefined) ? 'failed' : 'drawn';
  return { dir, files: drawn.filter((f): f is string => f !== undefined), png };
}
