/** `boundlab pep METHOD|THEOREM|FILE`: the exact worst case of N steps by performance estimation. */
import { writeFileSync } from 'node:fs';
import { standaloneSvg } from '../report/export.ts';
import { seriesPlot } from '../report/plot.ts';
import { PEP_CLASSES, PEP_INITS, PEP_MEASURES, type PepClass, type PepInit, type PepMeasure } from '../pep/model.ts';
import { pepMethods } from '../pep/methods.ts';
import { pepProof } from '../pep/proof.ts';
import { MAX_PEP_STEPS, PEP_CONSTANTS, runPep, type PepReport, type PepRequest } from '../pep/run.ts';
import type { SolverName } from '../pep/solver.ts';
import { runWorst, worstRunObstacle, type WorstRun } from '../pep/worstRun.ts';
import { UsageError } from '../language/usage.ts';
import { assignmentPairs, helpText, parseArgs, type OptionSpec } from './args.ts';
import { closest } from '../language/closest.ts';
import { say, sayJson } from './terminal.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'set', type: 'list', placeholder: 'k=v,...', help: `constants and parameters: numbers or expressions (gamma=1/L, h=1); constants ${Object.entries(PEP_CONSTANTS).map(([k, v]) => `${k}${v === undefined ? '' : ` (default ${v})`}`).join(', ')}` },
  { name: 'steps', type: 'int', min: 1, max: MAX_PEP_STEPS, placeholder: 'N', help: `the number of steps N, 1 to ${MAX_PEP_STEPS} (required)` },
  { name: 'class', type: 'string', placeholder: 'C', help: `the function class: ${Object.keys(PEP_CLASSES).join(', ')} (a method's default, or the theorem's)` },
  { name: 'measure', type: 'string', placeholder: 'M', help: `what is bounded: ${Object.keys(PEP_MEASURES).join(', ')}` },
  { name: 'init', type: 'string', placeholder: 'I', help: `the initial condition: ${Object.keys(PEP_INITS).join(' (≤ R²), ').replace(/$/, ' (≤ Delta0)')}` },
  { name: 'sweep', type: 'string', placeholder: 'k=a:b:n', help: 'solve at n values of k from a to b (e.g. h=0.1:1.9:37) and print τ (and the bound) against k' },
  { name: 'plot', type: 'string', placeholder: 'FILE.svg', help: 'with --sweep: write τ (and the bound) against the swept value as an SVG figure' },
  { name: 'proof', type: 'string', placeholder: 'FILE.md', help: 'write a proof file from the dual certificate (smooth-convex or smooth-strongly-convex, also with a prox term h; convex h through prox alone; init dist2), checked exactly first; `boundlab check FILE.md` checks it' },
  { name: 'worst', type: 'flag', help: 'build the worst function from the solution (an explicit function of the class through the worst points; for a method with prox, the pair f + h with h a maximum of affine pieces) and run the real TensorFlow.js optimiser on it for N steps: the measure at step N against τ (and, for a theorem, the bound)' },
  { name: 'solver', type: 'string', placeholder: 'S', help: 'csdp (default) or sdpa' },
  { name: 'timeout', type: 'seconds', placeholder: 'S', help: 'seconds the solver may take per problem (default 600)' },
];

export const PEP_HELP = helpText(
  'boundlab pep METHOD|THEOREM|FILE --steps N [--set k=v,...] [--class C] [--measure M] [--init I] [--sweep k=a:b:n [--plot FILE.svg]] [--worst] [--solver S] [--json]',
  [
    'Performance estimation: the exact worst case τ of a measure after N steps of a',
    'fixed-step first-order method, over every function of an interpolable class and',
    'every start with the initial condition, as the value of a semidefinite program',
    '(Drori–Teboulle 2014; Taylor–Hendrickx–Glineur 2017) solved by csdp.',
    `METHODs: ${pepMethods().map((m) => m.id).join(', ')}.`,
    'A THEOREM (catalogue id) or FILE (theorem file) brings its method, class, measure and',
    'initial condition, and τ is compared with its bound at the same parameters and step:',
    'tight (within the solver\'s accuracy), valid (with the ratio τ/bound), violated (τ above',
    'the bound: the theorem is false there) or unbounded (no finite worst case).',
    '',
    'Exit status: 0; 1 when a theorem is violated or unbounded; 2 on bad usage, a class',
    'without interpolation conditions (use `boundlab tightness`), a method that is not',
    'fixed-step linear, csdp missing (the message says how to install it), or a solver',
    'failure (never reported as a value).',
  ].join('\n'),
  OPTIONS,
);

const oneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`pep: --${name} takes one of ${allowed.join(', ')}, got '${value}'${closest(String(value), allowed)}`);
  return value as T;
};

/** `k=a:b:n` into the name and n evenly spaced values. */
function parseSweep(text: string): { name: string; values: number[] } {
  const m = /^\s*([A-Za-z_]\w*)\s*=\s*([^:]+):([^:]+):(\d+)\s*$/.exec(text);
  const a = Number(m?.[2]), b = Number(m?.[3]), n = Number(m?.[4]);
  if (!m || !Number.isFinite(a) || !Number.isFinite(b) || !(n >= 2 && n <= 200)) {
    throw new UsageError(`pep: --sweep takes name=from:to:count with numbers and a count from 2 to 200 (h=0.1:1.9:37), got '${text}'`);
  }
  return { name: m[1], values: Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1)) };
}

function summary(r: PepReport): Record<string, unknown> {
  return {
    target: r.target, kind: r.kind, steps: r.steps, class: r.cls, measure: r.measure, init: r.init, values: r.values,
    tau: r.tau, status: r.status, gap: r.gap, ...(r.message ? { message: r.message } : {}), seconds: r.seconds,
    ...(r.kind === 'theorem' ? { bound: r.bound, ratio: r.ratio ?? null, verdict: r.verdict ?? null } : {}),
  };
}

const solved = (r: PepReport) => r.status === 'success' || r.status === 'partial' || r.status === 'unbounded';

function line(r: PepReport): string {
  // a composite problem measures F = f + h
  const measure = r.result.model.points.some((p) => p.fn === 'h') && r.measure === 'f-gap' ? 'F(x_N) − F*' : PEP_MEASURES[r.measure];
  const what = `${r.target}, N = ${r.steps}, ${r.cls}, ${measure} given ${r.spec.init.map((i) => PEP_INITS[i.kind]).join(' and ')}`;
  if (r.status === 'unbounded') return `${what}: unbounded (${r.message})${r.kind === 'theorem' ? `; the bound ${r.bound} does not hold` : ''}\n`;
  if (!solved(r)) return `${what}: the solver failed (${r.status}: ${r.message}); no value\n`;
  const tau = `τ = ${r.tau!.toPrecision(10)} (${r.status}, gap ${r.gap?.toExponential(1)}, ${r.seconds.toFixed(2)} s)`;
  if (r.kind !== 'theorem') return `${what}: ${tau}\n`;
  return `${what}: ${tau}\n  bound ${r.bound!.toPrecision(10)}: ${r.verdict}${r.verdict === 'valid' ? `, ratio τ/bound ${r.ratio!.toFixed(6)}` : ''}${r.verdict === 'violated' ? ' (τ above the bound beyond the solver\'s accuracy: the theorem is false at these values)' : ''}\n`;
}

export function pepCommand(argv: readonly string[]): Promise<number> {
  // an error's JSON (under --json) is main()'s to print, as for every command
  return run(argv, argv.includes('--json'));
}

async function run(argv: readonly string[], json: boolean): Promise<number> {
  const { positional, options } = parseArgs('pep', argv, OPTIONS);
  if (options.help) { say(PEP_HELP); return 0; }
  if (positional.length !== 1) throw new UsageError(`pep: name one method, theorem or theorem file (got ${positional.length}); see boundlab pep --help`);
  if (options.steps === undefined) throw new UsageError(`pep: --steps N is required (1 to ${MAX_PEP_STEPS})`);
  const set: Record<string, string> = Object.fromEntries(assignmentPairs('pep', (options.set as string[] | undefined) ?? [], 'value'));
  const req: PepRequest = {
    target: positional[0], set, steps: options.steps as number,
    cls: oneOf<PepClass>('class', options.class, Object.keys(PEP_CLASSES) as PepClass[]),
    measure: oneOf<PepMeasure>('measure', options.measure, Object.keys(PEP_MEASURES) as PepMeasure[]),
    init: oneOf<PepInit>('init', options.init, Object.keys(PEP_INITS) as PepInit[]),
    solver: oneOf<SolverName>('solver', options.solver, ['csdp', 'sdpa']),
    timeoutSeconds: options.timeout as number | undefined,
  };
  if (options.plot && !options.sweep) throw new UsageError('pep: --plot draws a sweep; give --sweep k=a:b:n too');
  if (options.worst && options.sweep) throw new UsageError('pep: --worst runs the worst function of one problem; leave --sweep out (or --worst)');
  if (options.sweep) {
    const sweep = parseSweep(options.sweep as string);
    const points: PepReport[] = [];
    for (const v of sweep.values) points.push(await runPep({ ...req, set: { ...set, [sweep.name]: v } }));
    if (options.plot) writeSweepPlot(options.plot as string, sweep.name, points);
    if (json) sayJson({ sweep: sweep.name, points: points.map((r) => ({ [sweep.name]: r.values[sweep.name], ...summary(r) })) });
    else {
      const rows = points.map((r) => `  ${sweep.name} = ${r.values[sweep.name].toPrecision(4).padEnd(8)} τ = ${r.status === 'unbounded' ? 'unbounded' : r.tau === null ? `none (${r.status})` : r.tau.toPrecision(8)}`
        + (r.kind === 'theorem' ? `  bound ${r.bound!.toPrecision(8)}  ${r.verdict ?? ''}` : ''));
      say(`${points[0].target}, N = ${req.steps}, sweeping ${sweep.name}:\n${rows.join('\n')}\n${options.plot ? `wrote ${options.plot}\n` : ''}`);
    }
    if (points.some((r) => !solved(r))) return 2;
    return points.some((r) => r.verdict === 'violated' || r.verdict === 'unbounded') ? 1 : 0;
  }
  const r = await runPep(req);
  let proof: Record<string, unknown> | undefined;
  if (options.proof) {
    if (!solved(r) || r.status === 'unbounded') throw new UsageError(`pep --proof: the problem is ${r.status}: there is no certificate to write`);
    const title = `Worst case of ${r.target}, N = ${r.steps}, from the performance estimation certificate`;
    const p = await pepProof(r.spec, title, { solver: req.solver, timeoutSeconds: req.timeoutSeconds });
    writeFileSync(options.proof as string, p.markdown);
    proof = { file: options.proof, T: `${p.T.n}/${p.T.d}`, bound: p.bound, multipliers: p.multipliers.length, pivots: p.pivots.length };
  }
  let worst: WorstRun | undefined;
  if (options.worst) {
    const why = worstRunObstacle(r);
    if (why) throw new UsageError(`pep --worst: ${why}`);
    worst = await runWorst(r);
  }
  if (json) sayJson({ ...summary(r), ...(proof ? { proof } : {}), ...(worst ? { worst: worstJson(worst) } : {}) });
  else say(line(r) + (worst ? worstText(worst) : '') + (proof ? `  proof: ${proof.file} (measure ≤ ${(proof.bound as number).toPrecision(10)}·‖x0 − x*‖², ${proof.multipliers} multipliers, verified exactly; check it with boundlab check ${proof.file})\n` : ''));
  if (!solved(r)) return 2;
  return r.verdict === 'violated' || r.verdict === 'unbounded' ? 1 : 0;
}

function worstJson(w: WorstRun): Record<string, unknown> {
  return {
    optimizer: w.optimizer, hyper: w.hyper, steps: w.steps, measured: w.measured, tolerance: Number.isFinite(w.tolerance) ? w.tolerance : null, tau: w.tau, reached: w.reached,
    ...(w.bound !== undefined ? { bound: w.bound, violated: !!w.counterexample } : {}), ...(w.counterexample ? { counterexample: w.counterexample } : {}),
    rank: w.rank, interpolates: w.interpolates, excess: w.excess, mismatch: w.mismatch, ...(w.composite ? { composite: w.composite } : {}), cleanup: w.cleanup, x0: w.x0,
    family: w.family, params: w.params,
  };
}

function worstText(w: WorstRun): string {
  const tol = Number.isFinite(w.tolerance) ? ` ± ${w.tolerance.toExponential(1)} (float32)` : ' (no float32 tolerance model without L: compared at 1e-5 relative)';
  const lines = [
    `  worst function: rank ${w.rank}, ${w.interpolates ? 'interpolates the worst points' : 'does NOT interpolate the worst points'} (largest condition excess ${w.excess.toExponential(1)} of τ; value mismatch ${w.mismatch.value.toExponential(1)}, gradient ${w.mismatch.gradient.toExponential(1)})`,
    `  real run: ${w.optimizer} ${Object.entries(w.hyper).map(([k, v]) => `${k}=${v.toPrecision(6)}`).join(' ')}, ${w.steps} steps from x0 = (${w.x0.map((v) => v.toPrecision(4)).join(', ')}): measure ${w.measured.toPrecision(10)}${tol}, τ ${w.tau.toPrecision(10)}: ${w.reached ? 'reaches τ' : 'does NOT reach τ'}`,
  ];
  if (w.composite) lines.push(`  composite f + h: h a maximum of ${(w.params as { h: { x: unknown[] } }).h.x.length} affine pieces; its prox at the method's prox inputs lands ${w.composite.prox.toExponential(1)} (of ‖x0‖) from the worst points (certificate gap ≤ ${w.composite.proxGap.toExponential(1)} of τ); F* = F(0) = ${w.composite.fstar.toExponential(2)}`);
  if (w.bound !== undefined) lines.push(`  against the bound ${w.bound.toPrecision(10)}: ${w.counterexample ? `violated on the real run at step ${w.counterexample.step} (measured ${w.counterexample.measured.toPrecision(10)} > bound + tolerance)` : `ratio ${(w.measured / w.bound).toFixed(6)}, not violated`}`);
  return `${lines.join('\n')}\n`;
}

function writeSweepPlot(file: string, name: string, points: PepReport[]): void {
  const series = points.flatMap((r) => {
    const x = r.values[name];
    const out = [{ x, y: r.tau ?? NaN, series: 'τ (PEP)' }];
    if (r.kind === 'theorem') out.push({ x, y: r.bound ?? NaN, series: 'bound' });
    return out;
  });
  const svg = seriesPlot(series, { xLabel: name, yLabel: 'worst case', log: true, dashed: ['bound'], dots: points.length <= 12 });
  writeFileSync(file, standaloneSvg(svg, false));
}
