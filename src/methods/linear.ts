/**
 * A method description as a fixed-step linear method: every iterate and every
 * point where the gradient is taken is a fixed linear combination of x_0 and
 * the gradients before it, with coefficients known in advance (they may
 * depend on k, as FISTA's do). That is the form performance estimation
 * compiles (a Gram matrix over x_0 and the gradients). Methods outside it
 * (sign, clip, a step that depends on the gradient's norm, a stochastic
 * gradient) are refused with the reason. A proximal step prox(h, γ, v) with
 * a fixed γ is linear too, through the subgradient s ∈ ∂h(x⁺) at its output:
 * x⁺ = v − γ s (one basis column per call, as a gradient has).
 */
import { hostSequences, hostValue, nodesOf, type Method, type MethodNode } from './describe.ts';

export interface LinearForm {
  /** The basis the coefficients are over: x0, then g0, g1, … (g_i = ∇f at oracle point i). */
  basis: string[];
  /**
   * The oracle calls in order: the step they are made at and their point's
   * coefficients (over x0 and the earlier gradients). A `prox` call's point is
   * its output x⁺ = v − γ s, with s ∈ ∂h(x⁺) its own basis column: the
   * proximal step written through a subgradient at the point it returns.
   */
  oracles: { step: number; point: number[]; kind?: 'grad' | 'prox' }[];
  /** x_0 … x_N over the whole basis. */
  iterates: number[][];
}

/** linearObstacle's answer per method: a verification asks once per row (matchBuiltin). */
const OBSTACLES = new WeakMap<Method, string | null>();

/** Why the method is not a fixed-step linear method, or null when it is. */
export function linearObstacle(method: Method): string | null {
  let why = OBSTACLES.get(method);
  if (why === undefined) OBSTACLES.set(method, (why = obstacleOf(method)));
  return why;
}

function obstacleOf(method: Method): string | null {
  const terms = new Set<string>();
  for (const s of method.sequences) {
    if (s.host) continue;
    if (s.type === 'scalar') return `the scalar sequence ${s.name} depends on vectors (line ${s.updateLine}): a step that adapts to the run is not fixed in advance`;
    for (const n of [...nodesOf(s.initial), ...nodesOf(s.update)]) {
      if (n.op === 'call' && n.fn === 'prox') {
        // linear through the subgradient at its output, when its step is fixed in advance
        if (!n.args[1].host) return `the step of prox(...) on line ${n.line} depends on the run: not fixed in advance`;
        terms.add((n.args[0] as { name: string }).name);
        if (terms.size > 1) return `prox of two terms (${[...terms].join(', ')}): performance estimation here has one nonsmooth term`;
        continue;
      }
      if (n.op === 'call' && n.fn !== 'grad' && !n.host) {
        return `${n.fn}(...) on line ${n.line} is ${n.fn === 'sgrad' ? 'a stochastic gradient' : 'not linear in the iterates'}`;
      }
      if (n.op === 'arith' && (n.fn === 'multiply' || n.fn === 'divide') && n.args.filter((a) => !a.host).length > 1) {
        return `"${n.fn}" on line ${n.line} multiplies or divides two quantities of the run: the coefficients are not fixed`;
      }
      if (n.op === 'arith' && n.fn === 'divide' && !n.args[1].host) return `division by a quantity of the run on line ${n.line}`;
    }
  }
  return null;
}

/** The linear form of N steps at these parameter values (call linearObstacle first). */
export function linearForm(method: Method, params: Readonly<Record<string, number>>, N: number): LinearForm {
  const why = linearObstacle(method);
  if (why) throw new Error(`${method.file}: not a fixed-step linear method: ${why}`);
  const host = hostSequences(method, params);
  const oracles: LinearForm['oracles'] = [];
  const vectors = method.sequences.filter((s) => !s.host);
  type Coeffs = number[];
  const history = new Map<string, Coeffs[]>(); // values at 0..k
  const iterates: Coeffs[] = [];

  // plain loops: matchBuiltin builds this form for every row of a verification
  const combine = (a: Coeffs, b: Coeffs, sign: 1 | -1): Coeffs => {
    const out: Coeffs = new Array(Math.max(a.length, b.length));
    for (let j = 0; j < out.length; j++) out[j] = sign === 1 ? (a[j] ?? 0) + (b[j] ?? 0) : (a[j] ?? 0) - (b[j] ?? 0);
    return out;
  };
  type V = number | Coeffs;
  const ev = (n: MethodNode, k: number, seq: (name: string, lag: number) => V): V => {
    if (n.host) {
      return hostValue(n, params, k, (name, lag) => host(name, k + 1 - lag));
    }
    switch (n.op) {
      case 'x0': return [1];
      case 'seq': return seq(n.name, n.lag);
      case 'arith': {
        const [a, b] = n.args.map((x) => ev(x, k, seq));
        switch (n.fn) {
          case 'add': return combine(a as Coeffs, b as Coeffs, 1);
          case 'subtract': return combine(a as Coeffs, b as Coeffs, -1);
          case 'multiply': return typeof a === 'number' ? (b as Coeffs).map((q) => a * q) : (a as Coeffs).map((p) => p * (b as number));
          case 'divide': return (a as Coeffs).map((p) => p / (b as number));
          case 'unaryMinus': return (a as Coeffs).map((p) => -p);
        }
        break;
      }
      case 'call': {
        if (n.fn === 'prox') {
          // x⁺ = v − γ s with s the subgradient of h at x⁺: a new basis column
          const v = ev(n.args[2], k, seq) as Coeffs;
          const step = ev(n.args[1], k, seq) as number;
          const point: Coeffs = new Array(oracles.length + 2).fill(0);
          v.forEach((c, j) => { point[j] = c; });
          point[oracles.length + 1] = -step;
          oracles.push({ step: k, point, kind: 'prox' });
          return point;
        }
        const point = ev(n.args[0], k, seq) as Coeffs;
        oracles.push({ step: k, point });
        const g: Coeffs = new Array(oracles.length + 1).fill(0);
        g[oracles.length] = 1;
        return g;
      }
    }
    throw new Error(`${method.file}:${n.line}: not linear`);
  };
  const made0 = new Map<string, Coeffs>();
  for (const s of vectors) made0.set(s.name, ev(s.initial, 0, (name) => made0.get(name)!) as Coeffs);
  for (const s of vectors) history.set(s.name, [made0.get(s.name)!]);
  iterates.push(made0.get(method.iterate)!);
  for (let k = 0; k < N; k++) {
    const made = new Map<string, Coeffs>();
    for (const s of vectors) {
      made.set(s.name, ev(s.update, k, (name, lag) => {
        if (lag === 0) return made.get(name)!;
        const h = history.get(name)!;
        return h[Math.max(0, k + 1 - lag)];
      }) as Coeffs);
    }
    for (const s of vectors) history.get(s.name)!.push(made.get(s.name)!);
    iterates.push(made.get(method.iterate)!);
  }
  const width = oracles.length + 1;
  const pad = (c: Coeffs) => Array.from({ length: width }, (_, j) => c[j] ?? 0);
  return {
    basis: ['x0', ...oracles.map((o, i) => `${o.kind === 'prox' ? 's' : 'g'}${i}`)],
    oracles: oracles.map((o) => ({ step: o.step, point: pad(o.point), ...(o.kind ? { kind: o.kind } : {}) })),
    iterates: iterates.map(pad),
  };
}

/** The built-in optimisers a linear method may be identical to, with their hyperparameters. */
export type BuiltinMatch =
  | { optimizer: 'gd'; hyper: { lr: number } }
  | { optimizer: 'heavy-ball'; hyper: { lr: number; momentum: number } }
  /** Without momentum: FISTA's schedule (the built-in nesterov's default). */
  | { optimizer: 'nesterov'; hyper: { lr: number; momentum?: number } };

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
const sameForm = (a: LinearForm, b: LinearForm) =>
  a.oracles.length === b.oracles.length
  && a.iterates.every((c, i) => c.length === b.iterates[i].length && c.every((v, j) => close(v, b.iterates[i][j])))
  && a.oracles.every((o, i) => o.step === b.oracles[i].step && o.point.every((v, j) => close(v, b.oracles[i].point[j] ?? 0))
    && b.oracles[i].point.every((v, j) => close(v, o.point[j] ?? 0)));

/**
 * The built-in optimiser (gd, heavy ball, Nesterov with constant momentum)
 * whose first N steps have the same linear form at these parameters, or null.
 * Same coefficients means the same method, so the built-in's error
 * propagation (src/engine/precision.ts) applies to it.
 */
export function matchBuiltin(method: Method, params: Readonly<Record<string, number>>, N = 6): BuiltinMatch | null {
  if (linearObstacle(method)) return null;
  const form = linearForm(method, params, N);
  if (form.oracles.length !== N) return null;
  const lr = -(form.iterates[1][1] ?? 0);
  const hb = form.iterates.length > 2 ? (form.iterates[2][1] + lr) / -lr : 0; // x2's g0 coefficient is −α(1 + β)
  const candidates: BuiltinMatch[] = [
    { optimizer: 'gd', hyper: { lr } },
    { optimizer: 'heavy-ball', hyper: { lr, momentum: hb } },
    { optimizer: 'nesterov', hyper: { lr, momentum: nesterovMomentum(form, lr) } },
    { optimizer: 'nesterov', hyper: { lr } },
  ];
  for (const c of candidates) if (Number.isFinite(c.hyper.lr) && sameForm(form, builtinForm(c, N))) return c;
  return null;
}

/** β from Nesterov's second oracle point y_1 = x_1 + β(x_1 − x_0) = x_0 − (1 + β)γ g_0. */
function nesterovMomentum(form: LinearForm, lr: number): number {
  const y1 = form.oracles[1]?.point;
  return y1 ? -(y1[1] ?? 0) / lr - 1 : 0;
}

/** The linear form of a built-in (written out here from its documented update). */
function builtinForm(m: BuiltinMatch, N: number): LinearForm {
  const width = N + 1;
  const unit = (j: number): number[] => {
    const u: number[] = new Array(width).fill(0);
    u[j] = 1;
    return u;
  };
  const axpy = (a: number[], s: number, b: number[]) => {
    const out: number[] = new Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] + s * b[i];
    return out;
  };
  const xs = [unit(0)];
  const oracles: LinearForm['oracles'] = [];
  let y = unit(0);
  let lambda = 1;
  for (let k = 0; k < N; k++) {
    const x = xs[k], prev = xs[Math.max(0, k - 1)];
    if (m.optimizer === 'nesterov') {
      oracles.push({ step: k, point: y.slice(0, k + 1) });
      const next = axpy(y, -m.hyper.lr, unit(k + 1));
      // constant momentum, or FISTA's (λ_k − 1)/λ_{k+1} (Beck–Teboulle 2009, eq. 4.2)
      const lambdaNext = (1 + Math.sqrt(1 + 4 * lambda * lambda)) / 2;
      const c = m.hyper.momentum ?? (lambda - 1) / lambdaNext;
      lambda = lambdaNext;
      y = axpy(next, c, axpy(next, -1, x));
      xs.push(next);
    } else {
      oracles.push({ step: k, point: x.slice(0, k + 1) });
      let next = axpy(x, -m.hyper.lr, unit(k + 1));
      if (m.optimizer === 'heavy-ball') next = axpy(next, m.hyper.momentum, axpy(x, -1, prev));
      xs.push(next);
    }
  }
  return { basis: [], oracles, iterates: xs };
}
