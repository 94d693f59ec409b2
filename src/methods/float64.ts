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

/**
 * What a compiled node reads: the step being computed (its row, iterates and
 * memo) and the index of the value its rule produces. A class, not closures
 * made per call: this runs for every row at every step of a verification.
 */
class Ctx {
  /** Values computed in this step: sequence `which` at index k + off, off in −6..1, at which·8 + off + 6 (others in `far`). */
  memo: (Value | undefined)[] | undefined;
  far: Map<number, Value> | undefined;
  x0: Vec | undefined;
  constructor(
    readonly plan: Plan, readonly inst: Instance, readonly hyper: Readonly<Record<string, number>>,
    readonly host: (name: string, index: number) => number, readonly x: Vec, readonly xPrev: Vec, readonly k: number,
  ) {}

  start(): Vec {
    return (this.x0 ??= Float64Array.from(Float32Array.from(this.inst.x0)));
  }

  /** The value of sequence number `which` at `index` (below 0: at 0). */
  valueAt(which: number, index: number): Value {
    const i = Math.max(0, index);
    const s = this.plan.sequences[which];
    if (s.host) return this.host(s.name, i);
    const k = this.k;
    if (which === this.plan.iterate) {
      if (i === k) return this.x;
      if (i === k - 1) return this.xPrev;
      if (i !== k + 1) throw new Error(`${this.plan.file}: the float64 reference needs ${s.name}(${i}) at step ${k}`);
    }
    const off = i - k;
    const near = off >= -6 && off <= 1;
    const key = near ? which * 8 + off + 6 : which * 1024 + (off + 512);
    const hit = near ? this.memo?.[key] : this.far?.get(key);
    if (hit !== undefined) return hit;
    const v = i === 0 ? this.plan.initial[which](this, 0, 0) : this.plan.update[which](this, i - 1, i);
    if (near) (this.memo ??= [])[key] = v;
    else (this.far ??= new Map()).set(key, v);
    return v;
  }
}

/** A compiled node: `step` is k of the rule being applied, `index` the index of the value it makes (0 for initial values). */
type Compiled = (c: Ctx, step: number, index: number) => Value;

interface Plan {
  file: string;
  /** The iterate's sequence number. */
  iterate: number;
  sequences: Method['sequences'];
  initial: Compiled[];
  update: Compiled[];
}

/** The exact step of a method (call referenceObstacle first: this throws where it gives a reason). */
export function compileFloat64(method: Method): ReferenceStepFn {
  const plan: Plan = {
    file: method.file,
    iterate: method.sequences.findIndex((s) => s.name === method.iterate),
    sequences: method.sequences,
    initial: method.sequences.map((s) => compileNode(s.initial, method, true)),
    update: method.sequences.map((s) => compileNode(s.update, method, false)),
  };
  // Host scalar sequences depend only on a row's parameters: memoised per hyper object.
  const hostCache = new WeakMap<object, (name: string, index: number) => number>();
  return (inst, hyper, x, xPrev, k) => {
    let host = hostCache.get(hyper);
    if (!host) hostCache.set(hyper, (host = hostSequences(method, hyper)));
    return new Ctx(plan, inst, hyper, host, x, xPrev, k).valueAt(plan.iterate, k + 1) as Vec;
  };
}

/** A node as a closure over the context (no interpretation at run time). */
function compileNode(node: MethodNode, method: Method, initial: boolean): Compiled {
  switch (node.op) {
    case 'num': { const v = node.value; return () => v; }
    case 'param': { const name = node.name; return (c, t, i) => c.hyper[name]; }
    case 'k': return (_c, step) => step;
    case 'x0': return (c, t, i) => c.start();
    case 'seq': {
      const { lag } = node;
      const which = method.sequences.findIndex((s) => s.name === node.name);
      return initial ? (c, t, i) => c.valueAt(which, 0) : (c, _step, index) => c.valueAt(which, index - lag);
    }
    case 'arith': {
      const [a, b] = node.args.map((n) => compileNode(n, method, initial));
      // a ± s·v and s·(u ± v) in one loop: the same roundings in the same order as the
      // separate operations (no fused multiply-add in JavaScript), one array fewer per step.
      const product = (n: MethodNode) => (n.op === 'arith' && n.fn === 'multiply' ? n.args.map((m) => compileNode(m, method, initial)) : null);
      const sum = (n: MethodNode) => (n.op === 'arith' && (n.fn === 'add' || n.fn === 'subtract') ? { sign: (n.fn === 'add' ? 1 : -1) as 1 | -1, args: n.args.map((m) => compileNode(m, method, initial)) } : null);
      switch (node.fn) {
        case 'add': case 'subtract': {
          const sign = node.fn === 'add' ? 1 : -1;
          const right = product(node.args[1]);
          if (right) return (c, t, i) => addScaled(a(c, t, i), right[0](c, t, i), right[1](c, t, i), sign);
          return (c, t, i) => add(a(c, t, i), b(c, t, i), sign);
        }
        case 'multiply': {
          const right = sum(node.args[1]);
          if (right) return (c, t, i) => scaleSum(a(c, t, i), right.args[0](c, t, i), right.args[1](c, t, i), right.sign);
          return (c, t, i) => multiply(a(c, t, i), b(c, t, i));
        }
        case 'divide': return (c, t, i) => divide(a(c, t, i), b(c, t, i));
        case 'pow': return (c, t, i) => (a(c, t, i) as number) ** (b(c, t, i) as number);
        case 'unaryMinus': return (c, t, i) => map(a(c, t, i), (p) => -p);
      }
      break;
    }
    case 'call': {
      const line = node.line;
      if (node.fn === 'prox') {
        const term = method.proxes[(node.args[0] as { name: string }).name];
        const [step, v] = node.args.slice(1).map((n) => compileNode(n, method, initial));
        if (term.kind === 'l1') {
          return (c, t, i) => {
            const tau = (step(c, t, i) as number) * c.hyper[term.args[0]];
            return map(v(c, t, i), (p) => Math.sign(p) * Math.max(Math.abs(p) - tau, 0));
          };
        }
        return (c, t, i) => map(v(c, t, i), (p) => Math.min(Math.max(p, c.hyper[term.args[0]]), c.hyper[term.args[1]]));
      }
      const [a, b, d, e] = node.args.map((n) => compileNode(n, method, initial));
      switch (node.fn) {
        case 'grad': return (c, t, i) => c.inst.grad(a(c, t, i) as Vec);
        case 'f': return (c, t, i) => c.inst.value(a(c, t, i) as Vec);
        case 'sgrad': return () => { throw new Error(`${method.file}:${line}: sgrad has no float64 reference`); };
        case 'sign': return (c, t, i) => map(a(c, t, i), Math.sign);
        case 'abs': return (c, t, i) => map(a(c, t, i), Math.abs);
        case 'sqrt': return (c, t, i) => Math.sqrt(a(c, t, i) as number);
        case 'exp': return (c, t, i) => Math.exp(a(c, t, i) as number);
        case 'log': return (c, t, i) => Math.log(a(c, t, i) as number);
        case 'clip': return (c, t, i) => { const lo = b(c, t, i) as number, hi = d(c, t, i) as number; return map(a(c, t, i), (p) => Math.min(Math.max(p, lo), hi)); };
        case 'askew': return (c, t, i) => {
          const w = a(c, t, i) as Vec, g = b(c, t, i) as Vec, eps = d(c, t, i) as number, alpha = e(c, t, i) as number;
          const out = new Float64Array(w.length);
          for (let j = 0; j < w.length; j++) out[j] = askewCoordinate(w[j], g[j], eps, alpha);
          return out;
        };
        case 'norm': return (c, t, i) => { const v = a(c, t, i); return typeof v === 'number' ? Math.abs(v) : Math.sqrt(v.reduce((s, q) => s + q * q, 0)); };
        case 'dot': return (c, t, i) => { const u = a(c, t, i) as Vec, v = b(c, t, i) as Vec; let s = 0; for (let j = 0; j < u.length; j++) s += u[j] * v[j]; return s; };
        case 'max': return (c, t, i) => Math.max(a(c, t, i) as number, b(c, t, i) as number);
        case 'min': return (c, t, i) => Math.min(a(c, t, i) as number, b(c, t, i) as number);
      }
    }
  }
  throw new Error(`${method.file}:${node.line}: cannot evaluate`);
}

/**
 * ASkewSGD's direction in one coordinate (the float64 form of
 * src/optimizers/quantised/quantisers.ts askewDirection): −g where the
 * constraint c = ε − (w² − 1)² ≥ 0 holds, where w = 0, or where −g·K > K²;
 * else K = αc/(4w(w² − 1)). NaN in w gives NaN, as there.
 */
export function askewCoordinate(w: number, g: number, eps: number, alpha: number): number {
  const c = eps - (w * w - 1) ** 2;
  if (c >= 0 || w === 0) return -g;
  const K = (alpha * c) / (4 * w * (w * w - 1));
  return -g * K > K * K ? -g : K;
}

// Plain loops: this runs at every step of every row, and typed-array `from` with a callback is slow.
function map(a: Value, f: (v: number) => number): Value {
  if (typeof a === 'number') return f(a);
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = f(a[j]);
  return out;
}

/** a + sign·b: both scalars or both vectors (the type check allows nothing else). */
function add(a: Value, b: Value, sign: 1 | -1): Value {
  if (typeof a === 'number') return a + sign * (b as number);
  const v = b as Vec, out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = a[j] + sign * v[j];
  return out;
}

/** a + sign·(p·q) (add(a, multiply(p, q), sign)), fused when a is a vector and p·q a scalar times a vector. */
function addScaled(a: Value, p: Value, q: Value, sign: 1 | -1): Value {
  if (typeof a === 'number' || (typeof p === 'number') === (typeof q === 'number')) return add(a, multiply(p, q), sign);
  const s = typeof p === 'number' ? p : (q as number), v = typeof p === 'number' ? (q as Vec) : p;
  const out = new Float64Array(a.length);
  if (sign === 1) for (let j = 0; j < a.length; j++) out[j] = a[j] + s * v[j];
  else for (let j = 0; j < a.length; j++) out[j] = a[j] - s * v[j];
  return out;
}

/** s·(u + sign·v) (multiply(s, add(u, v, sign))), fused when s is a scalar and u, v vectors. */
function scaleSum(s: Value, u: Value, v: Value, sign: 1 | -1): Value {
  if (typeof s !== 'number' || typeof u === 'number') return multiply(s, add(u, v, sign));
  const w = v as Vec, out = new Float64Array(u.length);
  if (sign === 1) for (let j = 0; j < u.length; j++) out[j] = s * (u[j] + w[j]);
  else for (let j = 0; j < u.length; j++) out[j] = s * (u[j] - w[j]);
  return out;
}

/** a·b with at most one vector. */
function multiply(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  const [s, v] = typeof a === 'number' ? [a, b as Vec] : [b as number, a];
  const out = new Float64Array(v.length);
  for (let j = 0; j < v.length; j++) out[j] = s * v[j];
  return out;
}

/** a/b with b a scalar. */
function divide(a: Value, b: Value): Value {
  const q = b as number;
  if (typeof a === 'number') return a / q;
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = a[j] / q;
  return out;
}
