/**
 * A theorem of the catalogue or a theorem file as a performance estimation
 * problem: its classes become an interpolable class, the left side of its
 * bound a measure, the symbols R and Delta0 in the bound initial conditions;
 * the bound evaluated at the same parameters and step is what τ is compared
 * with. A theorem outside this (a PL or quadratic class, a per-step
 * statement, a method that is not fixed-step linear) is refused with the
 * reason, and the refusal is a usage error (exit 2).
 */
import { parse } from '../language/mathjs.ts';
import { builtinMethod } from '../methods/builtins.ts';
import type { Method } from '../methods/describe.ts';
import { linearObstacle } from '../methods/linear.ts';
import { makeRng } from '../numeric/rng.ts';
import { parseStatement, symbolsOf } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import { theoremFileOf } from '../theoremFiles/load.ts';
import { theoremParameters } from '../verify/scope.ts';
import { UsageError } from '../language/usage.ts';
import type { PepClass, PepInit, PepMeasure } from './model.ts';

export interface TheoremPep {
  method: Method;
  cls: PepClass;
  measure: PepMeasure;
  /** τ of the measure → the statement's left side (a square root for dist_t). */
  transform: 'none' | 'sqrt';
  init: PepInit[];
  /** The method's parameters as expressions (the theorem's algorithm.hyper). */
  hyper: Readonly<Record<string, string>>;
  /** The bound at step t, given the theorem's parameters and constants. */
  bound: (scope: Record<string, number>, t: number) => number;
  from: number;
  /** Steps of the method before step t that the measure looks at: t, or t − 1 for mingrad2_t (min over k < t). */
  lag: 0 | 1;
  /**
   * Whether τ above the bound refutes the statement. Not for a composite file:
   * PEP takes its h closed convex, a larger class than the `nonsmooth` term it
   * declares (l1, box), so τ there is an upper bound on the statement's worst case.
   */
  exact: boolean;
}

const TIGHTNESS_HINT = 'performance estimation needs a class with interpolation conditions (smooth-convex, smooth-strongly-convex, smooth, lipschitz-convex); use `boundlab tightness` to search for the worst instance instead';

/** The class of a theorem's assumptions, or a usage error naming what is not interpolable. */
export function theoremClass(th: Theorem): PepClass {
  const c = new Set<string>(th.classes);
  const id = th.id;
  if (c.has('mu-PL')) throw new UsageError(`pep: ${id} assumes the PL inequality, which has no interpolation conditions: ${TIGHTNESS_HINT}`);
  if (c.has('quadratic')) throw new UsageError(`pep: ${id} is about quadratics, a class PEP here does not model (its worst case over smooth strongly convex functions would be an upper bound, not the theorem's): ${TIGHTNESS_HINT}`);
  if (th.structural?.length) throw new UsageError(`pep: ${id} has the structural assumption ${th.structural.join(', ')}, which PEP here does not model: ${TIGHTNESS_HINT}`);
  if (c.has('L-smooth') && c.has('mu-strongly-convex')) return 'smooth-strongly-convex';
  if (c.has('L-smooth') && c.has('convex')) return 'smooth-convex';
  if (c.has('L-smooth')) return 'smooth';
  if (c.has('G-Lipschitz') && c.has('convex')) return 'lipschitz-convex';
  throw new UsageError(`pep: ${id} assumes ${th.classes.join(', ')}: ${TIGHTNESS_HINT}`);
}

const MEASURES: Readonly<Record<string, { measure: PepMeasure; transform: 'none' | 'sqrt' }>> = {
  'f_t - fstar': { measure: 'f-gap', transform: 'none' },
  'dist_t ^ 2': { measure: 'dist2', transform: 'none' },
  dist_t: { measure: 'dist2', transform: 'sqrt' },
  grad2_t: { measure: 'grad-norm2', transform: 'none' },
};

export function theoremPep(th: Theorem): TheoremPep {
  if (th.kind !== 'run' || !th.algorithm) throw new UsageError(`pep: ${th.id} is not a bound along the iterates of a method (kind ${th.kind})`);
  if (th.perStep) throw new UsageError(`pep: ${th.id} compares consecutive iterates; PEP here bounds step N against the start`);
  const cls = theoremClass(th);
  const st = parseStatement(th.statement);
  if (st.parts.length !== 1 || st.parts[0].relation !== '<=') throw new UsageError(`pep: ${th.id}'s statement is not one relation quantity <= bound`);
  const part = st.parts[0];
  const lhs = part.lhs.toString();
  // mingrad2_t is min over k < t, which is min over k = 0…t−1: the measure min-grad-norm2 of t − 1 steps.
  const m = lhs === 'mingrad2_t' ? { measure: 'min-grad-norm2' as const, transform: 'none' as const } : MEASURES[lhs];
  if (!m) throw new UsageError(`pep: ${th.id} bounds ${lhs}; PEP here measures f_t - fstar, dist_t, dist_t^2, grad2_t, mingrad2_t`);
  const file = theoremFileOf(th);
  let method: Method | undefined;
  let hyper: Readonly<Record<string, string>> = th.algorithm.hyper;
  if (file) method = file.method;
  else {
    const id = th.algorithm.optimizer === 'nesterov' && !('momentum' in hyper) ? 'fista' : th.algorithm.optimizer;
    method = builtinMethod(id);
  }
  if (!method) throw new UsageError(`pep: ${th.id}'s method ${th.algorithm.optimizer} has no method description, so it has no linear form`);
  const why = linearObstacle(method);
  if (why) throw new UsageError(`pep: ${th.id}'s method is not a fixed-step linear method: ${why}`);
  hyper = { ...hyper };
  const symbols = symbolsOf(part.rhs);
  const init: PepInit[] = [];
  if (symbols.has('R')) init.push('dist2');
  if (symbols.has('Delta0') || symbols.has('f_0')) init.push('f-gap');
  if (init.length === 0) throw new UsageError(`pep: ${th.id}'s bound uses neither R nor Delta0, so it has no initial condition to scale`);
  const bound = part.bound;
  const sequences = Object.entries(th.sequences ?? {}).map(([name, s]) => ({ name, ...s, next: parse(s.next).compile() }));
  // With prox(h, …) in the method the problem is composite: f_t − fstar is read as F(x_t) − F*, F = f + h.
  const composite = Object.keys(method.proxes).length > 0;
  return {
    method, cls, measure: m.measure, transform: m.transform, init, hyper, from: th.from ?? 0, lag: lhs === 'mingrad2_t' ? 1 : 0, exact: !composite,
    bound: (scope, t) => {
      const s: Record<string, number> = { ...scope, t };
      for (const q of sequences) {
        let v = q.start;
        for (let k = q.at + 1; k <= t; k++) v = Number(q.next.evaluate({ ...s, [q.name]: v }));
        s[q.name] = v;
      }
      return Number(bound.evaluate(s));
    },
  };
}

/** The theorem's parameters at the user's values (checked against its domain; derived ones computed). */
export function theoremValues(th: Theorem, constants: Record<string, number>, set: Record<string, number>): Record<string, number> {
  return theoremParameters(th, { fstar: 0, d: 1, ...constants }, makeRng(0), set);
}

/**
 * `inconclusive`: τ is above the bound but the class's model is a relaxation
 * (EXACT_CLASSES), so the excess may be the model's, not the theorem's.
 */
export type PepVerdict = 'tight' | 'valid' | 'violated' | 'unbounded' | 'inconclusive';

/** Relative accuracy we trust τ to: τ matches the closed forms of tests/pep.test.ts and bench/pep.ts to 1e-8 or better (solve.ts, docs/pep.md "Accuracy"). */
export const PEP_RELATIVE_TOLERANCE = 1e-6;

export function pepVerdict(tau: number, bound: number, status: string, gap: number, exact: boolean): PepVerdict {
  if (status === 'unbounded') return exact ? 'unbounded' : 'inconclusive';
  const tol = (PEP_RELATIVE_TOLERANCE + 10 * (Number.isFinite(gap) ? gap : 0)) * Math.max(Math.abs(bound), Math.abs(tau), 1e-300);
  if (tau > bound + tol) return exact ? 'violated' : 'inconclusive';
  // Below a relaxation's τ the worst case is at most as large, but not known to reach it: never `tight`.
  if (tau >= bound - tol) return exact ? 'tight' : 'valid';
  return 'valid';
}
