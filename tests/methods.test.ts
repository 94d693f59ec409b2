/**
 * Method descriptions compiled three ways, held to the built-in optimisers
 * where they are the same method: the float32 TensorFlow.js iterates, the
 * float64 exact step, and the linear form (which also names the built-in).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quadratic, quadraticFromSpectrum, noisyQuadratic } from '../src/classes/index.ts';
import { initEngine } from '../src/engine/backend.ts';
import { builtinMethod, DESCRIBED_BUILTINS } from '../src/methods/builtins.ts';
import { describeMethod, type Method, type MethodNode } from '../src/methods/describe.ts';
import { askewCoordinate, referenceObstacle } from '../src/methods/float64.ts';
import { linearForm, linearObstacle, matchBuiltin } from '../src/methods/linear.ts';
import { describedOptimizer } from '../src/methods/optimizer.ts';
import { registerOptimizer } from '../src/optimizers/index.ts';
import { referenceStep } from '../src/optimizers/referenceStep.ts';
import { runBatch } from '../src/runs/run.ts';
import type { Instance } from '../src/classes/types.ts';
import type { Vec } from '../src/numeric/linalg.ts';
import { makeRng } from '../src/numeric/rng.ts';
import { loadTheoremFile } from '../src/theoremFiles/load.ts';
import { startScope } from '../src/verify/scope.ts';
import { witnessesFor } from '../src/verify/witnesses.ts';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const describe1 = (rules: [string, string][], scalars: string[], file = 'test.md'): Method =>
  describeMethod(rules.map(([key, text], i) => ({ key, text, line: i + 2 })), { file, scalars });

const GD: [string, string][] = [['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma * grad(f, x(k))']];
const HB: [string, string][] = [['x(0)', 'x0'], ['x(k+1)', 'x(k) - alpha * grad(f, x(k)) + beta * (x(k) - x(k-1))']];
const NESTEROV: [string, string][] = [
  ['x(0)', 'x0'], ['y(0)', 'x0'],
  ['x(k+1)', 'y(k) - gamma * grad(f, y(k))'],
  ['y(k+1)', 'x(k+1) + beta * (x(k+1) - x(k))'],
];

const instances = [
  quadraticFromSpectrum([0.5, 4, 2], { rotationSeed: 3, x0: [1, -2, 3] }),
  quadraticFromSpectrum([1, 9, 3], { rotationSeed: 5, x0: [2, 1, -1] }),
  quadraticFromSpectrum([0.1, 1, 10], { rotationSeed: 7, x0: [-3, 0.5, 2] }),
].map((p) => quadratic.instantiate(p));

const CASES = [
  { id: 'gd', rules: GD, hyper: { gamma: [0.2, 0.1, 0.09] }, builtin: { lr: [0.2, 0.1, 0.09] } },
  { id: 'heavy-ball', rules: HB, hyper: { alpha: [0.2, 0.1, 0.09], beta: [0.5, 0.5, 0.5] }, builtin: { lr: [0.2, 0.1, 0.09], momentum: [0.5, 0.5, 0.5] } },
  { id: 'nesterov', rules: NESTEROV, hyper: { gamma: [0.2, 0.1, 0.09], beta: [0.5, 0.3, 0.7] }, builtin: { lr: [0.2, 0.1, 0.09], momentum: [0.5, 0.3, 0.7] } },
] as const;

const STEPS = 40;
const EPS32 = 2 ** -23;

async function iterates(optimizer: string, hyper: Record<string, readonly number[]>): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  await runBatch({ family: quadratic, instances, optimizer, hyper, steps: STEPS, onStep: (_t, x) => { out.push(x); } });
  return out;
}

beforeAll(async () => { await initEngine(); });

describe('a compiled description is the built-in method', () => {
  for (const c of CASES) {
    it(`${c.id}: same float32 iterates, same float64 step, same linear form`, async () => {
      const method = describe1(c.rules as [string, string][], Object.keys(c.hyper));
      registerOptimizer(describedOptimizer(`test:${c.id}`, c.id, method));
      const builtin = await iterates(c.id, c.builtin);
      const compiled = await iterates(`test:${c.id}`, c.hyper);
      expect(compiled).toHaveLength(STEPS + 1);
      // Both are float32 roundings of one exact recursion, here contracting (every step size is
      // below 2/L and every momentum below 1), so they may differ by a few ulps of the largest
      // entry per step, not accumulate more: 8 ulps × t is far above that and far below any
      // difference a wrong coefficient makes (one step of 0.1·∇f is ~1e-1).
      let scale = 0;
      for (const x of builtin) for (const v of x) scale = Math.max(scale, Math.abs(v));
      builtin.forEach((x, t) => x.forEach((v, j) => {
        expect(Math.abs(v - compiled[t][j])).toBeLessThanOrEqual(8 * EPS32 * scale * Math.max(t, 1));
      }));
      // The float64 steps agree to float64 rounding from the same float32 iterates.
      for (let r = 0; r < instances.length; r++) {
        const h64 = Object.fromEntries(Object.entries(c.builtin).map(([k, v]) => [k, v[r]]));
        const hf = Object.fromEntries(Object.entries(c.hyper).map(([k, v]) => [k, v[r]]));
        for (let t = 1; t < STEPS; t++) {
          const x = Float64Array.from(compiled[t].subarray(3 * r, 3 * r + 3));
          const prev = Float64Array.from(compiled[t - 1].subarray(3 * r, 3 * r + 3));
          const a = referenceStep(c.id, instances[r], h64, x, prev, t)!;
          const b = referenceStep(`test:${c.id}`, instances[r], hf, x, prev, t)!;
          a.forEach((v, j) => expect(Math.abs(v - b[j])).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(v))));
        }
        const m = matchBuiltin(method, hf)!;
        expect(m.optimizer).toBe(c.id);
        expect(m.hyper.lr).toBeCloseTo(h64.lr, 12);
        if ('momentum' in h64) expect((m.hyper as { momentum: number }).momentum).toBeCloseTo(h64.momentum, 12);
      }
    });
  }

  it('the built-ins’ own descriptions (what performance estimation reads) run as the built-ins, FISTA’s schedule included; their float64 steps are the built-ins’ to the last bit', async () => {
    expect(DESCRIBED_BUILTINS).toEqual(['gd', 'heavy-ball', 'nesterov', 'fista']);
    // FISTA is the built-in nesterov without momentum: its error propagation is that one's
    expect(matchBuiltin(builtinMethod('fista')!, { lr: 0.1 })).toEqual({ optimizer: 'nesterov', hyper: { lr: 0.1 } });
    expect(matchBuiltin(builtinMethod('nesterov')!, { lr: 0.1, momentum: 0.4 })?.hyper).toMatchObject({ lr: 0.1 });
    const cases: [string, string, Record<string, number[]>][] = [
      ['gd', 'gd', { lr: [0.2, 0.1, 0.09] }],
      ['heavy-ball', 'heavy-ball', { lr: [0.2, 0.1, 0.09], momentum: [0.3, 0.3, 0.3] }],
      ['nesterov', 'nesterov', { lr: [0.2, 0.1, 0.09], momentum: [0.5, 0.3, 0.7] }],
      ['fista', 'nesterov', { lr: [0.2, 0.1, 0.09] }],
    ];
    for (const [id, builtin, hyper] of cases) {
      registerOptimizer(describedOptimizer(`described:${id}`, id, builtinMethod(id)!));
      const [a, b] = [await iterates(builtin, hyper), await iterates(`described:${id}`, hyper)];
      let scale = 0;
      for (const x of a) for (const v of x) scale = Math.max(scale, Math.abs(v));
      a.forEach((x, t) => x.forEach((v, j) => expect(Math.abs(v - b[t][j])).toBeLessThanOrEqual(8 * EPS32 * scale * Math.max(t, 1))));
      // The float64 steps from the same float32 iterates: the same operations in the same order
      // (FISTA's λ² as λ^2 is λ·λ), so equal to the last bit, at every step of every row.
      for (let r = 0; r < instances.length; r++) {
        const row = Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, v[r]]));
        const at = (t: number) => Float64Array.from(b[t].subarray(3 * r, 3 * r + 3));
        for (let t = 0; t < STEPS; t++) {
          const [x, prev] = [at(t), at(Math.max(0, t - 1))];
          expect(referenceStep(`described:${id}`, instances[r], row, x, prev, t), `${id} row ${r} step ${t}`).toEqual(referenceStep(builtin, instances[r], row, x, prev, t));
        }
      }
    }
  });

  it('a wrong coefficient is not the same method (the comparison can fail)', async () => {
    const wrong = describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma * grad(f, x(k)) + 0.01 * (x(k) - x(k-1))']], ['gamma']);
    registerOptimizer(describedOptimizer('test:wrong', 'wrong', wrong));
    const builtin = await iterates('gd', { lr: [0.2, 0.1, 0.09] });
    const compiled = await iterates('test:wrong', { gamma: [0.2, 0.1, 0.09] });
    const gap = Math.max(...builtin[10].map((v, j) => Math.abs(v - compiled[10][j])));
    expect(gap).toBeGreaterThan(1e-4);
    expect(matchBuiltin(wrong, { gamma: 0.2 })?.optimizer).toBe('heavy-ball');
  });
});

describe('the linear form (what performance estimation compiles)', () => {
  it('gradient descent: x_N = x_0 − γ Σ g_i, each gradient at the latest iterate', () => {
    const form = linearForm(describe1(GD, ['gamma']), { gamma: 0.5 }, 3);
    expect(form.basis).toEqual(['x0', 'g0', 'g1', 'g2']);
    expect(form.iterates[3]).toEqual([1, -0.5, -0.5, -0.5]);
    expect(form.oracles.map((o) => o.point)).toEqual([[1, 0, 0, 0], [1, -0.5, 0, 0], [1, -0.5, -0.5, 0]]);
  });

  it('FISTA’s schedule is a host sequence: still fixed-step, with its coefficients', () => {
    const fista = describe1([
      ['x(0)', 'x0'], ['y(0)', 'x0'], ['lam(0)', '1'],
      ['lam(k+1)', '(1 + sqrt(1 + 4 * lam(k)^2)) / 2'],
      ['x(k+1)', 'y(k) - gamma * grad(f, y(k))'],
      ['y(k+1)', 'x(k+1) + (lam(k) - 1) / lam(k+1) * (x(k+1) - x(k))'],
    ], ['gamma']);
    expect(linearObstacle(fista)).toBeNull();
    const form = linearForm(fista, { gamma: 1 }, 3);
    // λ_1 = (1 + √5)/2, so y_2 = x_2 + ((λ_1 − 1)/λ_2)(x_2 − x_1).
    const l1 = (1 + Math.sqrt(5)) / 2, l2 = (1 + Math.sqrt(1 + 4 * l1 * l1)) / 2;
    const c = (l1 - 1) / l2;
    expect(form.oracles[2].point[1]).toBeCloseTo(-1, 12);
    expect(form.oracles[2].point[2]).toBeCloseTo(-1 - c, 12);
  });

  it('methods outside the form say why', () => {
    expect(linearObstacle(describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma * sign(grad(f, x(k)))']], ['gamma']))).toMatch(/sign.*not linear/);
    expect(linearObstacle(describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma / norm(grad(f, x(k))) * grad(f, x(k))']], ['gamma']))).toMatch(/norm|division|multiplies/);
    expect(linearObstacle(describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma * sgrad(f, x(k), k)']], ['gamma']))).toMatch(/stochastic/);
  });
});

describe('the float64 reference step', () => {
  it('refuses a sequence that carries its own state, with the way out', () => {
    const velocity = describe1([['x(0)', 'x0'], ['v(0)', '0 * x0'], ['v(k+1)', 'beta * v(k) + grad(f, x(k))'], ['x(k+1)', 'x(k) - alpha * v(k+1)']], ['alpha', 'beta']);
    expect(referenceObstacle(velocity)).toMatch(/v carries state.*write the method over x alone/);
    expect(referenceObstacle(describe1(HB, ['alpha', 'beta']))).toBeNull();
  });

  it('SGD compiled draws the same samples as the built-in sgd (same streams, one per step)', async () => {
    const inst = [noisyQuadratic.instantiate({ dim: 1, eigenvalues: [1], rotationSeed: null, shifts: [[1]], x0: [3] })];
    const method = describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) - alpha * sgrad(f, x(k), k)']], ['alpha']);
    registerOptimizer(describedOptimizer('test:sgd', 'sgd', method));
    const run = async (optimizer: string, hyper: Record<string, number[]>) => {
      const out: number[] = [];
      await runBatch({ family: noisyQuadratic, instances: [inst[0], inst[0], inst[0]], optimizer, hyper, steps: 20, seed: 11, onStep: (_t, x) => { out.push(...x); } });
      return out;
    };
    const a = await run('sgd', { lr: [0.5, 0.5, 0.5] });
    const b = await run('test:sgd', { alpha: [0.5, 0.5, 0.5] });
    // with shifts ±1 the samples decide the sign of each step: a different draw moves x by ~1
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-5));
    expect(new Set(a.map((v) => v.toFixed(3))).size).toBeGreaterThan(3);
  });
});

/**
 * The oracle for the compiled float64 step: the method run forward from x0 in
 * float64, every sequence at every index kept, each node evaluated as written
 * with one plain operation per node (no memo, no rebuilding from two iterates,
 * no fused loops). The step from (x_k, x_{k−1}) rebuilds the other sequences
 * with the same operations, so it must give x_{k+1} to the last bit.
 */
function forwardRun(method: Method, inst: Instance, hyper: Readonly<Record<string, number>>, steps: number): Vec[] {
  type V = number | Vec;
  const x0 = Float64Array.from(Float32Array.from(inst.x0));
  const values = new Map<string, V[]>(method.sequences.map((s) => [s.name, []]));
  const each = (a: V, f: (p: number) => number): V => (typeof a === 'number' ? f(a) : a.map(f));
  const both = (a: V, b: V, f: (p: number, q: number) => number): V => {
    if (typeof a === 'number' && typeof b === 'number') return f(a, b);
    if (typeof a === 'number') return (b as Vec).map((q) => f(a, q));
    if (typeof b === 'number') return a.map((p) => f(p, b));
    return a.map((p, j) => f(p, b[j]));
  };
  const ev = (n: MethodNode, k: number, at: (name: string, lag: number) => V): V => {
    const arg = (i: number) => ev((n as { args: MethodNode[] }).args[i], k, at);
    switch (n.op) {
      case 'num': return n.value;
      case 'param': return hyper[n.name];
      case 'k': return k;
      case 'x0': return x0;
      case 'seq': return at(n.name, n.lag);
      case 'arith':
        switch (n.fn) {
          case 'add': return both(arg(0), arg(1), (p, q) => p + q);
          case 'subtract': return both(arg(0), arg(1), (p, q) => p - q);
          case 'multiply': return both(arg(0), arg(1), (p, q) => p * q);
          case 'divide': return both(arg(0), arg(1), (p, q) => p / q);
          case 'pow': return both(arg(0), arg(1), (p, q) => p ** q);
          case 'unaryMinus': return each(arg(0), (p) => -p);
        }
        break;
      case 'call':
        switch (n.fn) {
          case 'grad': return Float64Array.from(inst.grad(arg(0) as Vec));
          case 'f': return inst.value(arg(0) as Vec);
          case 'sign': return each(arg(0), Math.sign);
          case 'abs': return each(arg(0), Math.abs);
          case 'sqrt': return Math.sqrt(arg(0) as number);
          case 'exp': return Math.exp(arg(0) as number);
          case 'log': return Math.log(arg(0) as number);
          case 'max': return Math.max(arg(0) as number, arg(1) as number);
          case 'min': return Math.min(arg(0) as number, arg(1) as number);
          case 'clip': { const [lo, hi] = [arg(1) as number, arg(2) as number]; return each(arg(0), (p) => Math.min(Math.max(p, lo), hi)); }
          case 'norm': { const v = arg(0); return typeof v === 'number' ? Math.abs(v) : Math.sqrt(v.reduce((s, q) => s + q * q, 0)); }
          case 'dot': { const [u, v] = [arg(0) as Vec, arg(1) as Vec]; return u.reduce((s, p, j) => s + p * v[j], 0); }
          case 'askew': { const [w, g, e, a] = [arg(0) as Vec, arg(1) as Vec, arg(2) as number, arg(3) as number]; return w.map((p, j) => askewCoordinate(p, g[j], e, a)); }
          case 'prox': {
            const term = method.proxes[(n.args[0] as { name: string }).name];
            if (term.kind === 'l1') { const tau = (arg(1) as number) * hyper[term.args[0]]; return each(arg(2), (p) => Math.sign(p) * Math.max(Math.abs(p) - tau, 0)); }
            return each(arg(2), (p) => Math.min(Math.max(p, hyper[term.args[0]]), hyper[term.args[1]]));
          }
        }
    }
    throw new Error(`the oracle has no ${n.op}`);
  };
  for (const s of method.sequences) values.get(s.name)!.push(ev(s.initial, 0, (name) => values.get(name)![0]));
  for (let k = 0; k < steps; k++) {
    for (const s of method.sequences) {
      values.get(s.name)!.push(ev(s.update, k, (name, lag) => values.get(name)![Math.max(0, k + 1 - lag)]));
    }
  }
  return values.get(method.iterate)! as Vec[];
}

describe('the float64 step compiled: to the last bit what the rules say', () => {
  const ORACLE_STEPS = 12;
  /** The compiled step from every (x_k, x_{k−1}) of the forward run equals x_{k+1} exactly; the number of entries compared. */
  const holdToOracle = (id: string, method: Method, inst: Instance, hyper: Record<string, number>): number => {
    registerOptimizer(describedOptimizer(id, id, method));
    const xs = forwardRun(method, inst, hyper, ORACLE_STEPS);
    // all steps first, then compared: a step hands back an array of its own, which later steps leave alone
    const steps = xs.slice(0, ORACLE_STEPS).map((x, k) => referenceStep(id, inst, hyper, x, xs[Math.max(0, k - 1)], k)!);
    steps.forEach((step, k) => expect(step, `${id} at k = ${k}`).toEqual(xs[k + 1]));
    return steps.reduce((n, step) => n + step.filter(Number.isFinite).length, 0);
  };

  it('methods that use every function, x0, k, schedules and a sequence needed at k−1 (its initial value at k = 1)', () => {
    const cases: [string, [string, string][], Record<string, number>][] = [
      ['mixed', [
        ['x(0)', 'x0'],
        ['x(k+1)', 'clip(x(k) - gamma / sqrt(k + 1) * min(1, 1 / max(norm(grad(f, x(k))), 1e-3)) * grad(f, x(k)) + 0.01 * exp(-abs(f(x(k)))) * dot(x(k), x(k)) / (1 + dot(x(k), x(k))) * x(k), -4, 4)'],
      ], { gamma: 0.3 }],
      ['halpern', [
        ['x(0)', 'x0'], ['y(0)', 'x0'],
        ['x(k+1)', '1 / (k + 2) * x0 + (k + 1) / (k + 2) * (y(k) - gamma * grad(f, y(k)))'],
        ['y(k+1)', 'x(k+1)'],
      ], { gamma: 0.2 }],
      // w(k) = ∇f(x(k)) is needed at k and k − 1: its initial value at k = 0 and 1, its update after
      ['gradient-corrected', [
        ['x(0)', 'x0'], ['w(0)', 'grad(f, x0)'], ['lam(0)', '1'], ['y(0)', 'lam(0) * x0'],
        ['lam(k+1)', '(1 + sqrt(1 + 4 * lam(k)^2)) / 2'],
        ['x(k+1)', 'y(k) - gamma * grad(f, y(k))'],
        ['w(k+1)', 'grad(f, x(k+1))'],
        ['y(k+1)', 'x(k+1) + (lam(k) - 1) / lam(k+1) * (x(k+1) - x(k)) - gamma * beta * (w(k+1) - w(k)) + -(0.01 * sign(x(k+1))) / 2'],
      ], { gamma: 0.1, beta: 0.5 }],
      // s·(u ± v) as one loop: left of an operator, and as the whole rule (the array handed back)
      ['scaled-sums', [['x(0)', 'x0'], ['x(k+1)', '0.3 * (x(k) + (x(k) - gamma * grad(f, x(k)))) + 0.7 * (x(k) - x(k-1)) / 8 + 0.4 * x(k)']], { gamma: 0.2 }],
      ['scaled-sum-root', [['x(0)', 'x0'], ['x(k+1)', '0.9 * (x(k) - gamma * grad(f, x(k)))']], { gamma: 0.2 }],
      ['scalar-state', [
        ['x(0)', 'x0'], ['s(0)', '1'],
        ['x(k+1)', 'x(k) - gamma / (1 + s(k)) * grad(f, x(k)) + beta * (x(k) - x(k-1))'],
        ['s(k+1)', 'norm(grad(f, x(k+1)))'],
      ], { gamma: 0.2, beta: 0.3 }],
    ];
    for (const [name, rules, hyper] of cases) {
      const method = describe1(rules, Object.keys(hyper));
      expect(referenceObstacle(method), name).toBeNull();
      for (const [r, inst] of instances.entries()) expect(holdToOracle(`oracle:${name}:${r}`, method, inst, hyper), name).toBeGreaterThan(0);
    }
  });

  it('askew and both proximal maps', () => {
    const ASKEW_RULES: [string, string][] = [['x(0)', 'x0'], ['x(k+1)', 'clip(x(k) + lr * askew(x(k), grad(f, x(k)), eps0 * epsDecay^k, alpha), -1, 1)']];
    holdToOracle('oracle:askew', describe1(ASKEW_RULES, ['lr', 'alpha', 'eps0', 'epsDecay']), instances[0], { lr: 0.1, alpha: 1, eps0: 0.3, epsDecay: 0.95 });
    for (const [kind, args, hyper] of [['l1', ['w'], { lr: 0.1, w: 0.5 }], ['box', ['lo', 'hi'], { lr: 0.1, lo: -1, hi: 0.5 }]] as const) {
      const method = describeMethod([
        { key: 'x(0)', text: 'x0', line: 2 },
        { key: 'x(k+1)', text: 'prox(h, lr, x(k) - lr * grad(f, x(k)))', line: 3 },
      ], { file: 'prox.md', scalars: Object.keys(hyper), proxes: { h: { kind, args: [...args] } } });
      holdToOracle(`oracle:prox-${kind}`, method, instances[1], { ...hyper });
    }
  });

  it('every theorem file with a float64 step, on its own witnesses and parameters', () => {
    const dir = fileURLToPath(new URL('../theorems/', import.meta.url));
    let files = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const tf = loadTheoremFile(`${dir}${name}`);
      if (referenceObstacle(tf.method)) continue;
      files++;
      const { witnesses } = witnessesFor(tf.theorem, { instances: 2, seed: 5, steps: ORACLE_STEPS });
      const rng = makeRng(5);
      for (const w of witnesses.slice(0, 6)) {
        const { scope } = startScope(tf.theorem, w, rng);
        const hyper = Object.fromEntries(tf.method.parameters.map((p) => [p, scope[p] as number]));
        holdToOracle(`oracle:${name}:${w.family.id}`, tf.method, w.instance, hyper);
      }
    }
    expect(files).toBeGreaterThanOrEqual(8);
  });

  it('a wrong step is told apart (the comparison can fail)', () => {
    const method = describe1(NESTEROV, ['gamma', 'beta']);
    const xs = forwardRun(method, instances[0], { gamma: 0.2, beta: 0.5 }, 4);
    registerOptimizer(describedOptimizer('oracle:off', 'off', describe1([NESTEROV[0], NESTEROV[1], NESTEROV[2], ['y(k+1)', 'x(k+1) + beta * (x(k+1) - x(k)) * (1 + 1e-15)']], ['gamma', 'beta'])));
    const step = referenceStep('oracle:off', instances[0], { gamma: 0.2, beta: 0.5 }, xs[3], xs[2], 3)!;
    expect(step).not.toEqual(xs[4]);
    expect(Math.max(...step.map((v, j) => Math.abs(v - xs[4][j])))).toBeLessThan(1e-12);
  });
});

describe('bad descriptions: file:line, what is wrong, the fix', () => {
  const bad = (rules: [string, string][], scalars = ['gamma']) => () => describe1(rules, scalars, 'm.md');
  it.each([
    [[['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma * gradient(f, x(k))']], /m\.md:3: .*unknown function 'gradient'.*did you mean: grad\?/],
    [[['x(0)', 'x0'], ['x(k+1)', 'y(k+1) - gamma * grad(f, x(k))'], ['y(0)', 'x0'], ['y(k+1)', 'x(k+1)']], /m\.md:3: the update of x uses y\(k\+1\) before it is defined.*move "y\(k\+1\)" above/],
    [[['x(0)', 'x0'], ['x(k+1)', 'x(k) - gama * grad(f, x(k))']], /m\.md:3: .*unknown symbol 'gama'.*did you mean: gamma\?/],
    [[['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma']], /m\.md:3: .*subtracts a scalar from a vector/],
    [[['x(0)', 'x0'], ['x(k+1)', 'x(k) * grad(f, x(k))']], /m\.md:3: .*multiplies two vectors; use dot/],
    [[['x(0)', 'x0'], ['x(k+1)', 'norm(x(k))']], /m\.md:3: the update of x is a scalar but x\(0\) is a vector/],
    [[['x(k+1)', 'x(k)']], /m\.md:2: sequence x has no initial value/],
    [[['x(0)', 'x0'], ['x(k+1)', 'x(k) - gamma * sgrad(f, x(k), 1)']], /m\.md:3: .*sample index of sgrad must be k/],
  ] as [[string, string][], RegExp][])('%j', (rules, message) => {
    expect(bad(rules)).toThrow(message);
  });
});

describe('every function of the method language: TensorFlow.js and float64 agree', () => {
  it('prox of an l1 term is the built-in proximal gradient (ISTA)', async () => {
    const ista = describeMethod([
      { key: 'x(0)', text: 'x0', line: 2 },
      { key: 'x(k+1)', text: 'prox(h, lr, x(k) - lr * grad(f, x(k)))', line: 3 },
    ], { file: 'ista.md', scalars: ['lr', 'l1'], proxes: { h: { kind: 'l1', args: ['l1'] } } });
    registerOptimizer(describedOptimizer('test:ista', 'ista', ista));
    const hyper = { lr: [0.2, 0.1, 0.09], l1: [0.5, 0.1, 1] };
    const [a, b] = [await iterates('proximal-gd', hyper), await iterates('test:ista', hyper)];
    a.forEach((x, t) => x.forEach((v, j) => expect(Math.abs(v - b[t][j])).toBeLessThanOrEqual(8 * EPS32 * 3 * Math.max(t, 1))));
    expect(a[STEPS].some((v) => v === 0)).toBe(true); // the threshold really acts
  });

  it('a method using clip, norm, dot, f, sqrt, exp, abs, max, min and a k-dependent schedule: float32 run within rounding of its float64 steps', async () => {
    const method = describe1([
      ['x(0)', 'x0'],
      ['x(k+1)', 'clip(x(k) - gamma / sqrt(k + 1) * min(1, 1 / max(norm(grad(f, x(k))), 1e-3)) * grad(f, x(k)) + 0.01 * exp(-abs(f(x(k)))) * dot(x(k), x(k)) / (1 + dot(x(k), x(k))) * x(k), -4, 4)'],
    ], ['gamma']);
    registerOptimizer(describedOptimizer('test:mixed', 'mixed', method));
    const hyper = { gamma: [0.3, 0.2, 0.1] };
    const run = await iterates('test:mixed', hyper);
    for (let r = 0; r < instances.length; r++) {
      for (let t = 1; t < STEPS; t++) {
        const x = Float64Array.from(run[t].subarray(3 * r, 3 * r + 3)), prev = Float64Array.from(run[t - 1].subarray(3 * r, 3 * r + 3));
        const exact = referenceStep('test:mixed', instances[r], { gamma: hyper.gamma[r] }, prev, t >= 2 ? Float64Array.from(run[t - 2].subarray(3 * r, 3 * r + 3)) : prev, t - 1)!;
        // one float32 step from the same point: a few ulps of the terms it combines
        exact.forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThanOrEqual(16 * EPS32 * (1 + Math.abs(v))));
      }
    }
    // and the step does something: the iterates move
    expect(Math.abs(run[STEPS][0] - run[0][0])).toBeGreaterThan(1e-3);
  });
});

describe('rules that use x0 or only copy a value', () => {
  it('an anchored update (Halpern: x0 in the update) and a copy rule run on TensorFlow.js within rounding of their float64 steps', async () => {
    const method = describe1([
      ['x(0)', 'x0'], ['y(0)', 'x0'],
      ['x(k+1)', '1 / (k + 2) * x0 + (k + 1) / (k + 2) * (y(k) - gamma * grad(f, y(k)))'],
      ['y(k+1)', 'x(k+1)'],
    ], ['gamma']);
    registerOptimizer(describedOptimizer('test:halpern', 'halpern', method));
    const hyper = { gamma: [0.2, 0.1, 0.09] };
    const run = await iterates('test:halpern', hyper);
    expect(run).toHaveLength(STEPS + 1);
    for (let r = 0; r < instances.length; r++) {
      for (let t = 1; t < STEPS; t++) {
        const x = run[t].subarray(3 * r, 3 * r + 3), prev = Float64Array.from(run[t - 1].subarray(3 * r, 3 * r + 3));
        const exact = referenceStep('test:halpern', instances[r], { gamma: hyper.gamma[r] }, prev, t >= 2 ? Float64Array.from(run[t - 2].subarray(3 * r, 3 * r + 3)) : prev, t - 1)!;
        exact.forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThanOrEqual(16 * EPS32 * (1 + Math.abs(v))));
      }
    }
    // and the iterates move
    expect(Math.abs(run[STEPS][0] - run[0][0])).toBeGreaterThan(1e-3);
  });
});

describe('tensors', () => {
  it('Nesterov and FISTA written as methods run the very kernels of the built-in nesterov (no copy, no extra op per step)', async () => {
    const kernels = async (optimizer: string, hyper: Record<string, readonly number[]>) => {
      const p = await tf.profile(async () => { await runBatch({ family: quadratic, instances, optimizer, hyper, steps: 10, onStep: () => {} }); });
      const counts: Record<string, number> = {};
      for (const k of p.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
      return counts;
    };
    for (const [id, hyper] of [['nesterov', { lr: [0.2, 0.1, 0.09], momentum: [0.5, 0.3, 0.7] }], ['fista', { lr: [0.2, 0.1, 0.09] }]] as const) {
      registerOptimizer(describedOptimizer(`kernels:${id}`, id, builtinMethod(id)!));
      const [a, b] = [await kernels('nesterov', hyper), await kernels(`kernels:${id}`, hyper)];
      expect(b, id).toEqual(a);
      expect(a.Multiply).toBeGreaterThan(0);
    }
  });


  it('a described run leaves no tensor behind (the iterate handed over, x(k-1) kept, x0 as an anchor, a copy rule)', async () => {
    const anchored = describe1([['x(0)', 'x0'], ['y(0)', 'x0'], ['x(k+1)', '1 / (k + 2) * x0 + (k + 1) / (k + 2) * (y(k) - lr * grad(f, y(k)))'], ['y(k+1)', 'x(k+1)']], ['lr']);
    for (const [id, m] of [['gd', builtinMethod('gd')!], ['heavy-ball', builtinMethod('heavy-ball')!], ['fista', builtinMethod('fista')!], ['anchored', anchored]] as const) {
      registerOptimizer(describedOptimizer(`leak:${id}`, id, m));
      const hyper = Object.fromEntries(m.parameters.map((p) => [p, instances.map(() => (p === 'lr' ? 0.1 : 0.5))]));
      const before = tf.memory().numTensors;
      await runBatch({ family: quadratic, instances, optimizer: `leak:${id}`, hyper, steps: 12, onStep: () => {} });
      expect(tf.memory().numTensors, id).toBe(before);
    }
  });
});

describe('askew: ASkewSGD’s direction as a function of the method language', () => {
  // Starts inside the box with coordinates far from ±1, so that the constraint fails and K acts.
  const starts = [[0.1, -0.3, 0.95], [-0.05, 0.6, -0.2], [0.4, 0.02, -0.9]];
  const boxed = starts.map((x0, i) => quadratic.instantiate(quadraticFromSpectrum([0.5, 4, 2], { rotationSeed: 3 + i, x0, xstar: [0.3, -0.2, 0.1] })));
  const ASKEW: [string, string][] = [['x(0)', 'x0'], ['x(k+1)', 'clip(x(k) + lr * askew(x(k), grad(f, x(k)), eps0 * epsDecay^k, alpha), -1, 1)']];
  const hyper = { lr: [0.1, 0.05, 0.2], alpha: [1, 0.1, 3], eps0: [0.01, 0.3, 0.05], epsDecay: [1, 0.95, 0.99] };
  const run = async (optimizer: string, h: Record<string, readonly number[]>) => {
    const out: Float32Array[] = [];
    await runBatch({ family: quadratic, instances: boxed, optimizer, hyper: h, steps: STEPS, onStep: (_t, x) => { out.push(x); } });
    return out;
  };

  it('the method written with askew is the built-in askewsgd: the same float32 iterates, and K really acts', async () => {
    registerOptimizer(describedOptimizer('test:askew', 'askew', describe1(ASKEW, Object.keys(hyper))));
    const [a, b] = [await run('askewsgd', hyper), await run('test:askew', hyper)];
    expect(b).toHaveLength(STEPS + 1);
    // The same tensor operations in the same order (the described method calls the built-in's
    // direction, and ε_k = ε₀δ^k is computed in float64 by both): equal to the last bit.
    a.forEach((x, t) => expect(Array.from(b[t])).toEqual(Array.from(x)));
    // Some coordinate took the step K (the constraint failed and −g did not restore it faster).
    let usedK = 0;
    for (let t = 0; t < 10; t++) {
      for (let r = 0; r < boxed.length; r++) {
        const x = Float64Array.from(a[t].subarray(3 * r, 3 * r + 3)), g = boxed[r].grad(x);
        const eps = hyper.eps0[r] * hyper.epsDecay[r] ** t;
        x.forEach((w, j) => { if (eps - (w * w - 1) ** 2 < 0 && askewCoordinate(w, g[j], eps, hyper.alpha[r]) !== -g[j]) usedK++; });
      }
    }
    expect(usedK).toBeGreaterThan(0);
  });

  it('float64 and TensorFlow.js forms agree: each float32 step within rounding of the exact step from the same point', async () => {
    const method = describe1(ASKEW, Object.keys(hyper));
    registerOptimizer(describedOptimizer('test:askew64', 'askew', method));
    const x32 = await run('test:askew64', hyper);
    for (let r = 0; r < boxed.length; r++) {
      const h = Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, v[r]]));
      for (let t = 1; t < STEPS; t++) {
        const x = x32[t].subarray(3 * r, 3 * r + 3), prev = Float64Array.from(x32[t - 1].subarray(3 * r, 3 * r + 3));
        const exact = referenceStep('test:askew64', boxed[r], h, prev, prev, t - 1)!;
        exact.forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThanOrEqual(16 * EPS32 * (1 + Math.abs(v))));
      }
    }
  });

  it('askewCoordinate: −g inside the constraint and at w = 0, the faster of −g and K outside, K = αc/(4w(w² − 1)) with c′(w)·K = −α·c(w)', () => {
    const [eps, alpha] = [0.01, 1];
    expect(askewCoordinate(0.98, 0.5, eps, alpha)).toBe(-0.5); // (0.98² − 1)² < ε: inside
    expect(askewCoordinate(0, 0.3, eps, alpha)).toBe(-0.3);
    for (const [w, g] of [[0.5, -1], [0.5, 0.2], [-0.5, 1], [-0.5, -0.8], [0.2, -0.1], [1.2, 0.3]]) {
      const c = eps - (w * w - 1) ** 2;
      const K = (alpha * c) / (4 * w * (w * w - 1));
      // K moves w so that the constraint rises at rate α|c| to first order: c′(w)·K = −α·c
      expect(-4 * w * (w * w - 1) * K).toBeCloseTo(-alpha * c, 12);
      const s = askewCoordinate(w, g, eps, alpha);
      expect(s).toBe(-g * K > K * K ? -g : K);
    }
    expect(askewCoordinate(0.5, -1, eps, alpha)).toBe(1); // −g = 1 beats K = 0.5525/1.5 ≈ 0.368
    expect(askewCoordinate(0.5, 0.2, eps, alpha)).toBeCloseTo((0.01 - 0.5625) / (4 * 0.5 * -0.75), 14);
    expect(askewCoordinate(NaN, 0.2, eps, alpha)).toBeNaN();
  });

  it('askew is type-checked and is not a linear method', () => {
    expect(() => describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) + askew(x(k), 1, 0.1, 1)']], [], 'm.md')).toThrow(/m\.md:3: .*askew\(w, g, eps, alpha\) takes the point w and the gradient g as vectors/);
    expect(() => describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) + askew(x(k), grad(f, x(k)), x(k), 1)']], [], 'm.md')).toThrow(/m\.md:3: .*eps and alpha .* are scalars/);
    expect(() => describe1([['x(0)', 'x0'], ['x(k+1)', 'x(k) + askew(x(k), grad(f, x(k)), 1)']], [], 'm.md')).toThrow(/m\.md:3: .*takes 4 arguments, got 3/);
    expect(linearObstacle(describe1(ASKEW, Object.keys(hyper)))).toMatch(/not linear/);
  });
});
