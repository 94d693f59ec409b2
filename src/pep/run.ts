/**
 * One performance estimation, from what the user names (a method id, a
 * catalogue theorem, a theorem file) and the values they set, to τ and, for a
 * theorem, its verdict against the bound at the same parameters and step.
 */
import { parseExpression } from '../language/expression.ts';
import { linearForm } from '../methods/linear.ts';
import type { Method } from '../methods/describe.ts';
import { isTheoremPath, resolveTheorem } from '../theoremFiles/load.ts';
import { theoremById } from '../theorems/index.ts';
import type { Theorem } from '../theorems/types.ts';
import { freeParameters } from '../verify/scope.ts';
import { UsageError } from '../language/usage.ts';
import { EXACT_CLASSES, type PepClass, type PepInit, type PepMeasure, type PepSpec } from './model.ts';
import { PEP_REFUSED, pepMethodById, pepMethods } from './methods.ts';
import { solvePep, type PepResult } from './solve.ts';
import type { SolverName } from './solver.ts';
import { pepVerdict, theoremPep, theoremValues, type PepVerdict } from './theorem.ts';

export const MAX_PEP_STEPS = 100;

/** The constants every problem has, and their defaults. */
export const PEP_CONSTANTS: Readonly<Record<string, number | undefined>> = { L: 1, mu: undefined, M: 1, R: 1, Delta0: 1 };

export interface PepRequest {
  target: string;
  /** name → number or expression text, in any order. */
  set?: Readonly<Record<string, string | number>>;
  steps: number;
  cls?: PepClass;
  measure?: PepMeasure;
  init?: PepInit;
  solver?: SolverName;
  timeoutSeconds?: number;
  /** A theorem record to use instead of resolving `target` (tightness and relax pass the one they hold). */
  theorem?: Theorem;
}

export interface PepReport {
  target: string;
  kind: 'method' | 'theorem';
  steps: number;
  cls: PepClass;
  measure: PepMeasure;
  init: PepInit[];
  /** Every value the problem used (constants, parameters, the method's hyperparameters). */
  values: Record<string, number>;
  tau: number | null;
  status: PepResult['status'];
  gap: number | null;
  message: string;
  seconds: number;
  bound?: number;
  ratio?: number | null;
  verdict?: PepVerdict;
  result: PepResult;
  spec: PepSpec;
  /** A theorem's record (for the worst function's run, worstRun.ts). */
  theorem?: Theorem;
}

/** Evaluate `name = expression` assignments in dependency order over a base scope. */
export function resolveValues(set: Readonly<Record<string, string | number>>, base: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...base };
  const pending = new Map(Object.entries(set));
  while (pending.size) {
    let progress = false;
    for (const [name, v] of pending) {
      if (typeof v === 'number') { out[name] = v; pending.delete(name); progress = true; continue; }
      let node;
      try { node = parseExpression(v); } catch (e) { throw new UsageError(`pep: --set ${name}=${v}: ${(e as Error).message}`); }
      const uses = [...symbols(node)];
      if (uses.some((s) => pending.has(s) && s !== name)) continue; // set values first, then what depends on them
      const needs = uses.filter((s) => !(s in out) && s !== 'pi' && s !== 'e');
      if (needs.length) throw new UsageError(`pep: --set ${name}=${v} uses ${needs.join(', ')}, which has no value; set it too (--set ${needs[0]}=...)`);
      const value = Number(node.evaluate({ ...out }));
      if (!Number.isFinite(value)) throw new UsageError(`pep: --set ${name}=${v} is not a finite number`);
      out[name] = value;
      pending.delete(name);
      progress = true;
    }
    if (!progress) throw new UsageError(`pep: --set ${[...pending.keys()].join(', ')} depend on each other; give one of them a number`);
  }
  return out;
}

function symbols(node: ReturnType<typeof parseExpression>): Set<string> {
  const out = new Set<string>();
  node.traverse((n, path, parent) => {
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) out.add((n as unknown as { name: string }).name);
  });
  return out;
}

function evalHyper(method: Method, hyper: Readonly<Record<string, string>>, scope: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of method.parameters) {
    const text = hyper[p] ?? p;
    const needs = [...symbols(parseExpression(text))].filter((s) => !(s in scope) && s !== 'pi' && s !== 'e');
    if (needs.length) throw new UsageError(`pep: the method's ${p} = ${text} needs ${needs.join(', ')}; set it with --set ${needs[0]}=...`);
    out[p] = Number(parseExpression(text).evaluate({ ...scope }));
  }
  return out;
}

function checkConstants(cls: PepClass, v: Record<string, number>): void {
  const needL = cls !== 'lipschitz-convex' && cls !== 'convex';
  if (needL && !(v.L > 0)) throw new UsageError(`pep: the class ${cls} needs L > 0 (--set L=1)`);
  if (cls === 'smooth-strongly-convex') {
    if (v.mu === undefined) throw new UsageError('pep: the class smooth-strongly-convex needs mu (--set mu=0.1), 0 ≤ mu < L');
    if (!(v.mu >= 0 && v.mu < v.L)) throw new UsageError(`pep: mu must satisfy 0 ≤ mu < L, got mu = ${v.mu}, L = ${v.L}`);
  }
  if (cls === 'lipschitz-convex' && !(v.M > 0)) throw new UsageError('pep: the class lipschitz-convex needs M > 0 (--set M=1)');
  if (!(v.R > 0) || !(v.Delta0 > 0)) throw new UsageError('pep: R and Delta0 must be > 0');
}

const initValue = (kind: PepInit, v: Record<string, number>) => (kind === 'dist2' ? v.R * v.R : v.Delta0);

export async function runPep(req: PepRequest): Promise<PepReport> {
  const N = req.steps;
  if (!Number.isInteger(N) || N < 1 || N > MAX_PEP_STEPS) throw new UsageError(`pep: --steps takes a whole number from 1 to ${MAX_PEP_STEPS}, got ${N}`);
  const base: Record<string, number> = {};
  for (const [k, v] of Object.entries(PEP_CONSTANTS)) if (v !== undefined) base[k] = v;
  base.N = N;
  const set = { ...(req.set ?? {}) };
  if ('N' in set) throw new UsageError('pep: N is the number of steps; give it with --steps N');
  const solveOpts = { solver: req.solver, timeoutSeconds: req.timeoutSeconds };

  const pm = req.theorem ? undefined : pepMethodById(req.target);
  if (pm) {
    const cls = req.cls ?? pm.cls, measure = req.measure ?? pm.measure, init = req.init ?? pm.init;
    const values = resolveValues({ ...pm.defaults, ...set }, base);
    if (cls === 'smooth-strongly-convex' && !('mu' in values)) throw new UsageError('pep: the class smooth-strongly-convex needs mu (--set mu=0.1), 0 ≤ mu < L');
    checkConstants(cls, values);
    const hyper = evalHyper(pm.method, pm.hyper, values);
    const spec: PepSpec = { form: linearForm(pm.method, hyper, N), cls, constants: values, measure, init: [{ kind: init, value: initValue(init, values) }] };
    const result = await solvePep(spec, solveOpts);
    return report(req.target, 'method', N, spec, { ...values, ...hyper }, result);
  }
  if (PEP_REFUSED[req.target] && !req.theorem) throw new UsageError(`pep: ${req.target} is not a fixed-step linear method here: ${PEP_REFUSED[req.target]}`);
  if (!req.theorem && !isTheoremPath(req.target) && !theoremById(req.target)) {
    throw new UsageError(`pep: '${req.target}' is neither a method (${pepMethods().map((m) => m.id).join(', ')}) nor a theorem of the catalogue nor a theorem file (path/to/file.md)`);
  }
  const th = req.theorem ?? resolveTheorem(req.target, 'pep');
  const tp = theoremPep(th);
  if (req.cls && req.cls !== tp.cls) throw new UsageError(`pep: ${th.id} assumes the class ${tp.cls}; --class ${req.cls} would check another statement (leave --class out)`);
  if (req.measure || req.init) throw new UsageError(`pep: a theorem brings its own measure and initial condition (${tp.measure}; ${tp.init.join(', ')}); leave --measure and --init out`);
  if (N < tp.from) throw new UsageError(`pep: ${th.id} holds from step ${tp.from}; take --steps ≥ ${tp.from}`);
  const constNames = new Set(Object.keys(PEP_CONSTANTS));
  const constSet = Object.fromEntries(Object.entries(set).filter(([k]) => constNames.has(k)));
  const constants = resolveValues(constSet, base);
  if (tp.cls === 'smooth-strongly-convex' && !('mu' in constants)) throw new UsageError(`pep: ${th.id} assumes strong convexity: set mu (--set mu=0.1), 0 < mu < L`);
  checkConstants(tp.cls, constants);
  const paramSet = resolveValues(Object.fromEntries(Object.entries(set).filter(([k]) => !constNames.has(k))), constants);
  for (const k of Object.keys(constants)) delete paramSet[k];
  const free = freeParameters(th, { fstar: 0, d: 1, ...constants });
  const unset = free.filter((p) => !(p in paramSet));
  if (unset.length) throw new UsageError(`pep: ${th.id} has the parameter${unset.length > 1 ? 's' : ''} ${unset.join(', ')}; set ${unset.length > 1 ? 'them' : 'it'} (--set ${unset[0]}=...)`);
  const params = theoremValues(th, constants, paramSet);
  const scope = { ...constants, ...params, fstar: 0, f_0: constants.Delta0 };
  const steps = N - tp.lag;
  if (steps < 1) throw new UsageError(`pep: ${th.id} bounds a minimum over k < t; take --steps ≥ 2`);
  const hyper = evalHyper(tp.method, tp.hyper, { ...scope, N: steps });
  const spec: PepSpec = {
    form: linearForm(tp.method, hyper, steps), cls: tp.cls, constants, measure: tp.measure,
    init: tp.init.map((kind) => ({ kind, value: initValue(kind, constants) })),
  };
  const result = await solvePep(spec, solveOpts);
  const r = report(th.id, 'theorem', N, spec, { ...scope, ...hyper }, result);
  r.theorem = th;
  const bound = tp.bound(scope, N);
  const tau = r.tau === null ? NaN : tp.transform === 'sqrt' ? Math.sqrt(Math.max(0, r.tau)) : r.tau;
  r.tau = r.tau === null ? null : tau;
  r.bound = bound;
  if (r.status === 'success' || r.status === 'partial' || r.status === 'unbounded') {
    r.verdict = pepVerdict(tau, bound, r.status, r.result.gap, EXACT_CLASSES.has(tp.cls) && tp.exact);
    r.ratio = r.status === 'unbounded' ? null : tau / bound;
  }
  return r;
}

function report(target: string, kind: 'method' | 'theorem', steps: number, spec: PepSpec, values: Record<string, number>, result: PepResult): PepReport {
  const ok = result.status === 'success' || result.status === 'partial';
  return {
    target, kind, steps, cls: spec.cls, measure: spec.measure, init: spec.init.map((i) => i.kind), values,
    tau: ok ? result.tau : null, status: result.status, gap: Number.isFinite(result.gap) ? result.gap : null,
    message: result.message, seconds: result.seconds, result, spec,
  };
}
