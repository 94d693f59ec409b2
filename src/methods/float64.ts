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

/** A compiled scalar or vector of one step. */
type Scalar = (c: Run) => number;
type Vector = (c: Run) => Vec;
type Compiled = Scalar | Vector;

/**
 * The context of one call of a compiled step: its arguments, the row's host
 * schedules and the values this step has computed (by slot). One per compiled
 * method, reused by every call: a call runs to its end before the next starts.
 */
interface Run {
  inst: Instance;
  hyper: Readonly<Record<string, number>>;
  host: (name: string, index: number) => number;
  x: Vec;
  xPrev: Vec;
  k: number;
  slots: (Vec | number)[];
}

/**
 * The step at one k, unrolled: every value of every sequence it needs (the
 * iterate at k + 1 last), each computed once, after the values it uses.
 * Indices are kept relative to the k it was built at, so a plan that reads no
 * initial value and clamps no index at 0 serves every larger k unchanged.
 */
interface Plan {
  steps: { slot: number; run: Compiled }[];
  result: number;
  /** The result is an array this call made (else it is copied: the caller may keep it). */
  fresh: boolean;
  /** The plan reads an initial value or clamps an index at 0: it holds at its own k only. */
  clamped: boolean;
}

/**
 * The exact step of a method (call referenceObstacle first: this throws where
 * it gives a reason), compiled once into closures over Float64Arrays: each
 * vector operation writes into an array of its own, reused from call to call,
 * so a step allocates its result and what the oracle returns, nothing else.
 * The arithmetic is that of the rules as written, operation by operation (no
 * reassociation, no fused multiply-add), so the step is exact to the last bit
 * of what the rules say in float64.
 */
export function compileFloat64(method: Method): ReferenceStepFn {
  const plans = new Map<number, Plan>();
  /** The plan of every k ≥ settled, once one is built. */
  let generic: Plan | undefined;
  let settled = Infinity;
  // Host scalar sequences depend only on a row's parameters: one schedule per hyper object.
  const schedules = new WeakMap<object, (name: string, index: number) => number>();
  const run: Run = { inst: undefined!, hyper: {}, host: () => NaN, x: EMPTY, xPrev: EMPTY, k: 0, slots: [] };
  return (inst, hyper, x, xPrev, k) => {
    let plan = k >= settled ? generic : plans.get(k);
    if (!plan) {
      plan = buildPlan(method, k);
      if (plan.clamped) plans.set(k, plan);
      else { generic = plan; settled = k; }
    }
    let host = schedules.get(hyper);
    if (!host) schedules.set(hyper, (host = hostSequences(method, hyper)));
    run.inst = inst; run.hyper = hyper; run.host = host; run.x = x; run.xPrev = xPrev; run.k = k;
    const { steps } = plan, { slots } = run;
    for (let i = 0; i < steps.length; i++) slots[steps[i].slot] = steps[i].run(run);
    const out = slots[plan.result] as Vec;
    return plan.fresh ? out : Float64Array.from(out);
  };
}

const EMPTY: Vec = new Float64Array(0);

/** The witness's starting point as the runs start from it (rounded to float32), once per instance. */
const STARTS = new WeakMap<Instance, Vec>();
function startOf(inst: Instance): Vec {
  let x0 = STARTS.get(inst);
  if (!x0) STARTS.set(inst, (x0 = Float64Array.from(Float32Array.from(inst.x0))));
  return x0;
}

/** The plan of the step from x_{k0} (see Plan). */
function buildPlan(method: Method, k0: number): Plan {
  const iterate = method.sequences.findIndex((s) => s.name === method.iterate);
  const which = new Map(method.sequences.map((s, i) => [s.name, i]));
  const steps: Plan['steps'] = [];
  const slotOf = new Map<string, number>();
  let clamped = false;
  let fresh = false;

  /** A reader of sequence `w` at `index` (below 0: at 0), adding the steps that compute it first. */
  function valueAt(w: number, index: number, root = false): Compiled {
    const s = method.sequences[w];
    if (s.host) {
      // computed on the host per row: at k + d for the k of the call (exactly k0 + d in a clamped plan)
      const d = index - k0, name = s.name;
      return (c) => c.host(name, Math.max(0, c.k + d));
    }
    if (index < 0) clamped = true;
    const i = Math.max(0, index);
    if (w === iterate) {
      if (i === k0) return (c) => c.x;
      if (i === k0 - 1) return (c) => c.xPrev;
      if (i !== k0 + 1) throw new Error(`${method.file}: the float64 reference needs ${s.name}(${i}) at step ${k0}`);
    }
    const key = `${w}@${i}`;
    let slot = slotOf.get(key);
    if (slot === undefined) {
      if (i === 0) clamped = true;
      const compiled = i === 0 ? compileNode(s.initial, 0, true, root) : compileNode(s.update, i, false, root);
      slot = steps.length;
      steps.push({ slot, run: compiled });
      slotOf.set(key, slot);
    }
    const at = slot;
    return ((c: Run) => c.slots[at]) as Compiled;
  }

  /** A node of the rule that makes the value at `index` (an initial value: index 0); `root`: the step's result. */
  function compileNode(node: MethodNode, index: number, initial: boolean, root = false): Compiled {
    const child = (n: MethodNode) => compileNode(n, index, initial);
    const out = () => {
      if (root) fresh = true;
      return root ? freshArray : scratchArray();
    };
    switch (node.op) {
      case 'num': { const v = node.value; return () => v; }
      case 'param': { const name = node.name; return (c) => c.hyper[name]; }
      // the rule making the value at index i is applied at step i − 1
      case 'k': { const d = index - 1 - k0; return (c) => c.k + d; }
      case 'x0': return (c) => startOf(c.inst);
      case 'seq': return valueAt(which.get(node.name)!, initial ? 0 : index - node.lag);
      case 'arith': return compileArith(node, child, out);
      case 'call': return compileCall(node, method, child, out);
    }
  }

  valueAt(iterate, k0 + 1, true);
  return { steps, result: slotOf.get(`${iterate}@${k0 + 1}`)!, fresh, clamped };
}

/** Where a vector operation writes: an array of length n. */
type Out = (n: number) => Vec;
const freshArray: Out = (n) => new Float64Array(n);
/** An array reused by one operation from call to call (reallocated when the dimension changes). */
function scratchArray(): Out {
  let buf = EMPTY;
  return (n) => (buf.length === n ? buf : (buf = new Float64Array(n)));
}

type Arith = Extract<MethodNode, { op: 'arith' }>;
type Call = Extract<MethodNode, { op: 'call' }>;

/**
 * + − × ÷ ^ and negation, by the operands' types (the type check allows a
 * scalar times a vector, a vector over a scalar, vector ± vector). a ± s·v
 * and s·(u ± v) run as one loop: the same roundings in the same order as the
 * separate operations, one array fewer.
 */
function compileArith(node: Arith, child: (n: MethodNode) => Compiled, out: () => Out): Compiled {
  const [na, nb] = node.args;
  if (node.type === 'scalar') {
    const a = child(na) as Scalar;
    if (node.fn === 'unaryMinus') return (c) => -a(c);
    const b = child(nb) as Scalar;
    switch (node.fn) {
      case 'add': return (c) => a(c) + b(c);
      case 'subtract': return (c) => a(c) - b(c);
      case 'multiply': return (c) => a(c) * b(c);
      case 'divide': return (c) => a(c) / b(c);
      case 'pow': return (c) => a(c) ** b(c);
    }
  }
  const buf = out();
  switch (node.fn) {
    case 'unaryMinus': {
      const a = child(na) as Vector;
      return (c) => { const u = a(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = -u[j]; return o; };
    }
    case 'add': case 'subtract': {
      const a = child(na) as Vector;
      const plus = node.fn === 'add';
      if (nb.op === 'arith' && nb.fn === 'multiply') {
        // a ± s·v
        const [p, q] = nb.args;
        const s = child(p.type === 'scalar' ? p : q) as Scalar, v = child(p.type === 'scalar' ? q : p) as Vector;
        return plus
          ? (c) => { const u = a(c), f = s(c), w = v(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = u[j] + f * w[j]; return o; }
          : (c) => { const u = a(c), f = s(c), w = v(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = u[j] - f * w[j]; return o; };
      }
      const b = child(nb) as Vector;
      return plus
        ? (c) => { const u = a(c), w = b(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = u[j] + w[j]; return o; }
        : (c) => { const u = a(c), w = b(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = u[j] - w[j]; return o; };
    }
    case 'multiply': {
      const [ns, nv] = na.type === 'scalar' ? [na, nb] : [nb, na];
      const s = child(ns) as Scalar;
      if (na.type === 'scalar' && nb.op === 'arith' && (nb.fn === 'add' || nb.fn === 'subtract')) {
        // s·(u ± v)
        const u = child(nb.args[0]) as Vector, v = child(nb.args[1]) as Vector;
        return nb.fn === 'add'
          ? (c) => { const f = s(c), p = u(c), q = v(c), o = buf(p.length); for (let j = 0; j < p.length; j++) o[j] = f * (p[j] + q[j]); return o; }
          : (c) => { const f = s(c), p = u(c), q = v(c), o = buf(p.length); for (let j = 0; j < p.length; j++) o[j] = f * (p[j] - q[j]); return o; };
      }
      const v = child(nv) as Vector;
      // operands in the order written (a scalar's own evaluation may call the oracle)
      return na.type === 'scalar'
        ? (c) => { const f = s(c), w = v(c), o = buf(w.length); for (let j = 0; j < w.length; j++) o[j] = f * w[j]; return o; }
        : (c) => { const w = v(c), f = s(c), o = buf(w.length); for (let j = 0; j < w.length; j++) o[j] = f * w[j]; return o; };
    }
    case 'divide': {
      const a = child(na) as Vector, b = child(nb) as Scalar;
      return (c) => { const u = a(c), q = b(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = u[j] / q; return o; };
    }
  }
  throw new Error(`cannot evaluate ${node.fn} of vectors`);
}

/** The method language's functions; elementwise ones on scalars and vectors alike. */
function compileCall(node: Call, method: Method, child: (n: MethodNode) => Compiled, out: () => Out): Compiled {
  const line = node.line;
  /** f elementwise: on a scalar, or into an array of its own. */
  const elementwise = (arg: MethodNode, f: (p: number, c: Run) => number): Compiled => {
    if (arg.type === 'scalar') { const a = child(arg) as Scalar; return (c) => f(a(c), c); }
    const a = child(arg) as Vector, buf = out();
    return (c) => { const u = a(c), o = buf(u.length); for (let j = 0; j < u.length; j++) o[j] = f(u[j], c); return o; };
  };
  if (node.fn === 'prox') {
    const term = method.proxes[(node.args[0] as { name: string }).name];
    const [p0, p1] = term.args;
    if (term.kind === 'l1') {
      const step = child(node.args[1]) as Scalar, v = child(node.args[2]) as Vector, buf = out();
      return (c) => {
        const tau = step(c) * c.hyper[p0], u = v(c), o = buf(u.length);
        for (let j = 0; j < u.length; j++) o[j] = Math.sign(u[j]) * Math.max(Math.abs(u[j]) - tau, 0);
        return o;
      };
    }
    // a box's prox is the projection: its step plays no part (nor in the TensorFlow.js form)
    return elementwise(node.args[2], (p, c) => Math.min(Math.max(p, c.hyper[p0]), c.hyper[p1]));
  }
  const [na, nb, nd, ne] = node.args;
  switch (node.fn) {
    case 'grad': { const a = child(na) as Vector; return (c) => c.inst.grad(a(c)) as Vec; }
    case 'f': { const a = child(na) as Vector; return (c) => c.inst.value(a(c)); }
    case 'sgrad': return () => { throw new Error(`${method.file}:${line}: sgrad has no float64 reference`); };
    case 'sign': return elementwise(na, Math.sign);
    case 'abs': return elementwise(na, Math.abs);
    case 'sqrt': { const a = child(na) as Scalar; return (c) => Math.sqrt(a(c)); }
    case 'exp': { const a = child(na) as Scalar; return (c) => Math.exp(a(c)); }
    case 'log': { const a = child(na) as Scalar; return (c) => Math.log(a(c)); }
    case 'clip': {
      // the bounds first, then the value (the order of the interpreted form)
      const lo = child(nb) as Scalar, hi = child(nd) as Scalar;
      if (na.type === 'scalar') { const a = child(na) as Scalar; return (c) => { const l = lo(c), h = hi(c); return Math.min(Math.max(a(c), l), h); }; }
      const a = child(na) as Vector, buf = out();
      return (c) => {
        const l = lo(c), h = hi(c), u = a(c), o = buf(u.length);
        for (let j = 0; j < u.length; j++) o[j] = Math.min(Math.max(u[j], l), h);
        return o;
      };
    }
    case 'askew': {
      const w = child(na) as Vector, g = child(nb) as Vector, eps = child(nd) as Scalar, alpha = child(ne) as Scalar, buf = out();
      return (c) => {
        const p = w(c), q = g(c), e = eps(c), al = alpha(c), o = buf(p.length);
        for (let j = 0; j < p.length; j++) o[j] = askewCoordinate(p[j], q[j], e, al);
        return o;
      };
    }
    case 'norm': {
      if (na.type === 'scalar') { const a = child(na) as Scalar; return (c) => Math.abs(a(c)); }
      const a = child(na) as Vector;
      return (c) => { const u = a(c); let s = 0; for (let j = 0; j < u.length; j++) s += u[j] * u[j]; return Math.sqrt(s); };
    }
    case 'dot': {
      const a = child(na) as Vector, b = child(nb) as Vector;
      return (c) => { const u = a(c), v = b(c); let s = 0; for (let j = 0; j < u.length; j++) s += u[j] * v[j]; return s; };
    }
    case 'max': { const a = child(na) as Scalar, b = child(nb) as Scalar; return (c) => Math.max(a(c), b(c)); }
    case 'min': { const a = child(na) as Scalar, b = child(nb) as Scalar; return (c) => Math.min(a(c), b(c)); }
  }
  throw new Error(`${method.file}:${line}: cannot evaluate ${node.fn}`);
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
