/**
 * Law checks: the fit and its interval, the verdict rules, and the lazy-training
 * law on real TensorFlow.js runs (small widths), both ways: the papers' claims
 * are consistent on several data seeds, planted wrong exponents and a planted
 * too-fast rate are inconsistent on the same runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../src/engine/backend.ts';
import { fitExponent } from '../src/laws/fit.ts';
import type { Claim, Estimate, LawResult } from '../src/laws/types.ts';
import { exponentVerdict } from '../src/laws/verdict.ts';
import { distillationCheck, distillationInstance } from '../src/laws/distillation/linearStudent.ts';
import { IDENTITY, LINEAR_NOT_ELASTIC, localElasticityCheck, NETWORK_ELASTIC } from '../src/laws/elasticity/localElasticity.ts';
import { KERNEL_CHANGE, lazyTrainingCheck, lazyTrainingRuns, lazyTrainingVerdict, WEIGHT_CHANGE } from '../src/laws/wide/lazyTraining.ts';
import { sphereData, trainWide } from '../src/laws/wide/twoLayer.ts';
import { VARIANCE_LIMITED, varianceLimitedCheck } from '../src/laws/scaling/varianceLimited.ts';
import { resolutionClaim, resolutionLimitedCheck } from '../src/laws/scaling/resolutionLimited.ts';
import { BEATS_TRUNCATION, lowRankDistillationRuns, lowRankDistillationVerdict, SAME_AS_LABELS } from '../src/laws/distillation/lowRankDistillation.ts';
import { boundVerdict, checkBoundAtSize, type BoundTrace } from '../src/laws/bound.ts';
import { makeRng } from '../src/numeric/rng.ts';
import { tf } from '../src/engine/backend.ts';
import { KAN_EXPONENT, kanCheck } from '../src/laws/kan/kanScaling.ts';
import { bsplineBasis, greville } from '../src/laws/kan/spline.ts';
import { HANG_MS } from './hang.ts';
import { mainHere } from './fixtures/main-here.ts';

const claim = (predicted: number, relation: Claim['relation'] = 'equal', tolerance = 0.1): Claim =>
  ({ id: 'c', relation, quantity: 'y against x', predicted, tolerance, source: 'test' });

/** Per-seed measurements y = 3 x^p · exp(noise), noise ~ N(0, sigma²) per point. */
function powerLaw(sizes: number[], p: number, seeds: number, sigma: number, seed: number): number[][] {
  const rng = makeRng(seed);
  return Array.from({ length: seeds }, () => sizes.map((x) => 3 * x ** p * Math.exp(sigma * rng.normal())));
}

describe('fitExponent', () => {
  const sizes = [16, 64, 256, 1024, 4096];

  it('recovers a planted exponent, and its interval covers it for most seeds (95 % nominal)', () => {
    let covered = 0;
    for (let s = 0; s < 200; s++) {
      const out = fitExponent(sizes, powerLaw(sizes, -0.5, 6, 0.05, s));
      if (!('fit' in out)) throw new Error(out.reason);
      if (out.fit.lo <= -0.5 && -0.5 <= out.fit.hi) covered++;
    }
    // 95 % coverage: 200 draws put the count in [180, 200] with probability > 0.999.
    expect(covered).toBeGreaterThanOrEqual(180);
  });

  it('is exact on noiseless data', () => {
    const out = fitExponent(sizes, powerLaw(sizes, -0.75, 3, 0, 1));
    if (!('fit' in out)) throw new Error(out.reason);
    expect(out.fit.mean).toBeCloseTo(-0.75, 12);
    expect(out.fit.hi - out.fit.lo).toBeLessThan(1e-12);
    expect(out.fit.intercept).toBeCloseTo(Math.log(3), 12);
  });

  it('refuses degenerate designs with the reason, never a fit', () => {
    const reason = (xs: number[], ys: number[][]) => { const o = fitExponent(xs, ys); return 'reason' in o ? o.reason : 'fitted'; };
    expect(reason([16, 64], powerLaw([16, 64], -0.5, 4, 0.05, 1))).toMatch(/2 distinct sizes.*at least 3/);
    expect(reason([16, 16, 16, 64], powerLaw([16, 16, 16, 64], -0.5, 4, 0.05, 1))).toMatch(/2 distinct sizes/);
    expect(reason([100, 120, 150], powerLaw([100, 120, 150], -0.5, 4, 0.05, 1))).toMatch(/span a factor 1\.50/);
    expect(reason(sizes, powerLaw(sizes, -0.5, 1, 0.05, 1))).toMatch(/1 seed: an interval over seeds needs at least 2/);
    const withZero = powerLaw(sizes, -0.5, 3, 0.05, 1);
    withZero[1][2] = 0;
    expect(reason(sizes, withZero)).toMatch(/seed 2 measured 0 at size 256/);
  });
});

describe('exponentVerdict', () => {
  const fit = (lo: number, hi: number): { fit: Estimate } =>
    ({ fit: { method: 'test', level: 0.95, sizes: [1, 2, 4], perSeed: [lo, hi], mean: (lo + hi) / 2, lo, hi, intercept: 0 } });

  it('equal: consistent inside the band, inconsistent outside it, inconclusive across its edge', () => {
    expect(exponentVerdict(claim(-0.5), fit(-0.55, -0.45)).verdict).toBe('consistent');
    expect(exponentVerdict(claim(-0.5), fit(-0.58, -0.52)).verdict).toBe('consistent'); // p outside the interval, inside the band
    expect(exponentVerdict(claim(-0.25), fit(-0.55, -0.45)).verdict).toBe('inconsistent');
    expect(exponentVerdict(claim(-1), fit(-0.55, -0.45)).verdict).toBe('inconsistent');
    const wide = exponentVerdict(claim(-0.5), fit(-0.9, -0.3));
    expect(wide.verdict).toBe('inconclusive');
    expect(wide.reason).toMatch(/more seeds/);
  });

  it('at-most: only the upper edge decides', () => {
    expect(exponentVerdict(claim(-0.5, 'at-most'), fit(-0.8, -0.7)).verdict).toBe('consistent');
    expect(exponentVerdict(claim(-1, 'at-most'), fit(-0.8, -0.7)).verdict).toBe('inconsistent');
    expect(exponentVerdict(claim(-0.75, 'at-most'), fit(-0.8, -0.6)).verdict).toBe('inconclusive');
  });

  it('passes a missing fit on as inconclusive with its reason', () => {
    expect(exponentVerdict(claim(-0.5), { reason: '2 distinct sizes' })).toEqual({ verdict: 'inconclusive', reason: '2 distinct sizes' });
  });
});

describe('lazy-training on real TensorFlow.js runs (small widths)', () => {
  const widths = [4, 16, 64, 256, 1024];
  const planted = { weight: { ...WEIGHT_CHANGE, predicted: -0.25 }, kernel: { ...KERNEL_CHANGE, predicted: -1 } };
  const runs: { seed: number; truth: LawResult; wrong: LawResult }[] = [];

  beforeAll(async () => {
    await initEngine();
    for (const seed of [0, 1, 2]) {
      // One training per data seed, judged twice: the claims and the rate take no part in the runs.
      const measured = await lazyTrainingRuns({ sizes: widths, seeds: 6, seed });
      runs.push({ seed, truth: lazyTrainingVerdict(measured), wrong: lazyTrainingVerdict(measured, { rateFactor: 4, claims: planted }) });
    }
  });

  it("the papers' statements are consistent on every data seed", () => {
    for (const { seed, truth } of runs) {
      expect(truth.statements.map((s) => [seed, s.id, s.verdict])).toEqual([
        [seed, 'weight-change', 'consistent'],
        [seed, 'ntk-change', 'consistent'],
        [seed, 'du-linear-convergence', 'consistent'],
      ]);
    }
  });

  it('planted wrong exponents and a rate four times too fast are inconsistent on the same seeds', () => {
    for (const { seed, wrong } of runs) {
      expect(wrong.statements.map((s) => [seed, s.id, s.verdict])).toEqual([
        [seed, 'weight-change', 'inconsistent'],
        [seed, 'ntk-change', 'inconsistent'],
        [seed, 'du-linear-convergence', 'inconsistent'],
      ]);
    }
  });

  it('the Du et al. bound fails visibly at width 4 and holds at the claimed widths', () => {
    for (const { truth } of runs) {
      const bySize = truth.statements[2].bySize!;
      const narrow = bySize.find((b) => b.size === 4)!;
      expect(narrow.holds).toBe(false);
      expect(narrow.worstRatio).toBeGreaterThan(2);
      expect(bySize.find((b) => b.size === 1024)!.holds).toBe(true);
    }
  });

  it('the fit uses the widths from 16 on, one slope per seed', () => {
    const fit = runs[0].truth.statements[0].fit!;
    expect(fit.sizes).toEqual([16, 64, 256, 1024]);
    expect(fit.perSeed).toHaveLength(6);
  });

  it('with too few widths or one seed the exponents are inconclusive, with the reason', async () => {
    const r = await lazyTrainingCheck({ sizes: [16, 64], seeds: 2, seed: 0 });
    expect(r.statements[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/2 distinct sizes/) });
    expect(r.statements[2]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/no width ≥ 1024/) });
    const one = await lazyTrainingCheck({ sizes: [16, 64, 256], seeds: 1, seed: 0 });
    expect(one.statements[1]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/1 seed/) });
  });
});

describe('boundlab law (command line)', () => {
  /** In this process (mainHere): none of these is about the process itself. */
  const run = (...args: string[]) => mainHere(['law', ...args]);

  it('exits 2 naming the option and its range for out-of-range widths and seeds, with JSON under --json', async () => {
    const w = await run('lazy-training', '--widths', '16,64,100000');
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/--widths takes whole numbers in \[2, 16384\].*'100000'/);
    const s = await run('lazy-training', '--seeds', '65', '--json');
    expect(s.code).toBe(2);
    expect(JSON.parse(s.out).error.message).toMatch(/--seeds must be in \[1, 64\]/);
    expect((await run('no-such-law')).code).toBe(2);
    expect((await run('lazy-training', '--grids', '4,8')).code).toBe(2);
  });

  it('lists the law checks and prints help', async () => {
    expect(JSON.parse((await run('--list', '--json')).out).laws.map((l: { id: string }) => l.id)).toContain('lazy-training');
    const h = await run('--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/usage: boundlab law ID/);
  });

  it('runs a small check: JSON on stdout, a page with the fit written, exit 0', async () => {
    const out = mkdtempSync(join(tmpdir(), 'boundlab-law-'));
    const r = await run('lazy-training', '--widths', '16,64,256,1024', '--seeds', '4', '--seed', '1', '--json', '--out', out);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.law).toBe('lazy-training');
    expect(j.statements.map((s: { id: string }) => s.id)).toEqual(['weight-change', 'ntk-change', 'du-linear-convergence']);
    const html = readFileSync(j.out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('interval, low end');
    expect(html).not.toContain('<script');
    rmSync(out, { recursive: true, force: true });
  });
});

describe('local-elasticity on real TensorFlow.js SGD steps', () => {
  const planted = {
    identity: { ...IDENTITY, predicted: 2 },
    network: { ...NETWORK_ELASTIC, relation: 'equal' as const, predicted: 0, tolerance: Math.log(1.25) },
    linear: { ...LINEAR_NOT_ELASTIC, relation: 'at-least' as const, predicted: Math.log(1.25), tolerance: 0 },
  };
  const runs: { seed: number; truth: LawResult; wrong: LawResult }[] = [];

  beforeAll(async () => {
    await initEngine();
    for (const seed of [0, 1, 2]) {
      runs.push({
        seed,
        truth: await localElasticityCheck({ seeds: 12, seed }),
        wrong: await localElasticityCheck({ seeds: 12, seed, claims: planted }),
      });
    }
  });

  it("He and Su's statements are consistent on every data seed", () => {
    for (const { seed, truth } of runs) {
      expect(truth.statements.map((s) => [seed, s.id, s.verdict])).toEqual([
        [seed, 'first-order-identity', 'consistent'],
        [seed, 'network-elastic', 'consistent'],
        [seed, 'linear-not-elastic', 'consistent'],
      ]);
    }
  });

  it('a second-order identity, a non-elastic network and an elastic linear model are inconsistent', () => {
    for (const { seed, wrong } of runs) {
      expect(wrong.statements.map((s) => [seed, s.id, s.verdict])).toEqual([
        [seed, 'first-order-identity', 'inconsistent'],
        [seed, 'network-elastic', 'inconsistent'],
        [seed, 'linear-not-elastic', 'inconsistent'],
      ]);
    }
  });

  it('a single step size cannot give an exponent: inconclusive with the reason', async () => {
    const r = await localElasticityCheck({ sizes: [1, 2], seeds: 3, seed: 0 });
    expect(r.statements[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/2 distinct sizes/) });
  });
});

describe('distillation on real TensorFlow.js gradient descent', () => {
  beforeAll(async () => { await initEngine(); });

  it('the student stays under the rate bound towards P w* and ends at P w* (float32 level) on every data seed', async () => {
    for (const seed of [0, 1, 2]) {
      const r = await distillationCheck({ seed, seeds: 4 });
      expect([seed, r.statements[0].verdict]).toEqual([seed, 'consistent']);
      for (const row of r.table.rows) expect(row.toProjection as number).toBeLessThan(1e-4);
    }
  });

  it('w* itself as the limit (the unprojected teacher) is inconsistent on every data seed', async () => {
    for (const seed of [0, 1, 2]) {
      const r = await distillationCheck({ seed, seeds: 4, plantTeacherAsLimit: true });
      expect([seed, r.statements[0].verdict]).toEqual([seed, 'inconsistent']);
    }
  });

  it('the projection is the least-norm point with the teacher logits: X ŵ = X w*, and ŵ lies in the span', () => {
    const inst = distillationInstance(6, 20, 0.5, 3);
    const z = (w: ArrayLike<number>) => Array.from({ length: 6 }, (_, i) => inst.X.data.subarray(i * 20, (i + 1) * 20).reduce((s, x, k) => s + x * w[k], 0));
    const [a, b] = [z(inst.projection), z(inst.teacher)];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));
    expect(inst.mu).toBeGreaterThan(0);
    expect(inst.mu).toBeLessThan(inst.L);
  });
});

describe('bounds along runs (bound.ts)', () => {
  const trace = (measured: number[], bound: number[], floor: number[], seed = 1): BoundTrace => ({ seed, measured, bound, floor });

  it('a step above the bound by more than its floor is a violation; within the floor it is not', () => {
    const within = checkBoundAtSize(8, [trace([1, 0.5, 0.26], [1, 0.5, 0.25], [0, 0, 0.02])]);
    expect(within).toMatchObject({ holds: true, checked: 2, unresolved: 0 });
    expect(within.worstRatio).toBeCloseTo(0.26 / 0.25, 12);
    const beyond = checkBoundAtSize(8, [trace([1, 0.5, 0.3], [1, 0.5, 0.25], [0, 0, 0.02], 7)]);
    expect(beyond).toMatchObject({ holds: false, firstViolation: { seed: 7, step: 2, measured: 0.3, bound: 0.25 } });
  });

  it('steps whose bound is below the floor are counted apart and left out of the worst ratio', () => {
    const r = checkBoundAtSize(8, [trace([1, 0.5, 1e-3], [1, 0.5, 1e-9], [0, 0, 1e-2])]);
    expect(r).toMatchObject({ holds: true, checked: 2, unresolved: 1, worstRatio: 1 });
    expect(boundVerdict([{ ...r, size: 8 }], 8, 'n').reason).toMatch(/1 of 2 steps had the bound below the rounding floor/);
  });

  it('sizes below the claimed one decide nothing; none at or above it is inconclusive', () => {
    const broken = checkBoundAtSize(4, [trace([1, 2], [1, 0.5], [0, 0])]);
    const fine = checkBoundAtSize(1024, [trace([1, 0.4], [1, 0.5], [0, 0])]);
    expect(boundVerdict([broken, fine], 1024, 'width').verdict).toBe('consistent');
    expect(boundVerdict([broken], 1024, 'width')).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/no width ≥ 1024/) });
    expect(boundVerdict([broken, { ...broken, size: 2048 }], 1024, 'width').verdict).toBe('inconsistent');
  });
});

describe('the lazy-training residual', () => {
  it('is the float64 residual of the float32 iterate, to within its rounding floor, at every width', async () => {
    await initEngine();
    const data = sphereData(12, 6, makeRng(3));
    for (const width of [4, 64, 1024]) {
      const run = trainWide(data, { width, seeds: [1, 2], steps: 5, eta: 0.5 });
      for (let s = 0; s < 2; s++) {
        const exact = exactResidual(data, run.WT[s], run.a[s], width);
        expect(Math.abs(run.residuals[s][5] - exact)).toBeLessThanOrEqual(run.floors[s][5]);
        expect(run.floors[s][5]).toBeLessThan(1e-9 * exact);
      }
    }
  });
});

/** ‖y − u‖² in float64 at weights W (m × d) and output signs a. */
function exactResidual(data: ReturnType<typeof sphereData>, W: Float64Array, a: Float64Array, m: number): number {
  let r = 0;
  for (let i = 0; i < data.n; i++) {
    let u = 0;
    for (let k = 0; k < m; k++) {
      let z = 0;
      for (let j = 0; j < data.d; j++) z += W[k * data.d + j] * data.X.data[i * data.d + j];
      if (z > 0) u += a[k] * z;
    }
    r += (u / Math.sqrt(m) - data.y[i]) ** 2;
  }
  return r;
}

describe('variance-limited scaling on real TensorFlow.js gradient descent', () => {
  it('the excess loss falls as 1/D on two data seeds; the resolution-limited −4/d = −2 planted in its place is inconsistent', async () => {
    await initEngine();
    for (const seed of [0, 1]) {
      const r = await varianceLimitedCheck({ seed, sizes: [512, 1024, 2048, 4096], seeds: 32 });
      expect([seed, r.statements[0].verdict]).toEqual([seed, 'consistent']);
      const fit = r.statements[0].fit!;
      expect([seed, exponentVerdict({ ...VARIANCE_LIMITED, predicted: -2 }, { fit }).verdict]).toEqual([seed, 'inconsistent']);
      expect([seed, exponentVerdict({ ...VARIANCE_LIMITED, predicted: -0.5 }, { fit }).verdict]).toEqual([seed, 'inconsistent']);
    }
  });
});

describe('KAN grid scaling on real TensorFlow.js training (small sizes)', () => {
  // Small: 600 training and 400 test points, 5 seeds, 15 steps per grid (the defaults are timed in bench/laws.ts).
  // Grids from 8: at 6 the local slope is still about −4.5 (the error approaches G^(−4) from above).
  const small = { sizes: [8, 12, 16, 20], seeds: 5, train: 600, test: 400, iterations: 15, mlpIterations: 10 };
  const runs: { seed: number; truth: LawResult }[] = [];

  beforeAll(async () => {
    await initEngine();
    for (const seed of [0, 1]) runs.push({ seed, truth: await kanCheck({ ...small, seed }) });
  }, HANG_MS);

  it('the cubic-spline exponent −4 is consistent on two data seeds', () => {
    for (const { seed, truth } of runs) expect([seed, truth.statements[0].verdict]).toEqual([seed, 'consistent']);
  });

  it("planted wrong exponents (Liu et al.'s mean-error line −3, and −2) are inconsistent on the same fits", () => {
    for (const { seed, truth } of runs) {
      const fit = truth.statements[0].fit!;
      expect([seed, exponentVerdict({ ...KAN_EXPONENT, predicted: -3 }, { fit }).verdict]).toEqual([seed, 'inconsistent']);
      expect([seed, exponentVerdict({ ...KAN_EXPONENT, predicted: -2 }, { fit }).verdict]).toEqual([seed, 'inconsistent']);
    }
  });

  it('the KAN is far below the MLP with as many parameters at the largest grid', () => {
    for (const { truth } of runs) {
      const last = truth.table.rows[truth.table.rows.length - 1];
      expect((last.mlpTest as number) / (last.kanTest as number)).toBeGreaterThan(10);
    }
  });

  it('two grids cannot give an exponent: inconclusive with the reason', async () => {
    const r = await kanCheck({ ...small, sizes: [8, 12], seeds: 2, seed: 0 });
    expect(r.statements[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/2 distinct sizes/) });
  }, HANG_MS);

  it('the B-spline basis sums to 1 and reproduces x (its Greville abscissae), slopes summing to 0', () => {
    const xs = [-1, -0.37, 0, 0.5, 0.999, 1];
    const { basis, slope } = bsplineBasis(tf.tensor3d(xs, [1, xs.length, 1]), tf.scalar(-1), tf.scalar(2 / 5), 5);
    const B = (basis.arraySync() as number[][][])[0], dB = (slope.arraySync() as number[][][])[0];
    const g = greville({ lo: -1, hi: 1, G: 5 });
    xs.forEach((x, i) => {
      expect(B[i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(B[i].reduce((a, b, j) => a + b * g[j], 0)).toBeCloseTo(x, 6);
      expect(dB[i].reduce((a, b) => a + b, 0)).toBeCloseTo(0, 5);
    });
  });

  it('exits 2 naming --grids and its range', async () => {
    for (const bad of ['2,4,8', '8,16,33']) {
      const r = await mainHere(['law', 'kan', '--grids', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--grids takes whole numbers in \[3, 32\]/);
    }
  });
});

describe('resolution-limited scaling on a 2-dimensional manifold (small sizes)', () => {
  // Small: P = 16, 32, 64 with 2048 training points (32 per unit at the largest), 16 seeds.
  const small = { sizes: [16, 32, 64], seeds: 16, train: 2048, test: 1024 };

  it('the exponent −4/d = −2 is consistent on two data seeds; the variance-limited −1 and d = 1\'s −4 planted in its place are inconsistent', async () => {
    await initEngine();
    for (const seed of [0, 1]) {
      const r = await resolutionLimitedCheck({ ...small, seed });
      expect([seed, r.statements[0].verdict]).toEqual([seed, 'consistent']);
      const fit = r.statements[0].fit!;
      expect([seed, exponentVerdict({ ...resolutionClaim(2), predicted: -1 }, { fit }).verdict]).toEqual([seed, 'inconsistent']);
      expect([seed, exponentVerdict(resolutionClaim(1), { fit }).verdict]).toEqual([seed, 'inconsistent']);
    }
  }, HANG_MS);

  it('two sizes or one seed: inconclusive with the reason', async () => {
    const two = await resolutionLimitedCheck({ ...small, sizes: [16, 32], seeds: 3, seed: 0 });
    expect(two.statements[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/2 distinct sizes/) });
    const one = await resolutionLimitedCheck({ ...small, seeds: 1, seed: 0 });
    expect(one.statements[0]).toMatchObject({ verdict: 'inconclusive', reason: expect.stringMatching(/1 seed/) });
  }, HANG_MS);

  it('exits 2 naming --features and its range', async () => {
    const r = await mainHere(['law', 'scaling-resolution', '--features', '16,32,1000']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--features takes whole numbers in \[2, 128\]/);
  });
});

describe('distillation into a low-rank student (small sizes)', () => {
  const small = { sizes: [1, 2], seeds: 8, steps: 400 };

  it('beats the truncated teacher and equals the label-trained student on two data seeds; the planted opposites are inconsistent', async () => {
    await initEngine();
    const planted = {
      truncation: { ...BEATS_TRUNCATION, relation: 'at-most' as const }, // "truncating is at least as good"
      labels: { ...SAME_AS_LABELS, relation: 'at-least' as const, predicted: Math.log(1.05), tolerance: 0 }, // "distilling wins by 5 %"
    };
    for (const seed of [0, 1]) {
      // One training per data seed, judged twice: the claims take no part in the runs.
      const measured = await lowRankDistillationRuns({ ...small, seed });
      const truth = lowRankDistillationVerdict(measured);
      expect(truth.statements.map((st) => [seed, st.id, st.verdict])).toEqual([[seed, 'distilled-beats-truncation', 'consistent'], [seed, 'distilled-equals-labels', 'consistent']]);
      // the two students end at the same model (same start, same steps, losses equal up to a constant)
      for (const row of truth.table.rows) expect(Math.abs((row.labels as number) / (row.distilled as number) - 1)).toBeLessThan(1e-3);
      const wrong = lowRankDistillationVerdict(measured, { claims: planted });
      expect(wrong.statements.map((st) => [seed, st.verdict])).toEqual([[seed, 'inconsistent'], [seed, 'inconsistent']]);
    }
  }, HANG_MS);

  it('exits 2 naming --ranks and its range', async () => {
    const r = await mainHere(['law', 'distillation-low-rank', '--ranks', '1,12']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ranks takes whole numbers in \[1, 11\]/);
  });
});
