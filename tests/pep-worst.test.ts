/**
 * The worst function of performance estimation: the interpolating functions
 * are in their class (interpolation inequalities on random pairs, gradients
 * against finite differences) and pass through valid data; broken data is
 * caught; the worst function of a solved problem makes the real
 * TensorFlow.js run reach τ; a planted too-strong bound is refuted on it by a
 * real run; tightness takes it first, the same across seeds. Small sizes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainHere } from './fixtures/main-here.ts';
import { dot } from '../src/numeric/linalg.ts';
import { makeRng, type Rng } from '../src/numeric/rng.ts';
import { dataExcess, interpolant, interpolationExcess, type ClassConstants, type InterpolationData } from '../src/pep/interpolant.ts';
import type { PepClass } from '../src/pep/model.ts';
import { runPep } from '../src/pep/run.ts';
import { worstData } from '../src/pep/worst.ts';
import { runWorst } from '../src/pep/worstRun.ts';
import { tightness } from '../src/search/tightness.ts';
import { theoremById } from '../src/theorems/index.ts';
import { writeTooStrongGd } from './fixtures/pep-planted.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `boundlab ARGS` in this process (no test here is about the process; bench/pep-in-process.ts compares with a spawn)
const cli = (args: string[]) => mainHere(args, { cwd: ROOT });

const gauss = (rng: Rng, d: number) => Array.from({ length: d }, () => rng.normal());

/** f(x) = (μ/2)‖x‖² + Huber_{L−μ, τ}(⟨a, x⟩) with ‖a‖ = 1: μ-strongly convex, L-smooth, minimum 0 at 0. */
function smoothWitness(L: number, mu: number, tau: number, a: number[]) {
  const ell = L - mu;
  const value = (x: number[]) => {
    const s = dot(a, x), m = Math.min(tau, Math.max(-tau, s));
    return (mu / 2) * dot(x, x) + ell * (m * m / 2 + tau * Math.max(0, Math.abs(s) - tau));
  };
  const grad = (x: number[]) => {
    const s = dot(a, x), m = Math.min(tau, Math.max(-tau, s));
    return x.map((v, k) => mu * v + ell * m * a[k]);
  };
  return { value, grad };
}

function sampleData(fn: { value: (x: number[]) => number; grad: (x: number[]) => number[] }, rng: Rng, d: number, n: number, spread: number): InterpolationData {
  const xs = [new Array(d).fill(0), ...Array.from({ length: n }, () => gauss(rng, d).map((v) => v * spread))];
  return { x: xs, g: xs.map(fn.grad), f: xs.map(fn.value) };
}

/** Membership of the built function: interpolation inequalities on random pairs, and finite differences. */
function checkMember(cls: PepClass, c: ClassConstants, data: InterpolationData, rng: Rng, spread: number) {
  const fn = interpolant(cls, c, data);
  const d = data.x[0].length;
  const scale = Math.max(...data.f.map(Math.abs), 1);
  let worstPair = -Infinity, worstFd = 0;
  for (let k = 0; k < 150; k++) {
    const p = gauss(rng, d).map((v) => v * spread * 1.5), q = gauss(rng, d).map((v) => v * spread * 1.5);
    const ep = fn.evaluate(p), eq = fn.evaluate(q);
    const e = interpolationExcess(cls, c, p, ep.grad, ep.value, q, eq.grad, eq.value) - ep.gap - eq.gap;
    worstPair = Math.max(worstPair, e / scale);
    if (k < 30 && cls !== 'lipschitz-convex') {
      const h = 1e-5 * spread;
      const fd = Array.from({ length: d }, (_, j) => {
        const up = [...p], dn = [...p];
        up[j] += h; dn[j] -= h;
        return (fn.value(up) - fn.value(dn)) / (2 * h);
      });
      const gn = Math.sqrt(dot(ep.grad, ep.grad));
      worstFd = Math.max(worstFd, Math.sqrt(fd.reduce((s, v, j) => s + (v - ep.grad[j]) ** 2, 0)) / Math.max(gn, 1e-3));
    }
  }
  let worstValue = 0, worstGrad = 0;
  data.x.forEach((xi, i) => {
    const e = fn.evaluate(xi);
    worstValue = Math.max(worstValue, Math.abs(e.value - data.f[i]) / scale);
    const gs = Math.max(1, Math.sqrt(dot(data.g[i], data.g[i])));
    worstGrad = Math.max(worstGrad, Math.sqrt(data.g[i].reduce((s, v, j) => s + (v - e.grad[j]) ** 2, 0)) / gs);
  });
  return { worstPair, worstFd, worstValue, worstGrad };
}

describe('interpolating functions (Taylor–Hendrickx–Glineur 2017)', () => {
  for (const [cls, L, mu] of [['smooth-convex', 2, 0], ['smooth-strongly-convex', 2, 0.3], ['smooth-strongly-convex', 1, 0.9]] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${cls}, L = ${L}, mu = ${mu}, seed ${seed}: in the class, through the data`, () => {
        const rng = makeRng(seed);
        const d = 3;
        const a = gauss(rng, d);
        const na = Math.sqrt(dot(a, a));
        const data = sampleData(smoothWitness(L, mu, 0.5, a.map((v) => v / na)), rng, d, 7, 2);
        const c = { L, mu };
        expect(dataExcess(cls, c, data).excess).toBeLessThanOrEqual(1e-12);
        const m = checkMember(cls, c, data, rng, 2);
        expect(m.worstPair).toBeLessThanOrEqual(1e-9);
        expect(m.worstFd).toBeLessThan(1e-5);
        expect(m.worstValue).toBeLessThan(1e-9);
        expect(m.worstGrad).toBeLessThan(1e-6);
      });
    }
  }

  it('lipschitz-convex: a max of affine pieces through subgradients of M‖x‖', () => {
    const rng = makeRng(4);
    const M = 1.5, d = 2;
    const data = sampleData({ value: (x) => M * Math.sqrt(dot(x, x)), grad: (x) => { const n = Math.sqrt(dot(x, x)); return x.map((v) => (n ? (M * v) / n : 0)); } }, rng, d, 6, 1);
    const c = { M };
    expect(dataExcess('lipschitz-convex', c, data).excess).toBeLessThanOrEqual(1e-12);
    const m = checkMember('lipschitz-convex', c, data, rng, 1);
    expect(m.worstPair).toBeLessThanOrEqual(1e-12);
    expect(m.worstValue).toBeLessThan(1e-12);
    expect(m.worstGrad).toBeLessThan(1e-12);
  });

  it('the nearest minimiser of a function flat on [0, 1] (data from L/2·max(0, |x| − 1)²)', () => {
    const L = 2;
    const fn = interpolant('smooth-convex', { L }, { x: [[0], [1], [3]], g: [[0], [0], [2 * L]], f: [0, 0, 2 * L] });
    for (const [x, m] of [[2, 1], [-1, 0], [0.5, 0.5], [5, 1]]) expect(fn.nearestMinimiser!([x])[0]).toBeCloseTo(m, 9);
    expect(fn.value([0.5])).toBeCloseTo(0, 12);
    expect(fn.value([2])).toBeCloseTo(L / 2, 9);
  });

  it('broken data is caught, and the function built from it is still in the class but misses the data', () => {
    const rng = makeRng(5);
    const data = sampleData(smoothWitness(1, 0, 0.5, [1, 0]), rng, 2, 5, 2);
    data.f[2] -= 0.1;
    expect(dataExcess('smooth-convex', { L: 1 }, data).excess).toBeGreaterThan(0.01);
    const m = checkMember('smooth-convex', { L: 1 }, data, rng, 2);
    expect(m.worstPair).toBeLessThanOrEqual(1e-9);
    expect(m.worstValue + m.worstGrad).toBeGreaterThan(1e-3);
  });
});

describe('the worst function of a solved problem, run for real', () => {
  for (const [target, set, N] of [['gd', {}, 3], ['heavy-ball', {}, 3], ['nesterov', {}, 4], ['nesterov-constant-momentum', { mu: 0.1 }, 4], ['subgradient', {}, 3]] as const) {
    it(`${target}, N = ${N}: the data interpolate and the real run reaches τ`, async () => {
      const r = await runPep({ target, set, steps: N });
      expect(r.status).toBe('success');
      const data = worstData(r.result);
      expect(data.interpolates).toBe(true);
      const w = await runWorst(r, data);
      expect(w.reached).toBe(true);
      expect(Math.abs(w.measured - r.tau!) / r.tau!).toBeLessThan(1e-4);
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'pep-worst-'));
  const planted = writeTooStrongGd(dir);
  for (const [N, h] of [[2, 1], [4, 0.5]]) {
    it(`a planted too-strong bound (N = ${N}, h = ${h}) is violated on the worst function by a real run`, async () => {
      const r = await runPep({ target: planted, steps: N, set: { h } });
      expect(r.verdict).toBe('violated');
      const w = await runWorst(r);
      expect(w.counterexample).toBeDefined();
      expect(w.counterexample!.measured).toBeGreaterThan(w.counterexample!.bound + w.counterexample!.tolerance);
      expect(w.measured / w.bound!).toBeGreaterThan(1.1);
    });
  }

  it('the true bound is not violated on the same kind of worst function (no false alarm)', async () => {
    const r = await runPep({ target: 'gd-convex-tight', steps: 4, set: { h: 0.5 } });
    expect(r.verdict).toBe('tight');
    const w = await runWorst(r);
    expect(w.counterexample).toBeUndefined();
    expect(w.reached).toBe(true);
  });

  it('the CLI prints the run with --worst; --json has it; a method without an optimiser is exit 2', async () => {
    const r = await cli(['pep', 'gd-convex-tight', '--steps', '3', '--set', 'h=1', '--worst', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('tight');
    expect(j.worst.reached).toBe(true);
    expect(j.worst.violated).toBe(false);
    expect(j.worst.family).toBe('pep-worst');
    const o = await cli(['pep', 'ogm', '--steps', '3', '--worst']);
    expect(o.code).toBe(2);
    expect(o.err).toMatch(/no TensorFlow\.js optimiser/);
    const sw = await cli(['pep', 'gd', '--steps', '2', '--sweep', 'h=0.5:1:2', '--worst']);
    expect(sw.code).toBe(2);
    expect(sw.err).toMatch(/--worst .* leave --sweep out/);
  });
});

describe('tightness takes the worst function first', () => {
  it('gd-convex-tight, h = 1, N = 10: ratio 1 without search, the same for every seed', async () => {
    const ratios: number[] = [];
    for (const seed of [0, 1, 2]) {
      const r = await tightness(theoremById('gd-convex-tight')!, { set: { h: 1 }, steps: 10, seed });
      expect(r.pep?.used).toBe(true);
      expect(r.witness.family).toBe('pep-worst');
      expect(r.search.evaluations).toBe(1);
      expect(r.ratio).toBeGreaterThan(1 - 1e-5);
      expect(r.worst).toBeLessThanOrEqual(r.bound + r.tolerance);
      ratios.push(r.ratio);
    }
    expect(new Set(ratios).size).toBe(1);
  });

  it('gd-convex at gamma = 1/L: the gap 2N/(4N + 2) from PEP; without gamma, the search (with the reason)', async () => {
    const r = await tightness(theoremById('gd-convex')!, { set: { gamma: '1/L' }, steps: 20 });
    expect(r.pep?.used).toBe(true);
    expect(Math.abs(r.ratio - 40 / 82)).toBeLessThan(1e-5);
    const s = await tightness(theoremById('gd-convex')!, { steps: 20, rounds: 5 });
    expect(s.pep?.used).toBe(false);
    expect(s.pep && !s.pep.used && s.pep.reason).toMatch(/gamma/);
  });
});

describe('relax tries the worst function at the best sampled parameters', () => {
  it('gd-convex-tight with h up to 1.98: PEP says violated there and the counterexample is confirmed by a real run', async () => {
    const { relax } = await import('../src/search/relax.ts');
    const r = await relax(theoremById('gd-convex-tight')!, { drop: ['h <= 1'], add: ['h <= 1.98'], steps: 20 });
    expect(r.verdict).toBe('counterexample');
    expect(r.search.notes.some((n) => /performance estimation at .*: violated/.test(n))).toBe(true);
  });

  it('the relaxed theorem is tight at h = 1.5 and violated at h = 1.98 (N = 20): PEP tells the two apart', async () => {
    const { relaxTheorem } = await import('../src/theorems/assumptions.ts');
    const { pepWitness } = await import('../src/search/pepWitness.ts');
    const rt = relaxTheorem(theoremById('gd-convex-tight')!, { drop: ['h <= 1'], add: ['h <= 1.98'] });
    // Drori–Teboulle: for 1 < h < 2 the worst case is max(1/(4Nh + 2), (1 − h)^(2N)/2)·L R²: 1/(4Nh + 2) at h = 1.5, N = 20
    const valid = await pepWitness(rt.theorem, { h: 1.5 }, 20);
    expect('report' in valid && valid.report.verdict).toBe('tight');
    const violated = await pepWitness(rt.theorem, { h: 1.98 }, 20);
    expect('report' in violated && violated.report.verdict).toBe('violated');
  });
});
