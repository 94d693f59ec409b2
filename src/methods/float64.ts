/**
 * A method description as its exact step in float64: x_{k+1} from the two
 * latest iterates x_k and x_{k−1} of a float32 run (what the tolerance model
 * compares each float32 step with, src/verify/runCheck.ts). Other sequences
 * are rebuilt from those two iterates by their own rules (Nesterov's
 * y_k = x_k + β(x_k − x_{k−1})); a sequence that carries state of its own
 * (v_{k+1} = βv_k + ∇f(x_k)) cannot be, and the method says so.
 */
import type { Instance } from '../classes/types.ts';
import type { Vec } from '../numeric/linalg.ts';
import { hostSequences, type Method, type MethodNode, nodesOf } from './describe.ts';

export type ReferenceStepFn = (inst: Instance, hyper: Readonly<Record<string, number>>, x: Vec, xPrev: Vec, k: number) => Vec;

/** Why x_{k+1} cannot be computed from x_k and x_{k−1} alone, or null when it can. */
export function referenceObstacle(method: Method): string | null {
  const byName = new Map(method.sequences.map((s) => [s.name, s]));
  const stack: string[] = [];
  const visit = (name: string, off: number): string | null => {
    const s = byName.get(name)!;
    if (s.host) return null;
    if (name === method.iterate && off <= 0) {
      return off >= -1 ? null : `${s.updateText} needs ${name}(k${off}) two steps back; the float64 reference sees only ${name}(k) and ${name}(k-1)`;
    }
    if (stack.includes(name)) {
      return `${name} carries state of its own (${name}(k+1) depends on an earlier ${name}), which the float64 reference cannot rebuild from ${method.iterate}(k) and ${method.iterate}(k-1); write the method over ${method.iterate} alone (heavy ball: x(k+1) = x(k) - alpha*grad(f, x(k)) + beta*(x(k) - x(k-1)))`;
    }
    stack.push(name);
    for (const n of nodesOf(s.update)) {
      if (n.op === 'call' && n.fn === 'sgrad') { stack.pop(); return 'sgrad has no float64 reference (a bound in expectation is checked without one)'; }
      if (n.op === 'seq') {
        const why = visit(n.name, off - n.lag);
        if (why) { stack.pop(); return why; }
      }
    }
    stack.pop();
    return null;
  };
  return visit(method.iterate, 1);
}

type Value = number | Vec;

/** The exact step of a method (call referenceObstacle first: this throws where it gives a reason). */
export function compileFloat64(method: Method): ReferenceStepFn {
  const byName = new Map(method.sequences.map((s) => [s.name, s]));
  // Host scalar sequences depend only on a row's parameters: memoised per hyper object.
  const hostCache = new WeakMap<object, (name: string, index: number) => number>();
  return (inst, hyper, x, xPrev, k) => {
    let host = hostCache.get(hyper);
    if (!host) hostCache.set(hyper, (host = hostSequences(method, hyper)));
    const hostAt = host;
    const x0 = Float64Array.from(Float32Array.from(inst.x0));
    const memo = new Map<string, Value>();
    const valueAt = (name: string, index: number): Value => {
      const i = Math.max(0, index);
      const s = byName.get(name)!;
      if (s.host) return hostAt(name, i);
      if (name === method.iterate) {
        if (i === k) return x;
        if (i === k - 1) return xPrev;
        if (i !== k + 1) throw new Error(`${method.file}: the float64 reference needs ${name}(${i}) at step ${k}`);
      }
      const key = `${name}@${i}`;
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const v = i === 0
        ? evaluate(s.initial, 0, (n) => valueAt(n, 0))
        : evaluate(s.update, i - 1, (n, lag) => valueAt(n, i - lag));
      memo.set(key, v);
      return v;
    };
    const evaluate = (node: MethodNode, step: number, seq: (name: string, lag: number) => Value): Value => {
      const ev = (n: MethodNode): Value => {
        switch (n.op) {
          case 'num': return n.value;
          case 'param': return hyper[n.name];
          case 'k': return step;
          case 'x0': return x0;
          case 'seq': return seq(n.name, n.lag);
          case 'arith': {
            const [a, b] = n.args.map(ev);
            switch (n.fn) {
              case 'add': return zip(a, b, (p, q) => p + q);
              case 'subtract': return zip(a, b, (p, q) => p - q);
              case 'multiply': return zip(a, b, (p, q) => p * q);
              case 'divide': return zip(a, b, (p, q) => p / q);
              case 'pow': return (a as number) ** (b as number);
              case 'unaryMinus': return map(a, (p) => -p);
            }
            break;
          }
          case 'call': {
            const a = n.args.map(ev);
            switch (n.fn) {
              case 'grad': return Float64Array.from(inst.grad(a[0] as Vec));
              case 'f': return inst.value(a[0] as Vec);
              case 'sgrad': throw new Error(`${method.file}:${n.line}: sgrad has no float64 reference`);
              case 'prox': {
                const term = method.proxes[(n.args[0] as { name: string }).name];
                const step = a[1] as number;
                if (term.kind === 'l1') {
                  const tau = step * hyper[term.args[0]];
                  return map(a[2], (v) => Math.sign(v) * Math.max(Math.abs(v) - tau, 0));
                }
                const [lo, hi] = term.args.map((p) => hyper[p]);
                return map(a[2], (v) => Math.min(Math.max(v, lo), hi));
              }
              case 'sign': return map(a[0], Math.sign);
              case 'abs': return map(a[0], Math.abs);
              case 'sqrt': return Math.sqrt(a[0] as number);
              case 'exp': return Math.exp(a[0] as number);
              case 'log': return Math.log(a[0] as number);
              case 'clip': return map(a[0], (v) => Math.min(Math.max(v, a[1] as number), a[2] as number));
              case 'norm': return typeof a[0] === 'number' ? Math.abs(a[0]) : Math.hypot(...(a[0] as Vec));
              case 'dot': return (a[0] as Vec).reduce((s, v, j) => s + v * (a[1] as Vec)[j], 0);
              case 'max': return Math.max(a[0] as number, a[1] as number);
              case 'min': return Math.min(a[0] as number, a[1] as number);
            }
          }
        }
        throw new Error(`${method.file}:${(n as MethodNode).line}: cannot evaluate`);
      };
      return ev(node);
    };
    return valueAt(method.iterate, k + 1) as Vec;
  };
}

function map(a: Value, f: (v: number) => number): Value {
  return typeof a === 'number' ? f(a) : Float64Array.from(a, f);
}

/** Elementwise with a scalar broadcast (the type check allows scalar·vector and vector±vector). */
function zip(a: Value, b: Value, f: (p: number, q: number) => number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  if (typeof a === 'number') return Float64Array.from(b as Vec, (q) => f(a, q));
  if (typeof b === 'number') return Float64Array.from(a, (p) => f(p, b));
  return Float64Array.from(a, (p, j) => f(p, b[j]));
}
