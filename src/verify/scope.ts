/**
 * The values a statement is evaluated with: the witness's constants (only those
 * the theorem's assumptions give it), its data, the theorem's parameters, and
 * for lemmas the float64 oracle as functions of vectors.
 */
import { objectiveValue, type Instance } from '../classes/types.ts';
import type { Theorem } from '../theorems/types.ts';
import { dist } from '../numeric/linalg.ts';
import { parseConstraints, failingConstraint, intervalFor, sampleInterval } from '../language/domain.ts';
import type { MathNode } from 'mathjs';
import { parse } from '../language/mathjs.ts';
import { OBSERVABLE_TEX } from '../language/observables.ts';
import { parseExpression } from '../language/expression.ts';
import type { Rng } from '../numeric/rng.ts';

export type { Scope };

import { UsageError } from '../language/usage.ts';
import { toArray, toPlain, type Scope } from '../language/builtins.ts';

/**
 * Constants of an instance as the theorem names them. `mu` is the strong
 * convexity constant when the theorem assumes it, else the PL constant. For an
 * L2-regularised theorem, L is the unregularised part's constant and lambda the
 * weight, as in the catalogue's statement F = f + (λ/2)‖x‖².
 */
export function constantsOf(th: Theorem, inst: Instance): Scope {
  const c = inst.cert;
  const s: Scope = { fstar: c.fstar, d: inst.dim };
  if (c.L !== undefined) s.L = c.L;
  if (th.classes.includes('G-Lipschitz') && c.G !== undefined) s.G = c.G;
  if (th.classes.includes('mu-strongly-convex')) s.mu = c.mu;
  else if (th.classes.includes('mu-PL')) s.mu = c.pl ?? c.mu;
  if (th.structural?.includes('L2-regularized') && c.regularized) {
    s.lambda = c.regularized.lambda;
    if (th.kind === 'run') s.L = c.regularized.Lbase;
  }
  // One sample per step (sgd's default batch size): the certificate's single-sample constants.
  if (th.structural?.includes('stochastic-gradient') && c.noise) {
    s.M = c.noise.M;
    s.MV = c.noise.MV;
    s.sigma2star = c.noise.sigmaStar;
  }
  if (th.structural?.includes('convex-samples') && c.noise) s.Lmax = c.noise.Lmax;
  for (const [k, v] of Object.entries(inst.data ?? {})) if (!(k in s)) s[k] = v;
  // A constant no assumption provides is a parameter, not the instance's (Huber's data has an L too).
  for (const k of th.freeConstants ?? []) delete s[k];
  return s;
}

/** The oracle of an instance as statement functions. */
export function oracleScope(inst: Instance): Scope {
  return {
    f: (x: unknown) => inst.value(toPlain(x) as number[]),
    grad: (x: unknown) => toArray(inst.grad(toPlain(x) as number[])),
    xstar: (x: unknown) => {
      const m = inst.nearestMinimiser(toPlain(x) as number[]);
      if (!m) throw new Error(`family ${inst.family} has no known minimiser`);
      return toArray(m);
    },
    zero: new Array(inst.dim).fill(0),
  };
}

/** Define the theorem's own functions (`F(x) = ...`) inside a scope. */
export function defineFunctions(th: Theorem, scope: Scope): void {
  for (const [head, body] of Object.entries(th.functions ?? {})) parse(`${head} = ${body}`).evaluate(scope);
}

/**
 * A witness's theorem parameters and the values its statement starts from.
 * Runs start at x0 rounded to float32, so R, Δ0 and f_0 are measured there.
 */
export function startScope(
  th: Theorem, w: { instance: Instance; set?: Record<string, number> }, rng: Rng, set: Readonly<Record<string, number | string>> = {},
): { parameters: Record<string, number>; scope: Scope } {
  const constants = constantsOf(th, w.instance);
  const parameters = theoremParameters(th, constants, rng, { ...set, ...w.set });
  const x0 = Float64Array.from(Float32Array.from(w.instance.x0));
  const xs = w.instance.nearestMinimiser(x0);
  const f0 = objectiveValue(w.instance, x0);
  return { parameters, scope: { ...constants, ...parameters, R: xs ? dist(x0, xs) : NaN, Delta0: f0 - w.instance.cert.fstar, f_0: f0 } };
}

/** A derived parameter's expression, parsed once (it is read again for every witness). */
const PARSED = new Map<string, MathNode>();
function parsedOnce(expr: string): MathNode {
  let node = PARSED.get(expr);
  if (!node) PARSED.set(expr, (node = parse(expr)));
  return node;
}

/** Names that are not parameters: observables, constants, sequences, built-ins. */
const NOT_PARAMETERS = new Set([...Object.keys(OBSERVABLE_TEX), 't', 'R', 'Delta0', 'fstar', 'L', 'mu', 'd', 'n']);

/**
 * The theorem's parameters for one instance: user-set values first, derived
 * ones computed, the rest sampled inside the constraints. Throws UsageError
 * naming the constraint when a set value lies outside the domain.
 */
export function theoremParameters(th: Theorem, constants: Scope, rng: Rng, given: Readonly<Record<string, number | string>> = {}): Record<string, number> {
  const set = resolveSet(given, constants);
  const cs = parseConstraints(th.constraints);
  const derived = th.derived ?? {};
  const free = freeParameters(th, constants);
  for (const name of Object.keys(set)) {
    if (name in derived) throw new UsageError(`${th.id}: ${name} is derived (${name} = ${derived[name]}); set the parameters it is computed from`);
    if (!free.includes(name)) {
      throw new UsageError(`${th.id}: unknown parameter '${name}'` + (free.length ? ` (its parameters: ${free.join(', ')})` : ' (it has no free parameters)'));
    }
  }
  const scope: Scope = { ...constants, ...set };
  for (const name of free) {
    if (!(name in set)) scope[name] = sampleInterval(intervalFor(name, cs, scope), rng, th.ranges?.[name]);
  }
  for (const [name, expr] of Object.entries(derived)) scope[name] = parsedOnce(expr).evaluate({ ...scope });
  const failed = failingConstraint(cs, scope);
  if (failed) throw new UsageError(`${th.id}: parameter outside the theorem's domain: ${failed}`);
  const out: Record<string, number> = {};
  for (const name of [...free, ...Object.keys(derived)]) out[name] = scope[name] as number;
  return out;
}

/**
 * The user's fixed parameters at one instance's constants. An expression is
 * read in the closed language (it comes from the command line) and must
 * name only constants the instance has.
 */
export function resolveSet(set: Readonly<Record<string, number | string>> | undefined, constants: Scope): Record<string, number> {
  return Object.fromEntries(Object.entries(set ?? {}).map(([k, v]) => {
    if (typeof v === 'number') return [k, v];
    const node = parseExpression(v);
    node.traverse((n, path, parent) => {
      const name = (n as unknown as { name?: string }).name;
      if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn') && !(name! in constants) && !['pi', 'e'].includes(name!)) {
        throw new UsageError(`--set ${k}=${v}: '${name}' is not a constant of this witness (it has ${Object.keys(constants).filter((c) => typeof constants[c] === 'number').join(', ')})`);
      }
    });
    const value = Number(node.compile().evaluate({ ...constants }));
    if (!Number.isFinite(value)) throw new UsageError(`--set ${k}=${v} is not a finite number at this witness's constants`);
    return [k, value];
  }));
}

/** Parameters the constraints or derived parameters mention that the instance does not fix (freed constants first: others may be bounded by them). */
export function freeParameters(th: Theorem, constants: Scope): string[] {
  const derived = th.derived ?? {};
  const free = new Set<string>((th.freeConstants ?? []).filter((k) => !(k in constants)));
  for (const name of mentioned(th)) {
    if (!(name in constants) && !(name in derived) && !NOT_PARAMETERS.has(name)) free.add(name);
  }
  return [...free];
}

/** Per theorem: its constraints and derived parameters as text, and the names they mention. */
const MENTIONED = new WeakMap<Theorem, { text: string; names: string[] }>();

/**
 * The names a theorem's constraints and derived parameters mention (not as a
 * function's name), in the order they first appear: freeParameters keeps
 * them in that order. Walking the expression trees is slow, and a search asks
 * for every candidate, so the walk is kept with the text it was made from.
 */
function mentioned(th: Theorem): string[] {
  const text = JSON.stringify([th.constraints, th.derived ?? null]);
  const kept = MENTIONED.get(th);
  if (kept?.text === text) return kept.names;
  const names = new Set<string>();
  const collect = (node: MathNode) => node.traverse((n, path, parent) => {
    if (n.type !== 'SymbolNode' || (parent?.type === 'FunctionNode' && path === 'fn')) return;
    names.add((n as unknown as { name: string }).name);
  });
  for (const c of parseConstraints(th.constraints)) collect(c.node);
  // A parameter only a derived one uses is still one: a relaxation may have dropped its last constraint (b > 1).
  for (const expr of Object.values(th.derived ?? {})) collect(parsedOnce(expr));
  const list = [...names];
  MENTIONED.set(th, { text, names: list });
  return list;
}
