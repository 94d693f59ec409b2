/**
 * The quantisers of src/optimizers/quantised against closed forms computed
 * here in float64 (Larq-style: outputs in {±1}, sign(0) = +1, zeros inserted
 * among random inputs, gradients of every straight-through estimator), and
 * the fact (Courbariaux et al. 2015) that stochastic binarisation is unbiased, with a planted
 * biased binariser that the same test must reject.
 * Tolerances: float32 results against float64 formulas of float32 inputs,
 * 1e-6 absolute plus 1e-5 relative unless said otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../src/engine/backend.ts';
import { makeRng } from '../src/numeric/rng.ts';
import {
  askewConstraint, askewDirection, askewK, binarisationRng, binarise, hardSigmoid, lossAfterBinarisation, proxQuant,
  rowUniforms, signPlusOne, stochasticBinarise,
} from '../src/optimizers/quantised/quantisers.ts';
import { ESTIMATORS, steGradient, steSign, type Estimator } from '../src/optimizers/quantised/ste.ts';
import { askewDirectionRef, clampTo, hardSigmoidRef, proxRef, sgnPlus, steClosedForm as closedForm } from './fixtures/quantised.ts';

const f32 = Math.fround;

beforeAll(async () => {
  await initEngine();
});

/** Random float32 values in [−3, 3] with exact zeros (±0) and ±1 inserted at random places. */
function withZeros(seed: number, n: number): number[] {
  const rng = makeRng(seed);
  const out = Array.from({ length: n }, () => f32(rng.uniform(-3, 3)));
  for (const special of [0, -0, 0, 1, -1, 0]) out.splice(rng.int(out.length + 1), 0, special);
  return out;
}

function expectClose(got: number, want: number, label: string, abs = 1e-6, rel = 1e-5) {
  if (!(Math.abs(got - want) <= abs + rel * Math.abs(want))) expect.fail(`${label}: got ${got}, want ${want}`);
}

describe('binarisation (BinaryConnect)', () => {
  it('sign⁺ is ±1 everywhere, +1 at 0 and −0 (tf.sign(0) is 0), NaN stays NaN', () => {
    const xs = withZeros(1, 200);
    const got = tf.tidy(() => Array.from(signPlusOne(tf.tensor1d(xs)).dataSync()));
    got.forEach((g, i) => expect(g, `x = ${xs[i]}`).toBe(sgnPlus(xs[i])));
    expect(xs.filter((x) => x === 0).length).toBeGreaterThanOrEqual(4);
    expect(tf.tidy(() => tf.sign(tf.scalar(0)).dataSync()[0])).toBe(0); // why sign⁺ exists
    expect(tf.tidy(() => Array.from(signPlusOne(tf.tensor1d([NaN, 2])).dataSync()))).toEqual([NaN, 1]);
  });

  it('hard sigmoid is clip((x + 1)/2, 0, 1)', () => {
    const xs = withZeros(2, 100);
    const got = tf.tidy(() => Array.from(hardSigmoid(tf.tensor1d(xs)).dataSync()));
    got.forEach((g, i) => expectClose(g, hardSigmoidRef(xs[i]), `x = ${xs[i]}`));
  });

  it('deterministic and stochastic binarisation land in {±H}, H per row; deterministic is H·sign⁺', () => {
    const H = [1, 0.25, 3];
    const rows = H.map((_, r) => withZeros(10 + r, 60));
    const d = rows[0].length;
    const u = rowUniforms(H.map((_, r) => binarisationRng(5, r)), d);
    const [det, sto] = tf.tidy(() => {
      const w = tf.tensor2d(rows.map((row, r) => row.map((v) => v * H[r])));
      const Hc = tf.tensor2d(H, [H.length, 1]);
      return [binarise(w, Hc).arraySync(), stochasticBinarise(w, Hc, tf.tensor2d(u, [H.length, d])).arraySync()];
    });
    rows.forEach((row, r) =>
      row.forEach((v, j) => {
        expect(det[r][j]).toBe(f32(H[r]) * sgnPlus(v));
        expect([f32(H[r]), -f32(H[r])]).toContain(sto[r][j]);
      }),
    );
  });

  it('stochastic binarisation takes +H exactly when u < σ(w/H); the uniforms are on the 2^−24 grid in [0, 1)', () => {
    const rngs = [binarisationRng(3, 0), binarisationRng(3, 7)];
    const d = 500;
    const u = rowUniforms(rngs, d);
    expect(u.every((v) => v >= 0 && v < 1 && Number.isInteger(v * 2 ** 24))).toBe(true);
    const w = Array.from({ length: 2 * d }, (_, i) => f32(Math.sin(i) * 1.2)); // some |w| > H = 1
    const got = tf.tidy(() => Array.from(stochasticBinarise(tf.tensor2d(w, [2, d]), 1, tf.tensor2d(u, [2, d])).dataSync()));
    got.forEach((g, i) => expect(g, `w = ${w[i]}, u = ${u[i]}`).toBe(u[i] < hardSigmoidRef(w[i]) ? 1 : -1));
    // The streams are per row: row 7's stream is not row 0's.
    expect(Array.from(u.subarray(0, 10))).not.toEqual(Array.from(u.subarray(d, d + 10)));
  });

  it('the loss after binarisation of a full-precision iterate is f(H·sign⁺ x)', () => {
    const x = [[0.3, -0, -2], [0, 0.1, -0.1]];
    const target = [[1, 2, 3], [-1, 0.5, 0]];
    const H = [2, 1];
    const got = tf.tidy(() => {
      const b = tf.tensor2d(target);
      const loss = (z: tf.Tensor2D) => tf.sum(tf.square(tf.sub(z, b)), 1) as tf.Tensor1D;
      return Array.from(lossAfterBinarisation(loss, tf.tensor2d(x), tf.tensor2d(H, [2, 1])).dataSync());
    });
    got.forEach((g, r) => expect(g).toBe(x[r].reduce((s, v, j) => s + (H[r] * sgnPlus(v) - target[r][j]) ** 2, 0)));
  });
});

describe('stochastic binarisation is unbiased: E[w_b | w] = w for |w| ≤ H', () => {
  const N = 20_000;
  const Z = 5; // the confidence interval: 5 standard errors of the Bernoulli mean
  const cases = [
    { H: 1, w: [-1, -0.7, -0.3, 0, 0.3, 0.7, 1] },
    { H: 2, w: [-2, -1.5, 0.5, 1.9] },
  ].flatMap(({ H, w }) => w.map((v) => ({ H, w: v })));
  type Binariser = (w: tf.Tensor2D, H: tf.Tensor2D, u: tf.Tensor2D) => tf.Tensor2D;

  /** N draws at each case's w (one row per case, the row's own stream); the empirical means. */
  function means(binarise: Binariser): number[] {
    const u = rowUniforms(cases.map((_, r) => binarisationRng(17, r)), N);
    return tf.tidy(() => {
      const w = tf.tile(tf.tensor2d(cases.map((c) => c.w), [cases.length, 1]), [1, N]) as tf.Tensor2D;
      const H = tf.tensor2d(cases.map((c) => c.H), [cases.length, 1]);
      return Array.from(tf.mean(binarise(w, H, tf.tensor2d(u, [cases.length, N])), 1).dataSync());
    });
  }

  /**
   * |mean − w| ≤ Z·SE with SE = 2H·√(p̂(1 − p̂)/N) the standard error of a mean of
   * N draws of ±H with P(+H) = p̂, p̂ = (mean/H + 1)/2 estimated from the draws
   * (so the test does not assume the binariser's own probability).
   */
  function consistentWithUnbiased(mean: number, w: number, H: number): boolean {
    const p = clampTo((mean / H + 1) / 2, 0, 1);
    const se = 2 * H * Math.sqrt((p * (1 - p)) / N);
    return Math.abs(mean - w) <= Z * se;
  }

  it('holds within 5 standard errors at every w (exactly at w = ±H, where the draw is certain)', () => {
    const m = means((w, H, u) => stochasticBinarise(w, H, u));
    cases.forEach((c, r) => {
      expect(consistentWithUnbiased(m[r], c.w, c.H), `H = ${c.H}, w = ${c.w}: mean ${m[r]}`).toBe(true);
      if (Math.abs(c.w) === c.H) expect(m[r]).toBe(c.w);
    });
  });

  it('rejects a planted biased binariser (P(+H) = logistic(w/H) instead of the hard sigmoid) wherever its bias is real', () => {
    const planted: Binariser = (w, H, u) => tf.mul(H, tf.sub(tf.mul(tf.cast(tf.less(u, tf.sigmoid(tf.div(w, H))), 'float32'), 2), 1));
    const m = means(planted);
    let rejected = 0;
    cases.forEach((c, r) => {
      // E = H(2·logistic(w/H) − 1) = H·tanh(w/2H): equal to w only at w = 0.
      const bias = Math.abs(c.H * Math.tanh(c.w / (2 * c.H)) - c.w);
      if (c.w === 0) expect(consistentWithUnbiased(m[r], c.w, c.H)).toBe(true);
      else {
        expect(bias).toBeGreaterThan(0.02);
        expect(consistentWithUnbiased(m[r], c.w, c.H), `H = ${c.H}, w = ${c.w}: mean ${m[r]}, bias ${bias}`).toBe(false);
        rejected++;
      }
    });
    expect(rejected).toBe(cases.length - 1);
  });
});

describe('straight-through estimators', () => {
  // A grid through [−3, 3] (0, ±1 and ±0.5 on it), points just inside and outside ±1, far out, and random ones with zeros.
  const points = [
    ...Array.from({ length: 121 }, (_, i) => -3 + i / 20),
    f32(1 - 2 ** -20), f32(-1 + 2 ** -20), f32(1 + 2 ** -20), f32(-1 - 2 ** -20), -0, 25, -40,
    ...withZeros(3, 60),
  ].map(f32);

  it('forward is sign⁺ for every estimator', () => {
    for (const e of ESTIMATORS) {
      const got = tf.tidy(() => Array.from(steSign(e)(tf.tensor1d(points)).dataSync()));
      got.forEach((g, i) => expect(g, `${e} at ${points[i]}`).toBe(sgnPlus(points[i])));
    }
  });

  it('tf.grad through the customGrad is the closed form (times the upstream gradient), incl. 0, ±1 and |x| > 1', () => {
    const upstream = points.map((_, i) => f32(0.5 + (i % 7) / 3));
    for (const e of ESTIMATORS)
      for (const beta of [5, 2]) {
        const got = tf.tidy(() => {
          const c = tf.tensor1d(upstream);
          const q = steSign(e, beta);
          return Array.from(tf.grad((x) => tf.sum(tf.mul(c, q(x))))(tf.tensor1d(points)).dataSync());
        });
        got.forEach((g, i) => expectClose(g, upstream[i] * closedForm[e](points[i], beta), `${e} β=${beta} at ${points[i]}`));
      }
    // The edge cases the estimators differ on, exactly.
    const at = (e: Estimator, x: number) => tf.tidy(() => tf.grad((z) => tf.sum(steSign(e)(z)))(tf.tensor1d([x])).dataSync()[0]);
    expect([at('clipped', 1), at('clipped', -1), at('clipped', f32(1 + 2 ** -20))]).toEqual([1, 1, 0]);
    expect([at('approxsign', 0), at('approxsign', 1), at('approxsign', -1.5)]).toEqual([2, 0, 0]);
    expect(at('swishsign', 0)).toBe(5); // β·2/2
  });

  it('a per-row β column reaches the backward pass', () => {
    const beta = [1, 5, 9];
    const x = [[0.1, -0.4], [0.1, -0.4], [0.1, -0.4]];
    const got = tf.tidy(() => {
      const q = steSign('swishsign', tf.tensor2d(beta, [3, 1]));
      return tf.grad((z) => tf.sum(q(z)))(tf.tensor2d(x)).arraySync() as number[][];
    });
    got.forEach((row, r) => row.forEach((g, j) => expectClose(g, closedForm.swishsign(f32(x[r][j]), beta[r]), `row ${r}`)));
    expect(tf.tidy(() => steGradient('swishsign', tf.scalar(0), 3).dataSync()[0])).toBe(3);
  });

  it("SwishSign's backward is the derivative of 2σ(βx)(1 + βx(1 − σ(βx))) − 1 (central differences, float64)", () => {
    const sigma = (z: number) => 1 / (1 + Math.exp(-z));
    for (const beta of [5, 1.5]) {
      const SS = (x: number) => 2 * sigma(beta * x) * (1 + beta * x * (1 - sigma(beta * x))) - 1;
      for (let x = -3; x <= 3; x += 0.01) {
        const h = 1e-5;
        const fd = (SS(x + h) - SS(x - h)) / (2 * h);
        expect(Math.abs(fd - closedForm.swishsign(x, beta)), `β = ${beta}, x = ${x}`).toBeLessThan(1e-7 * Math.max(1, beta ** 2));
      }
    }
  });
});

describe('ProxQuant prox (binary regulariser)', () => {
  it('moves |θ| toward 1 by λ and stops at 1: |θ| < 1, > 1, = 1, λ beyond the distance, θ = 0', () => {
    const thetas = [0.3, -0.3, 0.95, -0.95, 1.7, -1.7, 1.02, -1.02, 1, -1, 0, -0, 3, ...withZeros(4, 20)].map(f32);
    const lambdas = [0, 0.01, 0.1, 0.5, 2];
    const got = tf.tidy(() => proxQuant(tf.tensor2d(lambdas.map(() => thetas)), tf.tensor2d(lambdas, [lambdas.length, 1])).arraySync());
    const cases = { inside: 0, outside: 0, onTheSet: 0, snapped: 0 };
    lambdas.forEach((lambda, r) =>
      thetas.forEach((t, j) => {
        const want = proxRef(t, f32(lambda));
        expectClose(got[r][j], want, `θ = ${t}, λ = ${lambda}`);
        const dist = Math.abs(Math.abs(t) - 1);
        if (dist === 0) cases.onTheSet++;
        else if (lambda >= dist) {
          cases.snapped++;
          expect(got[r][j]).toBe(sgnPlus(t)); // λ larger than the distance: exactly ±1
        } else if (Math.abs(t) < 1) cases.inside++;
        else cases.outside++;
        // Never further from sign⁺(θ) than θ was, and never past it.
        expect(Math.abs(got[r][j] - sgnPlus(t))).toBeLessThanOrEqual(Math.abs(t - sgnPlus(t)) + 1e-6);
      }),
    );
    expect(Math.min(...Object.values(cases))).toBeGreaterThan(0);
    // θ = 0 with λ < 1 goes to +λ (a minimiser of ½(z − 0)² + λR(z)); tf.sign(0) = 0 would leave 0.
    expect(got[2][thetas.indexOf(0)]).toBeCloseTo(0.1, 7);
  });

  it('is the prox: it minimises ½(z − θ)² + λ·min(|z − 1|, |z + 1|) over a fine grid', () => {
    const R = (z: number) => Math.min(Math.abs(z - 1), Math.abs(z + 1));
    for (const [t, lambda] of [[0.3, 0.1], [1.7, 0.2], [-0.6, 0.5], [2.5, 3], [0.05, 0.02], [-1, 0.3]]) {
      const p = proxRef(t, lambda);
      const obj = (z: number) => 0.5 * (z - t) ** 2 + lambda * R(z);
      let best = Infinity;
      for (let z = -4; z <= 4; z += 1e-4) best = Math.min(best, obj(z));
      expect(obj(p), `θ = ${t}, λ = ${lambda}`).toBeLessThanOrEqual(best + 1e-9);
    }
  });
});

describe('ASkewSGD pieces', () => {
  it('c_ε(w) = ε − (w² − 1)² and K = αc/(4w(w² − 1)); c ≥ 0 exactly on the intervals around ±1', () => {
    const ws = [-1.3, -1, -0.9, -0.5, -0.1, 0.1, 0.5, 0.9, 0.99, 1, 1.2].map(f32);
    const [eps, alpha] = [0.05, 0.7];
    const [c, K] = tf.tidy(() => {
      const w = tf.tensor1d(ws);
      return [Array.from(askewConstraint(w, eps).dataSync()), Array.from(askewK(w, eps, alpha).dataSync())];
    });
    ws.forEach((w, i) => {
      const cRef = f32(eps) - (w * w - 1) ** 2;
      expectClose(c[i], cRef, `c at ${w}`);
      expect(c[i] >= 0, `w = ${w}`).toBe(Math.abs(w * w - 1) <= Math.sqrt(eps));
      if (Math.abs(w) !== 1) expectClose(K[i], (f32(alpha) * cRef) / (4 * w * (w * w - 1)), `K at ${w}`);
    });
  });

  it('the direction is −ĝ inside the constraint, at w = 0, or when −ĝ beats K; otherwise K', () => {
    const [eps, alpha] = [0.01, 1];
    // (w, ĝ): inside (c ≥ 0); w = 0; outside with −ĝ past K; outside with K; the same two mirrored at w < 0.
    const cases: [number, number, string][] = [
      [0.98, 0.5, 'inside'], [0, 0.3, 'zero'], [0.5, -1, 'descent beats K'], [0.5, 0.2, 'K'],
      [-0.5, 1, 'descent beats K'], [-0.5, -0.8, 'K'], [-1.01, 0.1, 'inside'],
    ];
    const s = tf.tidy(() => Array.from(askewDirection(tf.tensor1d(cases.map((c) => c[0])), tf.tensor1d(cases.map((c) => c[1])), eps, alpha).dataSync()));
    cases.forEach(([w, g, branch], i) => {
      const ref = askewDirectionRef(f32(w), f32(g), eps, alpha);
      expect(ref.branch, `case ${i}`).toBe(branch);
      expectClose(s[i], ref.s, `case ${i} (${branch})`);
    });
  });
});
