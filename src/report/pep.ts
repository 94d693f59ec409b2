/**
 * The report's "Worst cases by performance estimation" section: for every
 * catalogue theorem PEP covers, τ (the exact worst case over the class) against
 * the bound at the theorem's default point, a sweep of τ and the bound against
 * the step size, the worst function run for real, and one generated proof (gradient descent) from the dual
 * certificate. In the default report and the `pep` target of `boundlab
 * report`: its 57 solves and the proof took 3.7 s wall and about 1.3 s of CPU
 * (csdp's included) in one measured run, against the default report's ~72 s,
 * on the main thread while the workers run. Without csdp the default report
 * says so in the section and goes on; the `pep` target asks for it (exit 2).
 */
import { formatNumber, formatSeconds } from '../numeric/format.ts';
import { pepProof } from '../pep/proof.ts';
import { requireSolver } from '../pep/solver.ts';
import { runPep, type PepReport } from '../pep/run.ts';
import { runWorst, worstRunObstacle } from '../pep/worstRun.ts';
import { theoremPep } from '../pep/theorem.ts';
import { THEOREMS } from '../theorems/index.ts';
import { escapeHtml } from './html.ts';
import { seriesPlot, type SeriesPoint } from './plot.ts';

/** Where each PEP-able theorem is shown: N, its parameters, and the parameter swept (inside its domain). */
export const PEP_REPORT_POINTS: Readonly<Record<string, { steps: number; set: Record<string, number | string>; sweep?: { name: string; from: number; to: number } }>> = {
  'gd-convex': { steps: 5, set: { gamma: 1 }, sweep: { name: 'gamma', from: 0.1, to: 1 } },
  'gd-convex-tight': { steps: 5, set: { h: 1 }, sweep: { name: 'h', from: 0.1, to: 1 } },
  'gd-convex-any-step': { steps: 5, set: { gamma: 1.5 }, sweep: { name: 'gamma', from: 0.1, to: 1.9 } },
  'gd-strongly-convex': { steps: 5, set: { mu: 0.1, gamma: 1 }, sweep: { name: 'gamma', from: 0.1, to: 1.8 } },
  'gd-contraction-tight': { steps: 5, set: { mu: 0.1, gamma: 1 }, sweep: { name: 'gamma', from: 0.1, to: 1.9 } },
  'gd-nonconvex': { steps: 5, set: { gamma: 1 }, sweep: { name: 'gamma', from: 0.1, to: 1 } },
  'nesterov-convex': { steps: 5, set: {} },
  'nesterov-strongly-convex': { steps: 5, set: { mu: 0.1 } },
};
const SWEEP_POINTS = 7;
/** The proof shown: gradient descent, N = 2, step 1/L (small enough to read). */
const PROOF = { target: 'gd', steps: 2 } as const;

export interface PepTheoremRow {
  theorem: string;
  steps: number;
  set: Record<string, number | string>;
  tau?: number | null;
  bound?: number;
  ratio?: number | null;
  verdict?: string;
  status?: string;
  /** τ and the bound against the swept parameter (absent: nothing to sweep). */
  sweep?: { name: string; points: { x: number; tau: number | null; bound: number }[] };
  /** The worst function's real TensorFlow.js run at the default point (src/pep/worstRun.ts), or why there is none. */
  worst?: WorstRunRow | { obstacle: string };
  seconds: number;
  error?: string;
}

/** What the section shows of a worst run: the measure the real run reached at step N against τ. */
export interface WorstRunRow {
  optimizer: string;
  rank: number;
  measured: number;
  tau: number;
  tolerance: number;
  reached: boolean;
  interpolates: boolean;
  /** The theorem's bound at step N, and whether the verifier found the run breaking it. */
  bound?: number;
  violated: boolean;
}

export interface PepSection {
  rows: PepTheoremRow[];
  /** Why nothing was solved (csdp is not installed), with the install command. */
  missing?: string;
  proof?: { target: string; steps: number; markdown: string; bound: number; tau: number; multipliers: number } | { error: string };
  seconds: number;
}

/** The PEP-able catalogue theorems (those theoremPep accepts), in catalogue order. */
export function pepTheoremIds(): string[] {
  return THEOREMS.filter((th) => { try { theoremPep(th); return true; } catch { return false; } }).map((th) => th.id);
}

/** Solve everything the section shows, one problem after another; never throws (an error is a row's). */
export async function runPepSection(ids?: readonly string[]): Promise<PepSection> {
  const started = performance.now();
  try {
    requireSolver('csdp');
  } catch (e) {
    return { rows: [], missing: (e as Error).message, seconds: 0 };
  }
  const rows: PepTheoremRow[] = [];
  for (const id of pepTheoremIds().filter((t) => !ids || ids.includes(t))) {
    const p = PEP_REPORT_POINTS[id];
    const t0 = performance.now();
    if (!p) { rows.push({ theorem: id, steps: 0, set: {}, seconds: 0, error: 'no point to show it at (src/report/pep.ts PEP_REPORT_POINTS)' }); continue; }
    try {
      const r = await runPep({ target: id, steps: p.steps, set: p.set });
      const row: PepTheoremRow = { theorem: id, steps: p.steps, set: p.set, tau: r.tau, bound: r.bound, ratio: r.ratio ?? null, verdict: r.verdict, status: r.status, seconds: 0 };
      // the worst function, run for real (a few hundredths of a second of CPU each at N = 5)
      const obstacle = worstRunObstacle(r);
      if (obstacle) row.worst = { obstacle };
      else {
        const w = await runWorst(r);
        row.worst = { optimizer: w.optimizer, rank: w.rank, measured: w.measured, tau: w.tau, tolerance: w.tolerance, reached: w.reached, interpolates: w.interpolates, ...(w.bound !== undefined ? { bound: w.bound } : {}), violated: !!w.counterexample };
      }
      if (p.sweep) {
        const { name, from, to } = p.sweep;
        const points: { x: number; tau: number | null; bound: number }[] = [];
        for (let i = 0; i < SWEEP_POINTS; i++) {
          const x = from + ((to - from) * i) / (SWEEP_POINTS - 1);
          const s: PepReport = await runPep({ target: id, steps: p.steps, set: { ...p.set, [name]: x } });
          points.push({ x, tau: s.tau, bound: s.bound! });
        }
        row.sweep = { name, points };
      }
      row.seconds = (performance.now() - t0) / 1000;
      rows.push(row);
    } catch (e) {
      rows.push({ theorem: id, steps: p.steps, set: p.set, seconds: (performance.now() - t0) / 1000, error: (e as Error).message });
    }
  }
  let proof: PepSection['proof'];
  if (!ids || ids.some((id) => id.startsWith('gd-'))) {
    try {
      const r = await runPep({ target: PROOF.target, steps: PROOF.steps });
      const p = await pepProof(r.spec, `Worst case of gradient descent, N = ${PROOF.steps}, step 1/L, from the performance estimation certificate`);
      proof = { target: PROOF.target, steps: PROOF.steps, markdown: p.markdown, bound: p.bound, tau: p.tau, multipliers: p.multipliers.length };
    } catch (e) {
      proof = { error: (e as Error).message };
    }
  }
  return { rows, proof, seconds: (performance.now() - started) / 1000 };
}

/** For the status line: "8 theorems by performance estimation: 2 tight, 6 valid." */
export function pepStatus(s: PepSection): string {
  if (s.missing) return 'Performance estimation not run (csdp is not installed).';
  const tally = new Map<string, number>();
  for (const r of s.rows) tally.set(r.verdict ?? 'error', (tally.get(r.verdict ?? 'error') ?? 0) + 1);
  return `${s.rows.length} theorem${s.rows.length === 1 ? '' : 's'} by performance estimation: ${[...tally].map(([v, n]) => `${n} ${v}`).join(', ')}.`;
}

const compact = (set: Record<string, number | string>) => Object.entries(set).map(([k, v]) => `${k} = ${typeof v === 'number' ? formatNumber(v) : v}`).join(', ');

export function pepSection(s: PepSection): string {
  const out = [`<h2 id="pep">Worst cases by performance estimation</h2>
${s.missing ? `<p class="caption">Not run: ${escapeHtml(s.missing)}.</p>` : ''}
<p class="caption">For each theorem of the catalogue whose class has interpolation conditions and whose method is fixed-step linear, τ is the exact worst case of its left side over every function of the class and every start with its initial condition, N steps in (a semidefinite program solved by csdp; <code>boundlab pep THEOREM --steps N --set …</code>). <em>tight</em>: τ equals the bound within the solver's accuracy; <em>valid</em>: below it, by the ratio τ/bound; <em>violated</em>: a function of the class breaks the theorem. The plots put τ and the bound against the step size.</p>`];
  if (s.missing) return out.join('\n');
  out.push(`<table class="pep"><thead><tr><th>theorem</th><th>point</th><th>τ (PEP)</th><th>bound</th><th>τ / bound</th><th>verdict</th><th>time</th></tr></thead>\n<tbody>${s.rows.map(rowHtml).join('\n')}</tbody></table>`);
  const figures = s.rows.filter((r) => r.sweep).map((r) => {
    const others = Object.entries(r.set).filter(([k]) => k !== r.sweep!.name);
    const pts: SeriesPoint[] = r.sweep!.points.flatMap((p) => [{ x: p.x, y: p.tau ?? NaN, series: 'τ (PEP)' }, { x: p.x, y: p.bound, series: 'bound' }]);
    return `<figure class="plot" id="pep-sweep-${escapeHtml(r.theorem)}"><figcaption><strong>${escapeHtml(r.theorem)}</strong>: τ and the bound against ${escapeHtml(r.sweep!.name)}, N = ${r.steps}${others.length ? ` (${escapeHtml(compact(Object.fromEntries(others)))})` : ''}</figcaption>`
      + `${seriesPlot(pts, { xLabel: r.sweep!.name, yLabel: 'worst case', log: true, dashed: ['bound'], dots: true })}</figure>`;
  });
  if (figures.length) out.push(`<div class="plots pep-sweeps">${figures.join('\n')}</div>`);
  const runs = s.rows.filter((r) => r.worst);
  if (runs.length) {
    out.push(`<h3 id="pep-worst">The worst functions, run for real</h3>
<p class="caption">From each solution, an explicit function of the class through the worst points, gradients and values (the interpolation of Taylor, Hendrickx and Glineur), and the real TensorFlow.js optimiser run on it from the worst start for N steps: the measure it reaches against τ, within the float32 tolerance (<code>boundlab pep THEOREM --steps N --worst</code>). A run that breaks its bound is the theorem's counterexample; <code>tightness</code> takes these functions first.</p>
<table class="pep-worst"><thead><tr><th>theorem</th><th>optimiser</th><th>rank</th><th>measure at N (real run)</th><th>τ</th><th>float32 tolerance</th><th>reaches τ</th><th>bound</th></tr></thead>
<tbody>${runs.map(worstRowHtml).join('\n')}</tbody></table>`);
  }
  if (s.proof) {
    if ('error' in s.proof) out.push(`<p class="error">The proof from the certificate could not be generated: ${escapeHtml(s.proof.error)}</p>`);
    else {
      out.push(`<h3 id="pep-proof">A proof from the certificate</h3>
<p class="caption">Gradient descent, N = ${s.proof.steps}, step 1/L: the solver's multipliers rounded to rationals and checked exactly, written as a proof file of f(x_N) − f* ≤ ${formatNumber(s.proof.bound)}·‖x_0 − x*‖² (τ = ${formatNumber(s.proof.tau)}; ${s.proof.multipliers} multipliers). <code>boundlab pep gd --steps ${s.proof.steps} --proof FILE.md</code> writes it and <code>boundlab check FILE.md</code> checks it step by step.</p>
<details class="pep-proof"><summary>the proof file</summary><pre>${escapeHtml(s.proof.markdown)}</pre></details>`);
    }
  }
  out.push(`<p class="caption">Performance estimation took ${formatSeconds(s.seconds)} for this section.</p>`);
  return out.join('\n');
}

function rowHtml(r: PepTheoremRow): string {
  const head = `<td><code>${escapeHtml(r.theorem)}</code></td><td>${escapeHtml([compact(r.set), r.steps ? `N = ${r.steps}` : ''].filter(Boolean).join(', '))}</td>`;
  if (r.error) return `<tr>${head}<td colspan="4" class="error">${escapeHtml(r.error)}</td><td class="num">${formatSeconds(r.seconds)}</td></tr>`;
  const tau = r.status === 'unbounded' ? 'unbounded' : r.tau === null || r.tau === undefined ? `none (${escapeHtml(r.status ?? '')})` : formatNumber(r.tau);
  return `<tr>${head}<td class="num">${tau}</td><td class="num">${formatNumber(r.bound!)}</td><td class="num">${typeof r.ratio === 'number' ? r.ratio.toFixed(4) : '—'}</td>`
    + `<td><span class="verdict v-${escapeHtml(r.verdict ?? 'error')}">${escapeHtml(r.verdict ?? 'error')}</span></td><td class="num">${formatSeconds(r.seconds)}</td></tr>`;
}

function worstRowHtml(r: PepTheoremRow): string {
  const head = `<td><code>${escapeHtml(r.theorem)}</code></td>`;
  const w = r.worst!;
  if ('obstacle' in w) return `<tr>${head}<td colspan="7" class="caption">no worst function: ${escapeHtml(w.obstacle)}</td></tr>`;
  const reach = w.reached ? 'yes' : `<span class="verdict v-violated">no</span>`;
  const bound = w.bound === undefined ? '—' : `${formatNumber(w.bound)}${w.violated ? ' <span class="verdict v-violated">broken</span>' : ''}`;
  return `<tr>${head}<td>${escapeHtml(w.optimizer)}</td><td class="num">${w.rank}</td><td class="num">${formatNumber(w.measured)}</td><td class="num">${formatNumber(w.tau)}</td>`
    + `<td class="num">${Number.isFinite(w.tolerance) ? formatNumber(w.tolerance) : '—'}</td><td>${reach}${w.interpolates ? '' : ' (data off the class beyond tolerance)'}</td><td class="num">${bound}</td></tr>`;
}
