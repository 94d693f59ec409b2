/**
 * Comparing two float64 sides with the file's relative tolerance. "Relative"
 * is taken to the magnitude a side was computed from, not only its value:
 * f(w) − f* near the minimiser, or ‖∇f(x) − ∇f(y)‖ for y near x, cancel to
 * far below the size of their terms, and float64 rounding is relative to the
 * terms. The magnitude of an expression is the same expression with sums and
 * differences over absolute values (a − b → |a| + |b|), carried through
 * products, quotients' numerators, small integer powers, dot and norm; any
 * other function is taken at its value, so the magnitude never balloons
 * through exp or a power of a large index (which would hide real violations).
 * A witness's value and gradient get the size of their own rounding (see
 * `oracleMagnitudes`): f(x) − f* is noise below eps·‖∇f(x)‖·‖x‖ however it
 * is computed, because x itself carries a rounding error of eps·‖x‖.
 */
import type { MathNode } from 'mathjs';
import { math } from './evaluate.ts';
import type { Rel } from './parse.ts';
import { toValue, type Value } from './evaluate.ts';
import type { Instance } from '../classes/types.ts';

const abs = (n: MathNode) => new math.FunctionNode(new math.SymbolNode('abs'), [n]);
const op = (o: string, fn: string, args: MathNode[]) => new math.OperatorNode(o as never, fn as never, args as never);

/** The magnitude expression of `node` (see the file comment). */
export function magnitudeNode(node: MathNode, functions: ReadonlySet<string>): MathNode {
  const magnitudeNode = (m: MathNode): MathNode => magnitudeOf(m, functions);
  return magnitudeNode(node);
}

function magnitudeOf(node: MathNode, functions: ReadonlySet<string>): MathNode {
  const magnitudeNode = (m: MathNode): MathNode => magnitudeOf(m, functions);
  const n = node as unknown as { type: string; fn: string | { name: string }; op: string; args: MathNode[]; content: MathNode };
  switch (node.type) {
    case 'ParenthesisNode': return magnitudeNode(n.content);
    case 'OperatorNode': {
      const [a, b] = n.args;
      switch (n.fn) {
        case 'add': case 'subtract': return op('+', 'add', [magnitudeNode(a), magnitudeNode(b)]);
        case 'unaryMinus': case 'unaryPlus': return magnitudeNode(a);
        case 'multiply': return op('*', 'multiply', [magnitudeNode(a), magnitudeNode(b)]);
        case 'divide': return op('/', 'divide', [magnitudeNode(a), abs(b)]);
        case 'pow':
          if (b.type === 'ConstantNode' && [2, 3, 4].includes(Number((b as unknown as { value: unknown }).value))) return op('^', 'pow', [magnitudeNode(a), b]);
          return abs(node);
        default: return abs(node);
      }
    }
    case 'FunctionNode': {
      const name = (n.fn as { name: string }).name;
      if (functions.has(name)) return new math.FunctionNode(new math.SymbolNode(VALUE_MAGNITUDE), [new math.SymbolNode(name), ...n.args]);
      if (name === 'grad' && n.args.length === 2) return new math.FunctionNode(new math.SymbolNode(GRAD_MAGNITUDE), n.args);
      if (name === 'norm' && n.args.length === 1) return new math.FunctionNode(new math.SymbolNode('norm'), [magnitudeNode(n.args[0])]);
      if (name === 'dot' && n.args.length === 2) return new math.FunctionNode(new math.SymbolNode('dot'), n.args.map(magnitudeNode));
      return abs(node);
    }
    default: return abs(node);
  }
}

const VALUE_MAGNITUDE = 'value_magnitude__';
const GRAD_MAGNITUDE = 'grad_magnitude__';

/**
 * The magnitude built-ins for one evaluator. With r = ‖x‖ + ‖x*‖ and L the
 * witness's smoothness constant: |f(x)| + |f*| + ‖∇f(x)‖·r + L·r²·eps for a
 * value (the input's rounding times the slope, and the second-order term),
 * |∇f(x)| + L·r for a gradient (the input's rounding times the curvature).
 */
export function oracleMagnitudes(instanceOf: (fn: unknown) => Instance | undefined): Record<string, unknown> {
  const reach = (inst: Instance, x: number[]) => {
    const xs = inst.nearestMinimiser(x);
    return norm(x) + (xs ? norm(Array.from(xs)) : 0);
  };
  const vec = (x: unknown): number[] => (typeof x === 'number' ? [x] : (toValue(x) as number[]));
  return {
    [VALUE_MAGNITUDE]: (fn: unknown, x: unknown) => {
      const inst = instanceOf(fn)!;
      const v = vec(x), r = reach(inst, v);
      return Math.abs(inst.value(v)) + Math.abs(inst.cert.fstar) + norm(Array.from(inst.grad(v))) * r + (inst.cert.L ?? 0) * r * r * 2 ** -52;
    },
    [GRAD_MAGNITUDE]: (fn: unknown, x: unknown) => {
      const inst = instanceOf(fn)!;
      const v = vec(x), r = reach(inst, v);
      const g = Array.from(inst.grad(v), (gi) => Math.abs(gi) + (inst.cert.L ?? 0) * r);
      return typeof x === 'number' ? g[0] : g;
    },
  };
}

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

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
