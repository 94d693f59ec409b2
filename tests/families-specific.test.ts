/**
 * Facts about individual families that the generic tests cannot state:
 * worst cases, cycles, certified constants, tightness, exactness of the data,
 * and per-sample minibatch values against hand computation from instance.data.
 * Tolerances: float64 roundoff ~1e-12 relative (a few hundred eps over short
 * loops); float32 (TensorFlow.js) 1e-4 relative to the magnitudes involved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../src/engine/backend.ts';
import {
  certifySinPL, FAMILIES, familyById, huber, huberGrad, huberWorstCase, lessard, lessardGrad, lessardValue,
  leastSquares, leastSquaresData, leastSquaresRankDeficient, logistic, logisticData, quadratic, quadraticFromSpectrum,
  quartic, quarticLocalL, reluNet, reluNetData, sinPL, sinPLNumericInfimum, sinPLRatio, spectrum, SIN_PL_ARGMIN,
  SIN_PL_CERTIFIED, SIN_PL_NUMERIC, SPECTRUM_STYLES, type Family, type Instance,
} from '../src/classes/index.ts';
import { dot, gram, norm, symEig, type Mat } from '../src/numeric/linalg.ts';
import { softplus } from '../src/classes/families/common.ts';

const SEED = Number(process.env.FC_SEED ?? 20250611);

beforeAll(async () => {
  await initEngine();
});

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
const matOf = (rows: number[][]): Mat => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });
const lambdas = (inst: Instance) => symEig({ rows: inst.dim, cols: inst.dim, data: inst.hess!(inst.x0) }).values;

/** Row-by-row tf minibatch loss vs the mean of per-sample losses computed by `fi` in float64. */
function checkMinibatch(family: Family, insts: Instance[], fi: (inst: Instance, j: number, x: Float64Array) => number, m = 3) {
  const B = insts.length, d = insts[0].dim;
  const xs = insts.map((inst, b) => inst.x0.map((v, k) => Math.fround(v + 0.1 * Math.sin(b + k))));
  const idx = insts.map((inst, b) => Array.from({ length: m }, (_, j) => (3 * b + 5 * j + 1) % family.samples!(inst)));
  const mb = family.tfMinibatchLoss!(insts);
  const got = tf.tidy(() =>
    mb(tf.tensor2d(xs.map((x) => Array.from(x)), [B, d]), tf.tensor2d(idx, [B, m], 'int32')).arraySync(),
  ) as number[];
  mb.dispose();
  insts.forEach((inst, b) => {
    const terms = idx[b].map((j) => fi(inst, j, xs[b]));
    const want = terms.reduce((a, v) => a + v, 0) / m;
    const mag = terms.reduce((a, v) => a + Math.abs(v), 0) / m;
    expect(Math.abs(got[b] - want)).toBeLessThanOrEqual(1e-4 * (mag + 1e-30));
  });
}

describe('registry', () => {
  it('lists the families with their ids and finds them by id', () => {
    expect(FAMILIES.map((f) => f.id)).toEqual([
      'quadratic', 'least-squares', 'least-squares-rank-deficient', 'logistic-l2', 'huber', 'sin-pl', 'quartic', 'lessard', 'relu-net',
      'noisy-quadratic', // drawn only by the stochastic theorems that name it (byName)
    ]);
    for (const f of FAMILIES) expect(familyById(f.id)).toBe(f);
    expect(familyById('nope')).toBeUndefined();
  });
});

describe('quadratic', () => {
  it('spectra contain the exact extremes mu and L in every style', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }), fc.constantFrom(...SPECTRUM_STYLES), fc.nat(), (d, mu, k, style, seed) => {
        const L = mu * k;
        const s = spectrum(d, mu, L, style, seed);
        expect(s).toHaveLength(d);
        expect(s[0]).toBe(mu);
        if (d > 1) expect(s[d - 1]).toBe(L);
        for (let i = 1; i < d; i++) expect(s[i]).toBeGreaterThanOrEqual(s[i - 1]);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('explicit params: diagonal and rotated, constants from the spectrum, hessian has exactly that spectrum', () => {
    const p = quadraticFromSpectrum([0.5, 2, 40], { xstar: [1, -2, 3], x0: [0, 0, 0], fstar: 1.5 });
    const inst = quadratic.instantiate(p);
    expect(inst.cert).toMatchObject({ L: 40, mu: 0.5, pl: 0.5, fstar: 1.5, convex: true, quadratic: true });
    expect(Array.from(inst.hess!(inst.x0))).toEqual([0.5, 0, 0, 0, 2, 0, 0, 0, 40]);
    expect(inst.value([1, -2, 3])).toBe(1.5);
    const rot = quadratic.instantiate({ ...p, rotationSeed: 7 });
    const ev = lambdas(rot);
    [0.5, 2, 40].forEach((v, i) => expect(rel(ev[i], v)).toBeLessThan(1e-13));
    expect(() => quadratic.instantiate(quadraticFromSpectrum([0, 1]))).toThrow(/> 0/);
    expect(() => quadratic.instantiate({ ...p, x0: [1] })).toThrow(/x0/);
  });

  it('f − f* = ½ Σ λ_k (q_kᵀ(x − x*))² is never negative in float64 (the centred form)', () => {
    const inst = quadratic.instantiate({ ...quadraticFromSpectrum([1e-2, 1, 10], { xstar: [10, -10, 10], fstar: 0 }), rotationSeed: 3 });
    for (const t of [1e-8, 1e-12, 1e-15]) expect(inst.value([10 + t, -10 - t, 10 + t])).toBeGreaterThanOrEqual(0);
  });
});

describe('least squares', () => {
  it('noise 0: f* = 0 up to the roundoff of w*, exact dyadic data; noise > 0: f* > 0 equals the residual of the normal equations', () => {
    const clean = leastSquares.instantiate(leastSquaresData({ seed: 1, n: 20, dim: 5, noise: 0, wScale: 3, x0Dist: 1 }));
    const y = clean.data!.y as number[];
    expect(clean.cert.fstar).toBeLessThanOrEqual(1e-28 * dot(y, y));
    const noisy = leastSquares.instantiate(leastSquaresData({ seed: 1, n: 20, dim: 5, noise: 0.3, wScale: 3, x0Dist: 1 }));
    expect(noisy.cert.fstar).toBeGreaterThan(1e-3);
    const ws = noisy.nearestMinimiser(noisy.x0)!;
    // ∇f(w*) = Xᵀ(Xw* − y)/n = 0 to roundoff, and f(w*) = f*
    expect(norm(noisy.grad(ws))).toBeLessThan(1e-13 * (1 + noisy.cert.L! * norm(ws)));
    expect(noisy.value(ws)).toBe(noisy.cert.fstar);
    // every entry of X lies on the 2^-8 grid scaled by a power of two: exact in float32 too
    for (const row of noisy.data!.X as number[][]) for (const v of row) expect(Math.fround(v)).toBe(v);
  });

  it('constants are the extreme eigenvalues of XᵀX / n (computed here independently of the family)', () => {
    const p = leastSquaresData({ seed: 5, n: 12, dim: 4, noise: 0.1, columnScales: true, wScale: 1, x0Dist: 2 });
    const inst = leastSquares.instantiate(p);
    const ev = symEig(gram(matOf(p.X))).values;
    const pad = 32 * 4 * Number.EPSILON * ev[3];
    expect(inst.cert.L!).toBeGreaterThanOrEqual(ev[3] / 12);
    expect(inst.cert.L!).toBeLessThanOrEqual((ev[3] + pad) / 12);
    expect(inst.cert.mu!).toBeLessThanOrEqual(ev[0] / 12);
    expect(inst.cert.mu!).toBeGreaterThanOrEqual((ev[0] - pad) / 12);
    expect(inst.cert.pl).toBe(inst.cert.mu);
    expect(inst.data).toMatchObject({ n: 12 });
    // a rank-deficient X is refused by the full-rank family
    const rd = leastSquaresData({ seed: 5, n: 12, dim: 4, rank: 2, noise: 0, wScale: 1, x0Dist: 1 });
    expect(() => leastSquares.instantiate({ X: rd.X, y: rd.y, x0: rd.x0 })).toThrow(/singular|ill-conditioned/);
  });

  it('rank-deficient: X has an exact null space, mu undefined, pl = smallest nonzero eigenvalue / n, minimisers form x† + null(X)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.2), (d, seed, rf, noise) => {
        const r = 1 + Math.floor(rf * (d - 1)) - (rf === 1 ? 1 : 0);
        const p = leastSquaresData({ seed, n: 15, dim: d, rank: r, noise, wScale: 2, x0Dist: 1 });
        const inst = leastSquaresRankDeficient.instantiate({ X: p.X, y: p.y, rank: r, x0: p.x0 });
        expect(inst.cert.mu).toBeUndefined();
        const { values, vectors } = symEig(gram(matOf(p.X)));
        // certified = the eigenvalue moved outward by the solver's backward-error pad 16·d·eps·λ_max
        const pad = 32 * d * Number.EPSILON * values[d - 1];
        expect(inst.cert.pl!).toBeLessThanOrEqual(values[d - r] / 15);
        expect(inst.cert.pl!).toBeGreaterThanOrEqual((values[d - r] - pad) / 15);
        expect(inst.cert.L!).toBeGreaterThanOrEqual(values[d - 1] / 15);
        expect(inst.cert.L!).toBeLessThanOrEqual((values[d - 1] + pad) / 15);
        // exactly rank r: XᵀX has d − r eigenvalues at roundoff level
        expect(Math.abs(values[d - r - 1])).toBeLessThan(1e-13 * values[d - 1]);
        // moving along a null vector changes nothing: f constant, the nearest minimiser moves with it
        const z = Float64Array.from({ length: d }, (_, i) => vectors.data[i * d]);
        const x = inst.x0, xz = x.map((v, i) => v + 3 * z[i]);
        expect(rel(inst.value(xz), inst.value(x))).toBeLessThan(1e-12);
        const px = inst.nearestMinimiser(x)!, pxz = inst.nearestMinimiser(xz)!;
        expect(norm(pxz.map((v, i) => v - px[i] - 3 * z[i]))).toBeLessThan(1e-10 * (1 + norm(px)));
        // x − P(x) is orthogonal to the null space
        expect(Math.abs(dot(x.map((v, i) => v - px[i]), z))).toBeLessThan(1e-10 * (1 + norm(x)));
        // the minimum-norm minimiser lies in the range
        const xd = inst.data!.xdagger as number[];
        expect(Math.abs(dot(xd, z))).toBeLessThan(1e-10 * (1 + norm(xd)));
        expect(rel(inst.value(xd), inst.cert.fstar) < 1e-10 || Math.abs(inst.value(xd) - inst.cert.fstar) < 1e-25).toBe(true);
        if (noise === 0) expect(inst.cert.fstar).toBeLessThan(1e-25 * (1 + dot(p.y, p.y)));
      }),
      { seed: SEED, numRuns: 60 },
    );
    const p = leastSquaresData({ seed: 3, n: 10, dim: 4, rank: 2, noise: 0, wScale: 1, x0Dist: 1 });
    expect(() => leastSquaresRankDeficient.instantiate({ X: p.X, y: p.y, rank: 3, x0: p.x0 })).toThrow(/fewer than 3/);
    expect(() => leastSquaresRankDeficient.instantiate({ X: p.X, y: p.y, rank: 1, x0: p.x0 })).toThrow(/more than 1/);
  });

  it('tf minibatch loss = mean of ½(x_jᵀw − y_j)² over the drawn rows, per row, with different n per instance (the wasm batchDims bug is avoided)', () => {
    for (const family of [leastSquares, leastSquaresRankDeficient]) {
      const insts = [7, 12, 9, 20].map((n, s) =>
        family.instantiate(
          family === leastSquares
            ? leastSquaresData({ seed: s, n, dim: 3, noise: 0.1, wScale: 1, x0Dist: 1 })
            : { ...leastSquaresData({ seed: s, n, dim: 3, rank: 2, noise: 0.1, wScale: 1, x0Dist: 1 }) } as never,
        ),
      );
      checkMinibatch(family, insts, (inst, j, w) => {
        const X = inst.data!.X as number[][], y = inst.data!.y as number[];
        const r = dot(X[j], w) - y[j];
        return 0.5 * r * r;
      });
    }
  });
});

describe('logistic-l2', () => {
  it('L is attained: the Hessian at w = 0 is XᵀX/(4n) + λI, with top eigenvalue L', () => {
    fc.assert(
      fc.property(logistic.arbitrary({ dim: 4 }), (p) => {
        const inst = logistic.instantiate(p);
        const H = inst.hess!(new Float64Array(4));
        const top = symEig({ rows: 4, cols: 4, data: H }).values[3];
        expect(rel(top, inst.cert.L!)).toBeLessThan(1e-12);
        expect(inst.cert.regularized!.lambda).toBe(p.lambda);
        expect(rel(inst.cert.regularized!.Lbase + p.lambda, inst.cert.L!)).toBeLessThan(1e-15);
        expect(inst.cert.mu).toBe(p.lambda);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('w* by Newton: gradient at roundoff, f* below f at nearby points, strong convexity growth', () => {
    fc.assert(
      fc.property(logistic.arbitrary({ dim: 3 }), fc.nat(), (p, s) => {
        const inst = logistic.instantiate(p);
        const ws = inst.nearestMinimiser(inst.x0)!;
        const X = p.X;
        const rowScale = X.reduce((a, r) => a + norm(r), 0) / X.length;
        const rowScale2 = X.reduce((a, r) => a + dot(r, r), 0) / X.length;
        // ~1e-15 relative to the terms of ∇f: σ(z_i)x_i and the roundoff of z_i = x_iᵀw through σ′x_i
        expect(norm(inst.grad(ws))).toBeLessThan(1e-14 * (rowScale + (rowScale2 + p.lambda) * norm(ws)) + 1e-300);
        const u = [Math.sin(s), Math.cos(s), Math.sin(2 * s)];
        for (const t of [1e-3, 1e-1, 1]) {
          const w = ws.map((v, i) => v + t * u[i]);
          // f(w) − f* ≥ (λ/2)‖w − w*‖² (μ-strong convexity around the minimiser)
          expect(inst.value(w) - inst.cert.fstar).toBeGreaterThanOrEqual((p.lambda / 2) * t * t * dot(u, u) * (1 - 1e-6) - 1e-15);
        }
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('separable data with small λ: the minimiser is still finite; softplus stays stable at huge margins (float64 and tf)', () => {
    const p = logisticData({ seed: 4, n: 30, dim: 2, lambda: 1e-3, flip: 0, teacherScale: 5, x0Dist: 0 });
    const inst = logistic.instantiate(p);
    const ws = inst.nearestMinimiser(inst.x0)!;
    expect(Number.isFinite(norm(ws))).toBe(true);
    expect(norm(ws)).toBeGreaterThan(1);
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    const big = Float64Array.of(300, -400);
    const loss = logistic.tfLoss([inst]);
    const v = tf.tidy(() => loss(tf.tensor2d([Array.from(big)])).dataSync()[0]);
    loss.dispose();
    expect(Number.isFinite(v)).toBe(true);
    expect(rel(v, inst.value(big))).toBeLessThan(1e-4);
    expect(inst.data).toMatchObject({ n: 30, lambda: 1e-3 });
    expect((inst.data!.y as number[]).every((y, i) => y === (1 + p.s[i]) / 2)).toBe(true);
  });

  it('tf minibatch loss = mean softplus(−s_j x_jᵀw) over the drawn rows + the full regulariser, per row', () => {
    const insts = [8, 15, 11].map((n, s) => logistic.instantiate(logisticData({ seed: s, n, dim: 3, lambda: 0.1 * (s + 1), flip: 0.1, teacherScale: 2, x0Dist: 1 })));
    checkMinibatch(logistic, insts, (inst, j, w) => {
      const X = inst.data!.X as number[][], s = inst.data!.s as number[], lam = inst.data!.lambda as number;
      return softplus(-s[j] * dot(X[j], w)) + (lam / 2) * dot(w, w);
    }, 4);
  });
});

describe('huber', () => {
  it('gradient descent with step h/L on the worst case ends exactly at L R²/(4Nh + 2) (h = 1, R = 1, N = 10, and others)', () => {
    const cases: [number, number, number, number][] = [[1, 1, 10, 1], [2.5, 1, 10, 1], [100, 1, 10, 1], [1, 3, 25, 0.5], [7, 0.2, 1, 1], [1, 1, 200, 0.9]];
    for (const [L, R, N, h] of cases) {
      const inst = huber.instantiate(huberWorstCase(L, R, N, h));
      let x = inst.x0[0];
      for (let k = 0; k < N; k++) x -= (h / L) * inst.grad([x])[0];
      const want = (L * R * R) / (4 * N * h + 2);
      expect(rel(inst.value([x]), want)).toBeLessThan(1e-12);
      // and the iterate never entered the quadratic zone
      expect(Math.abs(x)).toBeGreaterThanOrEqual(inst.data!.tau as number);
    }
  });

  it('constants: G = Lτ is the sup of |f′|, L attained inside the quadratic zone, not PL', () => {
    const inst = huber.instantiate({ L: 3, tau: 0.5, x0: [2] });
    expect(inst.cert).toMatchObject({ L: 3, G: 1.5, fstar: 0, convex: true });
    expect(inst.cert.mu).toBeUndefined();
    expect(inst.cert.pl).toBeUndefined();
    expect(Math.abs(huberGrad(3, 0.5, 1e6))).toBe(1.5);
    expect((inst.grad([0.2])[0] - inst.grad([0.1])[0]) / 0.1).toBeCloseTo(3, 12);
    // PL fails: ½f′² / f → 0 as |x| → ∞
    const x = 1e6;
    expect((0.5 * inst.grad([x])[0] ** 2) / inst.value([x])).toBeLessThan(1e-5);
  });
});

describe('sin-pl', () => {
  it('the certified PL bound re-runs: interval arithmetic gives ≥ SIN_PL_CERTIFIED, which is within 0.02% of the numeric infimum', () => {
    const cert = certifySinPL();
    expect(cert.lowerBound).toBeGreaterThanOrEqual(SIN_PL_CERTIFIED);
    expect(cert.parts.small).toBeGreaterThan(6);
    expect(cert.parts.large).toBeGreaterThan(1.4);
    expect(cert.worstCell[0]).toBeLessThanOrEqual(SIN_PL_ARGMIN + 1e-3);
    expect(cert.worstCell[1]).toBeGreaterThanOrEqual(SIN_PL_ARGMIN - 1e-3);
    const num = sinPLNumericInfimum();
    expect(Math.abs(num.value - SIN_PL_NUMERIC)).toBeLessThan(1e-12);
    expect(Math.abs(num.x - SIN_PL_ARGMIN)).toBeLessThan(1e-6);
    expect(cert.lowerBound).toBeLessThanOrEqual(num.value);
    expect((SIN_PL_NUMERIC - SIN_PL_CERTIFIED) / SIN_PL_NUMERIC).toBeLessThan(2e-4);
    // the catalogue's note: μ ≈ 0.176 numerically
    expect(SIN_PL_NUMERIC.toFixed(3)).toBe('0.176');
  });

  it('the ratio ½f′²/f is never below the certified constant on a dense grid, both signs, any a', () => {
    let min = Infinity;
    for (let i = 1; i <= 400_000; i++) {
      const x = -20 + i * 1e-4;
      if (x === 0) continue;
      min = Math.min(min, sinPLRatio(x));
    }
    expect(min).toBeGreaterThanOrEqual(SIN_PL_CERTIFIED);
    for (const a of [0.1, 1, 7]) {
      const inst = sinPL.instantiate({ a, x0: [SIN_PL_ARGMIN, -SIN_PL_ARGMIN, 0.3] });
      expect(inst.cert.pl).toBeCloseTo(a * SIN_PL_CERTIFIED, 14);
      expect(inst.cert.L).toBe(8 * a);
      const x = Float64Array.of(SIN_PL_ARGMIN, -SIN_PL_ARGMIN);
      const one = sinPL.instantiate({ a, x0: [SIN_PL_ARGMIN, -SIN_PL_ARGMIN] });
      const g = one.grad(x);
      const ratio = (0.5 * dot(g, g)) / one.value(x);
      expect(ratio).toBeGreaterThanOrEqual(one.cert.pl!);
      expect(rel(ratio, a * SIN_PL_NUMERIC)).toBeLessThan(1e-9); // PL is tight at ±2.2017 up to the certified margin
      // L attained at 0 (f″ = 8a), and not convex (f″ = −4a at π/2)
      expect(inst.hess!(Float64Array.of(0, 0, 0))[0]).toBe(8 * a);
      expect(inst.hess!(Float64Array.of(Math.PI / 2, 0, 0))[0]).toBeCloseTo(-4 * a, 12);
    }
  });
});

describe('quartic', () => {
  it('not globally smooth: the gradient-difference ratio grows like 12c r², bounded by localL on the box', () => {
    const inst = quartic.instantiate({ c: 1, x0: [3] });
    expect(inst.cert.L).toBeUndefined();
    for (const r of [1, 10, 100]) {
      const ratio = Math.abs(inst.grad([r])[0] - inst.grad([r * (1 - 1e-6)])[0]) / (r * 1e-6);
      expect(ratio).toBeLessThanOrEqual(quarticLocalL(1, r));
      expect(ratio).toBeGreaterThan(0.99 * quarticLocalL(1, r));
    }
  });

  it('GD with γ = 0.1 from x0 = 3 blows up within a few steps (a known counterexample)', () => {
    const inst = quartic.instantiate({ c: 1, x0: [3] });
    let x = inst.x0[0];
    const traj = [x];
    for (let k = 0; k < 5; k++) traj.push((x -= 0.1 * inst.grad([x])[0]));
    expect(Math.abs(traj[3])).toBeGreaterThan(1e3);
    expect(Math.abs(traj[5]) > 1e30 || !Number.isFinite(traj[5])).toBe(true);
  });
});

describe('lessard', () => {
  it('f is C¹ at the joins with slopes 25, 1, 25; constants μ = 1, L = 25', () => {
    for (const j of [1, 2]) {
      expect(rel(lessardValue(j - 1e-12), lessardValue(j))).toBeLessThan(1e-11);
      expect(rel(lessardGrad(j - 1e-12), lessardGrad(j))).toBeLessThan(1e-11);
    }
    expect([lessardValue(1), lessardGrad(1), lessardValue(2), lessardGrad(2)]).toEqual([12.5, 25, 38, 26]);
    const inst = lessard.instantiate({ x0: [3.3] });
    expect(inst.cert).toMatchObject({ L: 25, mu: 1, pl: 1, fstar: 0, convex: true });
    expect((lessardGrad(1.7) - lessardGrad(1.2)) / 0.5).toBeCloseTo(1, 12);
    expect((lessardGrad(5) - lessardGrad(3)) / 2).toBeCloseTo(25, 12);
  });

  it('heavy ball with α = 1/9, β = 4/9, x_{−1} = x0 = 3.3 settles into a 3-cycle and does not converge', () => {
    const inst = lessard.instantiate({ x0: [3.3] });
    const a = 1 / 9, b = 4 / 9;
    let xp = inst.x0[0], x = inst.x0[0];
    const xs = [x];
    for (let k = 0; k < 3000; k++) {
      const xn = x - a * inst.grad([x])[0] + b * (x - xp);
      xp = x;
      x = xn;
      xs.push(x);
    }
    const tail = xs.slice(-300);
    expect(Math.min(...tail.map((v) => inst.value([v])))).toBeGreaterThan(1); // far from f* = 0
    for (let k = xs.length - 30; k < xs.length; k++) expect(Math.abs(xs[k] - xs[k - 3])).toBeLessThan(1e-12);
    expect(Math.abs(xs[xs.length - 1] - xs[xs.length - 2])).toBeGreaterThan(1); // a genuine 3-cycle, not a fixed point
    // gradient descent with 1/L converges on the same function
    let g = 3.3;
    for (let k = 0; k < 2000; k++) g -= inst.grad([g])[0] / 25;
    expect(Math.abs(g)).toBeLessThan(1e-12);
  });

  it('the tf loss agrees with the pieces across the joins, value and gradient', () => {
    const xs = [-2, 0.5, 0.999, 1, 1.5, 1.999, 2, 2.5, 3.3];
    const insts = xs.map((v) => lessard.instantiate({ x0: [v] }));
    const loss = lessard.tfLoss(insts);
    const { v, g } = tf.tidy(() => {
      const x = tf.tensor2d(xs.map((t) => [t]));
      return { v: loss(x).dataSync().slice(), g: tf.grad((z: tf.Tensor) => loss(z as tf.Tensor2D).sum())(x).dataSync().slice() };
    });
    loss.dispose();
    xs.forEach((x, i) => {
      const xr = Math.fround(x);
      expect(Math.abs(v[i] - lessardValue(xr))).toBeLessThanOrEqual(1e-4 * (1 + lessardValue(xr)));
      expect(Math.abs(g[i] - lessardGrad(xr))).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(lessardGrad(xr))));
    });
  });
});

describe('relu-net', () => {
  const base = reluNetData({ seed: 11, p: 3, k: 4, n: 15, teacherWidth: 3, init: 'random', scale: 1 });
  const teacherTheta = (p: typeof base) => {
    const { k } = p;
    const W = Array.from({ length: k }, (_, j) => p.Wstar[j] ?? new Array(p.p).fill(0));
    const v = Array.from({ length: k }, (_, j) => p.vstar[j] ?? 0);
    return { W, v, theta: [...W.flat(), ...v] };
  };

  it('realisable: f = 0 exactly at the teacher (padded with a zero unit), invariant under permutations and rescalings', () => {
    const inst = reluNet.instantiate(base);
    expect(inst.cert).toMatchObject({ fstar: 0, convex: false });
    expect(inst.cert.L).toBeUndefined();
    expect(inst.nearestMinimiser(inst.x0)).toBeNull();
    const { W, v, theta } = teacherTheta(base);
    expect(inst.value(theta)).toBe(0);
    expect(norm(inst.grad(theta))).toBe(0);
    const perm = [2, 0, 3, 1];
    const thetaP = [...perm.flatMap((j) => W[j]), ...perm.map((j) => v[j])];
    expect(inst.value(thetaP)).toBe(0);
    const x = inst.x0;
    const c = [2, 0.5, 3, 0.25];
    const scaled = Float64Array.from(x, (t, i) => (i < 12 ? t * c[Math.floor(i / 3)] : t / c[i - 12]));
    expect(rel(inst.value(scaled), inst.value(x))).toBeLessThan(1e-13);
    // not convex: the midpoint of two minimisers (teacher and a permutation) is not a minimiser
    const mid = theta.map((t, i) => (t + thetaP[i]) / 2);
    expect(inst.value(mid)).toBeGreaterThan(1e-3);
  });

  it("relu'(0) := 0 in the float64 gradient and in tf: a dead unit (zero weights) gets no gradient", () => {
    const inst = reluNet.instantiate({ ...base, x0: [...new Array(12).fill(0), 1, 1, 1, 1] });
    expect(Array.from(inst.grad(inst.x0)).every((g) => g === 0)).toBe(true);
    const loss = reluNet.tfLoss([inst]);
    const g = tf.tidy(() => tf.grad((z: tf.Tensor) => loss(z as tf.Tensor2D).sum())(tf.tensor2d([Array.from(inst.x0)])).dataSync().slice());
    loss.dispose();
    expect(Array.from(g).every((v) => v === 0)).toBe(true);
  });

  it('one batched loss may mix shapes of the same dimension, (p, k) = (3, 2) and (1, 4), without mixing rows', () => {
    const a = reluNet.instantiate(reluNetData({ seed: 1, p: 3, k: 2, n: 10, teacherWidth: 2, init: 'random', scale: 1 }));
    const b = reluNet.instantiate(reluNetData({ seed: 2, p: 1, k: 4, n: 7, teacherWidth: 3, init: 'random', scale: 1 }));
    expect(a.dim).toBe(8);
    expect(b.dim).toBe(8);
    const insts = [b, a, b, a];
    const loss = reluNet.tfLoss(insts);
    const { v, g } = tf.tidy(() => {
      const x = tf.tensor2d(insts.map((i) => Array.from(i.x0)));
      return { v: loss(x).dataSync().slice(), g: tf.grad((z: tf.Tensor) => loss(z as tf.Tensor2D).sum())(x).dataSync().slice() };
    });
    loss.dispose();
    insts.forEach((inst, r) => {
      const xr = inst.x0.map(Math.fround);
      expect(rel(v[r], inst.value(xr))).toBeLessThan(1e-4);
      const ge = inst.grad(xr);
      expect(norm(g.subarray(r * 8, r * 8 + 8).map((t, i) => t - ge[i]))).toBeLessThan(1e-4 * (norm(ge) + inst.value(xr)));
    });
    checkMinibatch(reluNet, insts, (inst, j, th) => {
      const X = inst.data!.X as number[][], y = inst.data!.y as number[];
      const { p, k } = inst.params as { p: number; k: number };
      let s = 0;
      for (let u = 0; u < k; u++) s += th[k * p + u] * Math.max(0, dot(th.subarray(u * p, (u + 1) * p), X[j]));
      return 0.5 * (s - y[j]) ** 2;
    });
  });

  it('rejects shapes beyond the small network (p ≤ 3, k ≤ 4, n ≤ 20) and unrealisable teachers', () => {
    expect(() => reluNet.instantiate({ ...base, k: 5 })).toThrow(/k must be/);
    expect(() => reluNet.instantiate({ ...base, k: 2, x0: new Array(8).fill(0.1) })).toThrow(/teacher width/);
    expect(() => reluNet.arbitrary({ dim: 5 })).toThrow(/dimension 5/);
  });
});
