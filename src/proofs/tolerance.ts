/**
 * Comparing two float64 sides with the file's relative tolerance. "Relative"
 * is taken to the magnitude a side was computed from, not only its value:
 * f(w) − f* near the minimiser, or ‖∇f(x) − ∇f(y)‖ for y near x, cancel to
 * far below the size of their terms, and float64 rounding is relative to the
 * terms. The magnitude of an expression is the same expression with sums and
 * differences over absolute values (a − b → |a| + |b|), carried through
 * products, quotients' numerators, small integer powers, abs, dot, norm and
 * every aggregate (sumover, minover, maxover, sum, mean, prod, min, max, hypot,
 * trace); any
 * other function is taken at its value, so the magnitude never balloons
 * through exp or a power of a large index (which would hide real violations).
 * A witness's value and gradient get the size of their own rounding (see
 * `oracleMagnitudes`): f(x) − f* is noise below eps·‖∇f(x)‖·‖x‖ however it
 * is computed, because x itself carries a rounding error of eps·‖x‖.
 */
import type { MathNode } from 'mathjs';
import { math } from '../language/mathjs.ts';
import type { Rel } from './parse.ts';
import { toValue, DIFF_MAGNITUDE, type Value } from './evaluate.ts';
import type { Instance } from '../classes/types.ts';

const abs = (n: MathNode) => new math.FunctionNode(new math.SymbolNode('abs'), [n]);
const op = (o: string, fn: string, args: MathNode[]) => new math.OperatorNode(o as never, fn as never, args as never);

/** What the magnitude transform needs of a file: its functions, value defines and sequences. */
export interface MagnitudeContext {
  functions: ReadonlySet<string>;
  defines: ReadonlyMap<string, MathNode>;
  sequences: ReadonlySet<string>;
}

const call = (name: string, args: MathNode[]) => new math.FunctionNode(new math.SymbolNode(name), args);

/**
 * The magnitude expression of `node` (see the file comment). A defined name
 * stands for the magnitude of its definition (w1 = w − η∇f(w) carries the
 * rounding of ‖w‖, however small w1 is); a sequence term for the largest
 * size of the terms up to it, times their number (rounding accumulates).
 */
export function magnitudeNode(node: MathNode, ctx: MagnitudeContext, expanding: ReadonlySet<string> = new Set(), position = false): MathNode {
  const m = (x: MathNode): MathNode => magnitudeNode(x, ctx, expanding, position);
  // an oracle's argument: its magnitude is where the point may be, not an allowance on a value
  const at = (x: MathNode): MathNode => magnitudeNode(x, ctx, expanding, true);
  const n = node as unknown as { type: string; fn: string | { name: string }; name: string; args: MathNode[]; content: MathNode };
  switch (node.type) {
    case 'ParenthesisNode': return m(n.content);
    case 'SymbolNode': {
      const def = ctx.defines.get(n.name);
      return def && !expanding.has(n.name) ? magnitudeNode(def, ctx, new Set([...expanding, n.name]), position) : abs(node);
    }
    case 'OperatorNode': {
      const [a, b] = n.args;
      switch (n.fn) {
        case 'add': case 'subtract': return op('+', 'add', [m(a), m(b)]);
        case 'unaryMinus': case 'unaryPlus': return m(a);
        case 'multiply': return op('*', 'multiply', [m(a), m(b)]);
        case 'divide': return op('/', 'divide', [m(a), abs(b)]);
        case 'pow':
          if (b.type === 'ConstantNode' && [2, 3, 4].includes(Number((b as unknown as { value: unknown }).value))) return op('^', 'pow', [m(a), b]);
          return abs(node);
        default: return abs(node);
      }
    }
    case 'FunctionNode': {
      const name = (n.fn as { name: string }).name;
      if (ctx.functions.has(name) && n.args.length === 1) return call(VALUE_MAGNITUDE, [new math.SymbolNode(name), n.args[0], at(n.args[0])]);
      if (name === 'grad' && n.args.length === 2) return call(GRAD_MAGNITUDE, [n.args[0], n.args[1], at(n.args[1])]);
      // x⁺ = v − γs carries the rounding of v and of the step γs = v − x⁺ (at most |v| + |x⁺|)
      if (name === 'prox' && n.args.length === 3) return op('+', 'add', [m(n.args[2]), op('*', 'multiply', [new math.ConstantNode(2), abs(node)])]);
      if (ctx.sequences.has(name) && n.args.length === 1) return call(SEQUENCE_MAGNITUDE, [new math.ConstantNode(name), n.args[0], new math.ConstantNode(position)]);
      if (name === 'abs' && n.args.length === 1) return m(n.args[0]);
      if (name === 'norm' && n.args.length === 1) return call('norm', [m(n.args[0])]);
      if (name === 'dot' && n.args.length === 2) return call('dot', n.args.map(m));
      // aggregates carry their terms' magnitudes: a sum that cancels to 0 rounds at the size of its terms
      if (OVER.has(name) && n.args.length === 4) {
        const [k, a, b, body] = n.args;
        return call(name === 'sumover' ? 'sumover' : 'maxover', [k, a, b, m(body)]);
      }
      if (name === 'diff' && n.args.length === 2) return call(DIFF_MAGNITUDE, n.args);
      if (SAME_AGGREGATE.has(name)) return call(name, n.args.map(m));
      if (name === 'min' || name === 'max') return call('max', n.args.map(m));
      if ((name === 'square' || name === 'cube') && n.args.length === 1) return call(name, [m(n.args[0])]);
      return abs(node);
    }
    default: return abs(node);
  }
}

/** Aggregates over a bound index: a sum's magnitude is the sum of its terms' magnitudes, a min's or max's the largest of them. */
const OVER = new Set(['sumover', 'minover', 'maxover']);
/**
 * Aggregates monotone in the absolute values of their entries: the same
 * aggregate of the magnitudes bounds the rounding (sum, mean, hypot of
 * |terms|; a product of magnitudes; the trace and transpose entrywise).
 */
const SAME_AGGREGATE = new Set(['sum', 'mean', 'prod', 'hypot', 'trace', 'transpose']);

const VALUE_MAGNITUDE = 'value_magnitude__';
const GRAD_MAGNITUDE = 'grad_magnitude__';
const SEQUENCE_MAGNITUDE = 'sequence_magnitude__';

/** What the magnitude built-ins need of an evaluator. */
export interface MagnitudeOracle {
  instanceOf(fn: unknown): Instance | undefined;
  sequence(name: string, index: number): Value;
}

/**
 * The magnitude built-ins for one evaluator. With r = ‖M(x)‖ + ‖x*‖ (M(x)
 * the magnitude x was computed from) and L the witness's smoothness
 * constant: |f(x)| + |f*| + ‖∇f(x)‖·r + L·r²·eps for a value (the input's
 * rounding times the slope, and the second-order term); |∇f(x)| + L·r for a
 * gradient (the input's rounding times the curvature).
 */
export function oracleMagnitudes(ev: MagnitudeOracle, tolerance: number): Record<string, unknown> {
  const vec = (x: unknown): number[] => (typeof x === 'number' ? [x] : (toValue(x) as number[]));
  const reach = (inst: Instance, x: number[], mx: unknown) => {
    const xs = inst.nearestMinimiser(x);
    return norm(vec(mx)) + (xs ? norm(xs) : 0);
  };
  return {
    [VALUE_MAGNITUDE]: (fn: unknown, x: unknown, mx: unknown) => {
      const inst = ev.instanceOf(fn)!;
      const v = vec(x), r = reach(inst, v, mx);
      return Math.abs(inst.value(v)) + Math.abs(inst.cert.fstar) + norm(inst.grad(v)) * r + (inst.cert.L ?? 0) * r * r * 2 ** -52;
    },
    [GRAD_MAGNITUDE]: (fn: unknown, x: unknown, mx: unknown) => {
      const inst = ev.instanceOf(fn)!;
      const v = vec(x), r = reach(inst, v, mx);
      const g = Array.from(inst.grad(v), (gi) => Math.abs(gi) + (inst.cert.L ?? 0) * r);
      return typeof x === 'number' ? g[0] : g;
    },
    // A term computed by t recursion steps carries a rounding of about (t+1)·eps·max_k |w(k)|.
    // As a point (an oracle's argument) that is its magnitude; as a value it is added to |w(t)|
    // at its own size (×16 for safety), not scaled up by the file's tolerance: a rate that decays
    // far below its start must still be checked relative to itself.
    [SEQUENCE_MAGNITUDE]: (name: string, index: unknown, position: boolean) => {
      const t = Math.round(toValue(index) as number);
      let top: Value = 0;
      for (let k = 0; k <= t; k++) top = maxAbs(top, ev.sequence(name, k));
      if (position) return scale(top, t + 1);
      return add(maxAbs(0, ev.sequence(name, t)), scale(top, (t + 1) * 16 * 2 ** -52 / tolerance));
    },
  };
}

/** Elementwise max of |a| and |b| (a scalar a broadcasts). */
function maxAbs(a: Value, b: Value): Value {
  if (typeof b === 'number') return Math.max(typeof a === 'number' ? Math.abs(a) : 0, Math.abs(b));
  return (b as Value[]).map((bi, i) => maxAbs(typeof a === 'number' ? a : (a as Value[])[i], bi)) as Value;
}
const add = (a: Value, b: Value): Value => (typeof a === 'number' ? a + (b as number) : (a as Value[]).map((x, i) => add(x, (b as Value[])[i])) as Value);
const scale = (v: Value, c: number): Value => (typeof v === 'number' ? c * v : (v as Value[]).map((x) => scale(x, c)) as Value);

const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

/** Largest absolute entry of a value (its size for tolerance purposes). */
export function size(v: Value): number {
  if (typeof v === 'number') return Math.abs(v);
  let m = 0;
  for (const x of v as (number | number[])[]) m = Math.max(m, size(x));
  return m;
}

export function allFinite(v: Value): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return (v as Value[]).every(allFinite);
}

/**
 * An absolute allowance: below about 1e-300 float64 has lost relative
 * precision (subnormals), so differences there are not evidence.
 */
export const UNDERFLOW = 1e-300;

/**
 * Whether `lhs rel rhs` holds up to `tol · scale`. Strict relations are
 * compared like their non-strict forms: float64 sampling cannot tell a < b
 * from a ≤ b when a and b agree to rounding, and refuting a true strict step
 * at a near-tie would be a false alarm.
 */
export function holds(l: number, rel: Rel, r: number, slack: number): boolean {
  slack += UNDERFLOW;
  switch (rel) {
    case '==': return Math.abs(l - r) <= slack;
    case '<=': case '<': return l <= r + slack;
    case '>=': case '>': return l >= r - slack;
  }
}

/** Elementwise `==` of two same-shaped values; false on a shape mismatch. */
export function equalWithin(a: Value, b: Value, slack: number): boolean {
  slack += UNDERFLOW;
  if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= slack;
  if (a.length !== b.length) return false;
  return (a as Value[]).every((x, i) => equalWithin(x, (b as Value[])[i], slack));
}

export const shapeOf = (v: Value): string =>
  typeof v === 'number' ? 'a number' : Array.isArray(v[0]) ? `a ${v.length}×${(v[0] as number[]).length} matrix` : `a vector of length ${v.length}`;
