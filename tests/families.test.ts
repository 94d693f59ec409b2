/**
 * Generic checks of every family in FAMILIES, on random instances (fast-check,
 * fixed seed; FC_SEED overrides it, and fast-check prints the seed and path of
 * any failure so it replays).
 *
 * Tolerances, and why:
 * - float64 oracle checks: errF / errG below are 1e-13 (≈ 450 eps64) times the
 *   magnitude of the terms a value or gradient is computed from — |f(x)|, |f*|,
 *   |f(0)| (the data's size), ‖∇f‖·r and L·r² with r = ‖x‖ + ‖x̂‖ (x̂ the nearest
 *   minimiser, or 0) — the standard forward-error bound of sums of such terms.
 * - finite differences: for an L-smooth f the central difference is within
 *   L·h/2 of the directional derivative (exactly, from the descent lemma), plus
 *   the roundoff errF/h; for families without L a relative 1e-6 (truncation
 *   O(h²) with h = 1e-6·r), and a point where differences with h and h/4 disagree
 *   is a kink (ReLU) and skipped (counted, must stay rare).
 * - TensorFlow.js (float32, eps32 ≈ 6e-8): 1e-4 times the same magnitudes
 *   (≈ 1700 eps32, for sums of up to 40 terms and data rounded to float32),
 *   comparing with the float64 oracle at the float32-rounded point, plus 1e-30
 *   absolute (the wasm backend flushes float32 subnormals to zero).
 * The worst observed error/tolerance ratios are printed per family.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../src/engine/backend.ts';
import { belongsTo, CLASS_NAMES, FAMILIES, type BatchedLoss, type Family, type Instance } from '../src/classes/index.ts';
import { makeRng, type Rng } from '../src/numeric/rng.ts';
import { dot, norm, symEig, type Mat } from '../src/numeric/linalg.ts';

const SEED = Number(process.env.FC_SEED ?? 20250611);
const RUNS = 60;
const TF_RUNS = 50;
const DEFAULT_DIMS = [1, 2, 3, 5, 8];

beforeAll(async () => {
  await initEngine();
});

type Spec = { dim: number; params: Record<string, unknown> };

const dimsOf = (f: Family) => f.dims ?? DEFAULT_DIMS;
const specArb = (f: Family): fc.Arbitrary<Spec> =>
  fc.constantFrom(...dimsOf(f)).chain((dim) => f.arbitrary({ dim }).map((params) => ({ dim, params })));
/** 1–4 instances of one dimension, for batched losses. */
const batchArb = (f: Family): fc.Arbitrary<Spec[]> =>
  fc.constantFrom(...dimsOf(f)).chain((dim) =>
    fc.array(f.arbitrary({ dim }).map((params) => ({ dim, params })), { minLength: 1, maxLength: 4 }),
  );

const EPS_REL = 1e-13;
const F32_REL = 1e-4;
/** float32 underflow: the wasm backend flushes subnormals (< 1.2e-38) to zero, and squares of values below 1e-19 are subnormal. */
const F32_TINY = 1e-30;

function unit(rng: Rng, d: number): Float64Array {
  for (;;) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    const n = norm(v);
    if (n > 1e-6) return v.map((x) => x / n);
  }
}
const addScaled = (a: ArrayLike<number>, s: number, b: ArrayLike<number>) => Float64Array.from(a, (v, i) => v + s * b[i]);
const fround = (x: ArrayLike<number>) => Float64Array.from(x, Math.fround);

/** The minimiser used for scales and sampling: nearest to x, else 0. */
function anchor(inst: Instance, x: ArrayLike<number>): Float64Array {
  return inst.nearestMinimiser(x) ?? new Float64Array(inst.dim);
}

/** Points near the minimiser at several distances, far away, and the start. */
function samplePoints(inst: Instance, rng: Rng): Float64Array[] {
  const c = anchor(inst, inst.x0);
  const R = Math.max(norm(inst.x0.map((v, i) => v - c[i])), 1e-2);
  const pts = [Float64Array.from(inst.x0)];
  // radii jittered so that sample points do not land exactly on kinks placed at round values
  for (const r of [1e-3, 0.1, 1, 3]) pts.push(addScaled(c, r * R * (0.5 + rng.next()), unit(rng, inst.dim)));
  pts.push(addScaled(c, 10 * (R + norm(c)), unit(rng, inst.dim)));
  pts.push(Float64Array.from({ length: inst.dim }, () => rng.normal() * (1 + norm(inst.x0))));
  return pts;
}

/** Magnitudes of the terms a value / gradient at x is computed from (see the header). */
function scales(inst: Instance, x: ArrayLike<number>) {
  const xh = anchor(inst, x);
  const r = norm(x) + norm(xh);
  const L = inst.cert.L ?? 0;
  const zero = new Float64Array(inst.dim);
  const f = inst.value(x), g = norm(inst.grad(x)), f0 = inst.value(zero), g0 = norm(inst.grad(zero));
  const fs = Math.abs(inst.cert.fstar);
  const sf = Math.abs(f) + fs + Math.abs(f0) + g * r + L * r * r;
  const sg = g + g0 + L * r + Math.sqrt(L * (Math.abs(f0) + Math.abs(f))) + (r > 0 ? (Math.abs(f) + Math.abs(f0)) / r : 0);
  return { sf, sg, r };
}

const worst = new Map<string, Map<string, number>>();
function track(family: string, check: string, err: number, tol: number) {
  const m = worst.get(family) ?? new Map<string, number>();
  worst.set(family, m);
  const ratio = tol > 0 ? err / tol : err > 0 ? Infinity : 0;
  m.set(check, Math.max(m.get(check) ?? 0, ratio));
  return ratio;
}
/** Assert err ≤ tol with a message naming the check and the numbers. */
function within(family: string, check: string, err: number, tol: number, ctx = '') {
  const ratio = track(family, check, err, tol);
  if (!(ratio <= 1)) throw new Error(`${family}: ${check} failed: error ${err} > tolerance ${tol} ${ctx}`);
}

function eigSym(h: Float64Array, d: number) {
  const m: Mat = { rows: d, cols: d, data: h };
  return symEig(m);
}

function directionalFD(inst: Instance, x: Float64Array, e: Float64Array, h: number): number {
  return (inst.value(addScaled(x, h, e)) - inst.value(addScaled(x, -h, e))) / (2 * h);
}

describe.each(FAMILIES.map((f) => [f.id, f] as const))('family %s', (id, family) => {
  it('is registered with a unique id and well-formed metadata', () => {
    expect(FAMILIES.filter((f) => f.id === id)).toHaveLength(1);
    expect(family.title.length).toBeGreaterThan(0);
    expect(family.description.length).toBeGreaterThan(0);
    for (const c of family.classes) expect(CLASS_NAMES).toContain(c);
    expect(typeof family.tfMinibatchLoss === 'function').toBe(typeof family.samples === 'function');
  });

  it('certificates match the family classes, params replay exactly from JSON, x0 is in params', () => {
    fc.assert(
      fc.property(specArb(family), ({ dim, params }) => {
        const inst = family.instantiate(params);
        expect(inst.family).toBe(id);
        expect(inst.dim).toBe(dim);
        expect(Array.from(params.x0 as number[])).toEqual(Array.from(inst.x0));
        for (const c of CLASS_NAMES) expect([c, belongsTo(inst.cert, c)]).toEqual([c, family.classes.includes(c)]);
        const again = family.instantiate(JSON.parse(JSON.stringify(params)));
        expect(again.cert).toEqual(inst.cert);
        expect(again.value(inst.x0)).toBe(inst.value(inst.x0));
        expect(Array.from(again.grad(inst.x0))).toEqual(Array.from(inst.grad(inst.x0)));
        if (inst.cert.mu !== undefined) expect(inst.cert.mu).toBeGreaterThan(0);
        if (inst.cert.pl !== undefined) expect(inst.cert.pl).toBeGreaterThan(0);
        if (inst.cert.mu !== undefined && inst.cert.L !== undefined) expect(inst.cert.mu).toBeLessThanOrEqual(inst.cert.L);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('float64 oracle: gradient vs finite differences, Hessian vs differences of the gradient', () => {
    let kinks = 0, total = 0;
    fc.assert(
      fc.property(specArb(family), seedArbT(), ({ params }, pseed) => {
        const inst = family.instantiate(params);
        const rng = makeRng(pseed);
        const L = inst.cert.L;
        for (const x of samplePoints(inst, rng)) {
          const { r } = scales(inst, x);
          const h = 1e-6 * Math.max(r, 1e-3);
          const g = inst.grad(x);
          const gn = norm(g);
          const errF = EPS_REL * scales(inst, x).sf;
          for (let k = 0; k < Math.min(inst.dim, 4) + 1; k++) {
            // coordinate directions, then a random one
            const e = k < Math.min(inst.dim, 4) ? Float64Array.from({ length: inst.dim }, (_, j) => (j === k ? 1 : 0)) : unit(rng, inst.dim);
            const fd = directionalFD(inst, x, e, h);
            const exact = dot(g, e);
            total++;
            if (L !== undefined) {
              within(id, 'gradient vs FD', Math.abs(fd - exact), (L * h) / 2 + (2 * errF) / h + 1e-9 * gn);
            } else {
              const tol = 1e-6 * gn + (2 * errF) / h;
              if (Math.abs(fd - exact) <= tol) { track(id, 'gradient vs FD', Math.abs(fd - exact), tol); continue; }
              const fd4 = directionalFD(inst, x, e, h / 4);
              if (Math.abs(fd - fd4) > tol) { kinks++; continue; } // a kink within h: not differentiable here
              within(id, 'gradient vs FD', Math.abs(fd - exact), tol, `at ${Array.from(x)}`);
            }
          }
          if (inst.hess) {
            const H = inst.hess(x);
            const d = inst.dim;
            for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) expect(H[a * d + b]).toBe(H[b * d + a]);
            const e = unit(rng, d);
            const hd = addScaled(inst.grad(addScaled(x, h, e)), -1, inst.grad(addScaled(x, -h, e))).map((v) => v / (2 * h));
            const He = Float64Array.from({ length: d }, (_, a) => dot(H.subarray(a * d, (a + 1) * d), e));
            const err = norm(addScaled(hd, -1, He));
            const { sg } = scales(inst, x);
            const tol = 1e-6 * (norm(He) + (L ?? 0)) + (2 * EPS_REL * sg) / h;
            if (err > tol) {
              // piecewise-quadratic families (Huber, Lessard) have jumps of f″: skip if one lies
              // within h of x (or at x), seen as forward and backward differences that disagree
              const g0 = inst.grad(x);
              const fwd = addScaled(inst.grad(addScaled(x, h, e)), -1, g0);
              const bwd = addScaled(g0, -1, inst.grad(addScaled(x, -h, e)));
              if (norm(addScaled(fwd, -1, bwd)) / h > 10 * tol) { kinks++; continue; }
            }
            within(id, 'Hessian vs gradient differences', err, tol);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // kinks are measure-zero: only a few random points may land within h of one
    track(id, 'kink skips / checks', kinks, total);
    expect(kinks).toBeLessThanOrEqual(Math.max(2, 0.02 * total));
  });

  it('float64 oracle: f ≥ f*, f(x*) = f*, ∇f(x*) = 0, nearestMinimiser is the nearest', () => {
    fc.assert(
      fc.property(specArb(family), seedArbT(), ({ params }, pseed) => {
        const inst = family.instantiate(params);
        const pts = samplePoints(inst, makeRng(pseed));
        const fstar = inst.cert.fstar;
        expect(Number.isFinite(fstar)).toBe(true);
        for (const x of pts) {
          const { sf } = scales(inst, x);
          within(id, 'f ≥ f*', Math.max(0, fstar - inst.value(x)), EPS_REL * sf);
          const xs = inst.nearestMinimiser(x);
          if (!xs) continue;
          const s = scales(inst, xs);
          within(id, 'f(x*) = f*', Math.abs(inst.value(xs) - fstar), EPS_REL * s.sf);
          within(id, '∇f(x*) = 0', norm(inst.grad(xs)), EPS_REL * s.sg);
          // the projection: no other minimiser we know of is nearer, and it is idempotent
          const dx = norm(addScaled(x, -1, xs));
          for (const y of pts) {
            const ys = inst.nearestMinimiser(y)!;
            within(id, 'nearest minimiser', Math.max(0, dx - norm(addScaled(x, -1, ys))), 1e-9 * (dx + norm(x) + norm(ys)));
          }
          within(id, 'nearest minimiser', norm(addScaled(inst.nearestMinimiser(xs)!, -1, xs)), 1e-9 * (norm(xs) + 1e-300));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('float64 oracle: L never exceeded, mu and pl never undercut, convexity where claimed', () => {
    fc.assert(
      fc.property(specArb(family), seedArbT(), ({ params }, pseed) => {
        const inst = family.instantiate(params);
        const rng = makeRng(pseed);
        const { L, mu, pl, fstar, convex } = { ...inst.cert, convex: inst.cert.convex };
        const pts = samplePoints(inst, rng);
        // pairs: all pairs of sample points, plus close pairs (x, x + t·u)
        const pairs: [Float64Array, Float64Array][] = [];
        for (let a = 0; a < pts.length; a++) for (let b = a + 1; b < pts.length; b++) pairs.push([pts[a], pts[b]]);
        for (const x of pts) for (const t of [1e-4, 1e-2]) pairs.push([x, addScaled(x, t * Math.max(1e-3, norm(x)), unit(rng, inst.dim))]);
        // along the Hessian's extreme eigenvectors (exact for quadratics, local otherwise)
        if (inst.hess) {
          const { vectors } = eigSym(inst.hess(pts[0]), inst.dim);
          const d = inst.dim;
          for (const k of [0, d - 1]) {
            const v = Float64Array.from({ length: d }, (_, i) => vectors.data[i * d + k]);
            for (const x of pts.slice(0, 3)) pairs.push([x, addScaled(x, 1e-3 * Math.max(1, norm(x)), v)]);
          }
        }
        for (const [x, y] of pairs) {
          const gx = inst.grad(x), gy = inst.grad(y);
          const dxy = norm(addScaled(x, -1, y));
          if (dxy === 0) continue;
          const eg = EPS_REL * (scales(inst, x).sg + scales(inst, y).sg);
          const dg = addScaled(gx, -1, gy);
          if (L !== undefined) within(id, 'L not exceeded', Math.max(0, norm(dg) - L * dxy), eg);
          if (mu !== undefined)
            within(id, 'mu not undercut', Math.max(0, mu * dxy * dxy - dot(dg, addScaled(x, -1, y))), eg * dxy);
          if (convex) {
            const m = addScaled(x, 0.5, addScaled(y, -1, x));
            const ef = EPS_REL * (scales(inst, x).sf + scales(inst, y).sf + scales(inst, m).sf);
            const gap = inst.value(m) - (inst.value(x) + inst.value(y)) / 2 + (mu ? (mu / 8) * dxy * dxy : 0);
            within(id, 'convexity at midpoints', Math.max(0, gap), ef);
          }
        }
        if (pl !== undefined)
          for (const x of [...pts, ...pairs.map((p) => p[1])]) {
            const g = inst.grad(x);
            const s = scales(inst, x);
            const gap = pl * (inst.value(x) - fstar) - 0.5 * dot(g, g);
            within(id, 'pl not undercut', Math.max(0, gap), pl * EPS_REL * s.sf + norm(g) * EPS_REL * s.sg);
          }
        if (inst.hess && L !== undefined)
          for (const x of pts) {
            const { values } = eigSym(inst.hess(x), inst.dim);
            const d = inst.dim;
            within(id, 'Hessian within [−L, L]', Math.max(0, Math.abs(values[d - 1]) - L, Math.abs(values[0]) - L), 1e-12 * L);
            if (mu !== undefined) within(id, 'Hessian ⪰ mu', Math.max(0, mu - values[0]), 1e-12 * L);
          }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('quadratic certificates are tight: L (and mu / pl) attained along the extreme eigenvectors', () => {
    let checked = 0;
    fc.assert(
      fc.property(specArb(family), ({ params }) => {
        const inst = family.instantiate(params);
        if (!inst.cert.quadratic) return;
        expect(inst.hess).toBeDefined();
        const d = inst.dim;
        const { values, vectors } = eigSym(inst.hess!(inst.x0), d);
        const L = inst.cert.L!;
        const col = (k: number) => Float64Array.from({ length: d }, (_, i) => vectors.data[i * d + k]);
        const ratio = (v: Float64Array) => norm(addScaled(inst.grad(addScaled(inst.x0, 1, v)), -1, inst.grad(inst.x0)));
        // the ratio ‖∇f(x + v) − ∇f(x)‖/‖v‖ along the top eigenvector is the claimed L
        within(id, 'L tight', Math.abs(ratio(col(d - 1)) - L), 1e-10 * L);
        if (inst.cert.mu !== undefined) within(id, 'mu tight', Math.abs(ratio(col(0)) - inst.cert.mu), 1e-10 * L);
        const pl = inst.cert.pl;
        if (pl !== undefined) {
          const k = values.findIndex((v) => v > 1e-9 * L);
          within(id, 'pl tight', Math.abs(ratio(col(k)) - pl), 1e-10 * L);
          // and PL holds with equality along that eigenvector from the nearest minimiser
          const xs = inst.nearestMinimiser(inst.x0)!;
          const x = addScaled(xs, 1, col(k));
          const g = inst.grad(x);
          within(id, 'pl tight', Math.abs((0.5 * dot(g, g)) / (inst.value(x) - inst.cert.fstar) - pl), 1e-8 * pl);
        }
        checked++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (family.classes.includes('quadratic')) expect(checked).toBe(RUNS);
  });

  it('TensorFlow.js: batched loss and its gradient match the float64 oracle row by row', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb(family), seedArbT(), async (specs, pseed) => {
        const insts = specs.map((s) => family.instantiate(s.params));
        const rng = makeRng(pseed);
        const d = insts[0].dim, B = insts.length;
        const loss = family.tfLoss(insts);
        try {
          const sets = [insts.map((i) => i.x0), insts.map((i) => samplePoints(i, rng)[1 + rng.int(6)]), insts.map((i) => anchor(i, i.x0))];
          for (const pts of sets) {
            const flat = new Float32Array(B * d);
            pts.forEach((p, b) => flat.set(p, b * d));
            const { v, g } = tf.tidy(() => {
              const x = tf.tensor2d(flat, [B, d]);
              const val = loss(x);
              expect(val.shape).toEqual([B]);
              const gr = tf.grad((z: tf.Tensor) => loss(z as tf.Tensor2D).sum())(x);
              return { v: val.dataSync().slice(), g: gr.dataSync().slice() };
            });
            insts.forEach((inst, b) => {
              const xr = fround(pts[b]);
              const { sf, sg } = scales(inst, xr);
              within(id, 'tf loss vs float64', Math.abs(v[b] - inst.value(xr)), F32_REL * sf + F32_TINY, `row ${b} of ${B}`);
              const ge = inst.grad(xr);
              const gt = g.subarray(b * d, (b + 1) * d);
              within(id, 'tf gradient vs float64', norm(addScaled(gt, -1, ge)), F32_REL * sg + F32_TINY, `row ${b} of ${B}`);
            });
          }
        } finally {
          loss.dispose();
        }
      }),
      { seed: SEED, numRuns: TF_RUNS },
    );
  });

  it.runIf(typeof family.tfMinibatchLoss === 'function')('TensorFlow.js: minibatch losses average to the full loss, row by row', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb(family), seedArbT(), async (specs, pseed) => {
        const insts = specs.map((s) => family.instantiate(s.params));
        const rng = makeRng(pseed);
        const d = insts[0].dim, B = insts.length;
        const ns = insts.map((i) => family.samples!(i));
        const nmax = Math.max(...ns);
        const pts = insts.map((i) => samplePoints(i, rng)[rng.int(7)]);
        const flat = new Float32Array(B * d);
        pts.forEach((p, b) => flat.set(p, b * d));
        const mb = family.tfMinibatchLoss!(insts);
        const sumV = new Float64Array(B), sumG = new Float64Array(B * d);
        try {
          tf.tidy(() => {
            const x = tf.tensor2d(flat, [B, d]);
            // one sample per row (index j, or 0 where row b has fewer samples; masked out below),
            // with the same sample repeated m = 3 times, which must not change a mean
            for (let j = 0; j < nmax; j++) {
              const idx = new Int32Array(B * 3);
              ns.forEach((n, b) => idx.fill(j < n ? j : 0, b * 3, b * 3 + 3));
              const batch = tf.tensor2d(idx, [B, 3], 'int32');
              const val = mb(x, batch).dataSync();
              const gr = tf.grad((z: tf.Tensor) => mb(z as tf.Tensor2D, batch).sum())(x).dataSync();
              ns.forEach((n, b) => {
                if (j >= n) return;
                sumV[b] += val[b] / n;
                for (let k = 0; k < d; k++) sumG[b * d + k] += gr[b * d + k] / n;
              });
            }
            // a random minibatch evaluates without mixing rows: its gradient rows are finite and the right shape
            const ridx = new Int32Array(B * 5);
            ns.forEach((n, b) => { for (let k = 0; k < 5; k++) ridx[b * 5 + k] = rng.int(n); });
            const out = mb(x, tf.tensor2d(ridx, [B, 5], 'int32'));
            expect(out.shape).toEqual([B]);
            expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
          });
        } finally {
          mb.dispose();
        }
        insts.forEach((inst, b) => {
          const xr = fround(pts[b]);
          const { sf, sg } = scales(inst, xr);
          within(id, 'minibatch mean vs float64', Math.abs(sumV[b] - inst.value(xr)), F32_REL * sf + F32_TINY, `row ${b}`);
          within(id, 'minibatch gradient mean vs float64', norm(addScaled(sumG.subarray(b * d, (b + 1) * d), -1, inst.grad(xr))), F32_REL * sg + F32_TINY, `row ${b}`);
        });
      }),
      { seed: SEED, numRuns: TF_RUNS },
    );
  });

  it('TensorFlow.js: building, evaluating and disposing a batched loss leaks no tensors', () => {
    fc.assert(
      fc.property(batchArb(family), (specs) => {
        const insts = specs.map((s) => family.instantiate(s.params));
        const d = insts[0].dim, B = insts.length;
        const before = tf.memory().numTensors;
        const loss = family.tfLoss(insts);
        const mb = family.tfMinibatchLoss?.(insts);
        // built inside a tidy too: the constants must survive it
        let loss2!: BatchedLoss;
        tf.tidy(() => {
          loss2 = family.tfLoss(insts);
        });
        tf.tidy(() => {
          const x = tf.tensor2d(new Float32Array(B * d).fill(0.5), [B, d]);
          loss(x).dataSync();
          loss2(x).dataSync();
          tf.grad((z: tf.Tensor) => loss(z as tf.Tensor2D).sum())(x).dataSync();
          if (mb) {
            const batch = tf.zeros([B, 2], 'int32') as tf.Tensor2D;
            mb(x, batch).dataSync();
            tf.grad((z: tf.Tensor) => mb(z as tf.Tensor2D, batch).sum())(x).dataSync();
          }
        });
        loss.dispose();
        loss2.dispose();
        loss.dispose(); // idempotent
        mb?.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }),
      { seed: SEED, numRuns: TF_RUNS },
    );
  });

  it('reports the worst error/tolerance ratios', () => {
    const m = worst.get(id);
    if (m) console.info(`[${id}] worst error/tolerance: ${[...m].map(([k, v]) => `${k} ${v.toExponential(1)}`).join('; ')}`);
  });
});

function seedArbT() {
  return fc.integer({ min: 0, max: 0x7fffffff });
}
