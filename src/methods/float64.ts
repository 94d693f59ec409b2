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

/** What a compiled node reads: the row, the step its rule is applied at, and the other sequences. */
interface Ctx {
  inst: Instance;
  hyper: Readonly<Record<string, number>>;
  step: number;
  seq: (name: string, lag: number) => Value;
  x0: () => Vec;
}

/** The exact step of a method (call referenceObstacle first: this throws where it gives a reason). */
export function compileFloat64(method: Method): ReferenceStepFn {
  const byName = new Map(method.sequences.map((s, i) => [s.name, { s, i }]));
  // Compiled once: the step runs for every row at every step of a verification.
  const initial = new Map(method.sequences.map((s) => [s.name, compileNode(s.initial, method)]));
  const update = new Map(method.sequences.map((s) => [s.name, compileNode(s.update, method)]));
  // Host scalar sequences depend only on a row's parameters: memoised per hyper object.
  const hostCache = new WeakMap<object, (name: string, index: number) => number>();
  return (inst, hyper, x, xPrev, k) => {
    let host = hostCache.get(hyper);
    if (!host) hostCache.set(hyper, (host = hostSequences(method, hyper)));
    const hostAt = host;
    let x0: Vec | undefined;
    const start = () => (x0 ??= Float64Array.from(Float32Array.from(inst.x0)));
    const memo = new Map<number, Value>();
    const valueAt = (name: string, index: number): Value => {
      const i = Math.max(0, index);
      const { s, i: which } = byName.get(name)!;
      if (s.host) return hostAt(name, i);
      if (name === method.iterate) {
        if (i === k) return x;
        if (i === k - 1) return xPrev;
        if (i !== k + 1) throw new Error(`${method.file}: the float64 reference needs ${name}(${i}) at step ${k}`);
      }
      const key = which * 1024 + (i - k + 512);
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const v = i === 0
        ? initial.get(name)!({ inst, hyper, step: 0, seq: (n) => valueAt(n, 0), x0: start })
        : update.get(name)!({ inst, hyper, step: i - 1, seq: (n, lag) => valueAt(n, i - lag), x0: start });
      memo.set(key, v);
      return v;
    };
    return valueAt(method.iterate, k + 1) as Vec;
  };
}

/** A node as a closure over the context (no interpretation at run time). */
function compileNode(node: MethodNode, method: Method): (c: Ctx) => Value {
  switch (node.op) {
    case 'num': { const v = node.value; return () => v; }
    case 'param': { const name = node.name; return (c) => c.hyper[name]; }
    case 'k': return (c) => c.step;
    case 'x0': return (c) => c.x0();
    case 'seq': { const { name, lag } = node; return (c) => c.seq(name, lag); }
    case 'arith': {
      const [a, b] = node.args.map((n) => compileNode(n, method));
      switch (node.fn) {
        case 'add': return (c) => zip(a(c), b(c), (p, q) => p + q);
        case 'subtract': return (c) => zip(a(c), b(c), (p, q) => p - q);
        case 'multiply': return (c) => zip(a(c), b(c), (p, q) => p * q);
        case 'divide': return (c) => zip(a(c), b(c), (p, q) => p / q);
        case 'pow': return (c) => (a(c) as number) ** (b(c) as number);
        case 'unaryMinus': return (c) => map(a(c), (p) => -p);
      }
      break;
    }
    case 'call': {
      const line = node.line;
      if (node.fn === 'prox') {
        const term = method.proxes[(node.args[0] as { name: string }).name];
        const [step, v] = node.args.slice(1).map((n) => compileNode(n, method));
        if (term.kind === 'l1') {
          return (c) => {
            const tau = (step(c) as number) * c.hyper[term.args[0]];
            return map(v(c), (p) => Math.sign(p) * Math.max(Math.abs(p) - tau, 0));
          };
        }
        return (c) => map(v(c), (p) => Math.min(Math.max(p, c.hyper[term.args[0]]), c.hyper[term.args[1]]));
      }
      const [a, b, d] = node.args.map((n) => compileNode(n, method));
      switch (node.fn) {
        case 'grad': return (c) => c.inst.grad(a(c) as Vec);
        case 'f': return (c) => c.inst.value(a(c) as Vec);
        case 'sgrad': return () => { throw new Error(`${method.file}:${line}: sgrad has no float64 reference`); };
        case 'sign': return (c) => map(a(c), Math.sign);
        case 'abs': return (c) => map(a(c), Math.abs);
        case 'sqrt': return (c) => Math.sqrt(a(c) as number);
        case 'exp': return (c) => Math.exp(a(c) as number);
        case 'log': return (c) => Math.log(a(c) as number);
        case 'clip': return (c) => { const lo = b(c) as number, hi = d(c) as number; return map(a(c), (p) => Math.min(Math.max(p, lo), hi)); };
        case 'norm': return (c) => { const v = a(c); return typeof v === 'number' ? Math.abs(v) : Math.sqrt(v.reduce((s, q) => s + q * q, 0)); };
        case 'dot': return (c) => { const u = a(c) as Vec, v = b(c) as Vec; let s = 0; for (let j = 0; j < u.length; j++) s += u[j] * v[j]; return s; };
        case 'max': return (c) => Math.max(a(c) as number, b(c) as number);
        case 'min': return (c) => Math.min(a(c) as number, b(c) as number);
      }
    }
  }
  throw new Error(`${method.file}:${node.line}: cannot evaluate`);
}

// Plain loops: this runs at every step of every row, and typed-array `from` with a callback is slow.
function map(a: Value, f: (v: number) => number): Value {
  if (typeof a === 'number') return f(a);
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = f(a[j]);
  return out;
}

/** Elementwise with a scalar broadcast (the type check allows scalar·vector and vector±vector). */
function zip(a: Value, b: Value, f: (p: number, q: number) => number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const n = typeof a === 'number' ? (b as Vec).length : a.length;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = f(typeof a === 'number' ? a : a[j], typeof b === 'number' ? b : b[j]);
  return out;
}
