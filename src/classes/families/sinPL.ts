/**
 * [sin-pl] f(x) = a Σ_j (x_j² + 3 sin² x_j), a > 0: the standard PL function that
 * is not convex (Karimi–Nutini–Schmidt 2016), as a separable sum over d coordinates.
 *
 * Per coordinate φ(x) = x² + 3 sin²x: φ′ = 2x + 3 sin 2x, φ″ = 2 + 6 cos 2x ∈ [−4, 8].
 * So L = 8a (attained at x = 0), f is not convex (φ″ < 0 near x = π/2), x* = 0 is
 * the unique minimiser (φ′(x) = 0 only at 0: with t = 2x > 0, t + 3 sin t > 0 for
 * t ≥ π since t > 3, and for 0 < t < π since sin t > 0) and f* = 0.
 *
 * PL constant. Let p(x) = φ′(x)²/(2φ(x)) for x ≠ 0 (even in x). Then PL holds
 * per coordinate with pl(1) = inf p, and the separable sum inherits it with the
 * factor a: ½‖∇f‖² = a² Σ_j ½φ′(x_j)² ≥ a²·pl(1)·Σ_j φ(x_j) = a·pl(1)·f.
 * Numerically inf p = 0.1755309859 at x ≈ ±2.2017092 (SIN_PL_NUMERIC; scan on a
 * 1e-5 grid of (0, 20] and golden-section refinement; the local minima further
 * out are ≈ 0.997, 1.335, 1.505, ... increasing towards 2).
 * Certified lower bound (certifySinPL, re-run by tests/families-specific.test.ts):
 *  (i)  0 < x ≤ 1/2: sin t ≥ t − t³/6 (t ≥ 0) gives φ′ ≥ 8x − 4x³ > 0, and
 *       sin²x ≤ x² gives φ ≤ 4x², so p ≥ 8(1 − x²/2)² ≥ 6.125;
 *  (ii) x ≥ X = 10: φ′ ≥ 2x − 3 > 0 and φ ≤ x² + 3, so p ≥ (2x − 3)²/(2(x² + 3)),
 *       which is increasing for x > 3/2 (its derivative has the sign of
 *       (2x − 3)(3x + 6)), hence p ≥ 17²/206 ≈ 1.40;
 *  (iii) [1/2, 10]: interval arithmetic on 2·10⁵ cells [l, u]: enclosures of
 *       sin over [2l, 2u] and [l, u] (endpoint values padded by 1e-15, Math.sin
 *       being accurate to < 1 ulp, widened to ±1 when the cell contains an
 *       extremum of sin), then φ′ ≥ 2l + 3 min sin 2x > 0 and φ ≤ u² + 3 max sin²x,
 *       with the quotient rounded down by a relative 1e-12.
 * The minimum of the three is 0.1755059 (from (iii), at the cell containing
 * 2.20164..2.20169; 2·10⁶ cells give 0.1755285). The constant used,
 * SIN_PL_CERTIFIED = 0.1755, is below that and 3.1e-5 (0.018%) below the
 * numeric infimum, so the PL tightness check can tell it from a looser claim.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family } from '../types.ts';
import { makeRng } from '../../numeric/rng.ts';
import { checkBatch, finiteArray, finiteNumber, logUniform, makeBatchedLoss, seedArb } from './common.ts';

/** Params of [sin-pl]: { a: number (> 0); x0: number[] (length d, the dimension) }. */
export type SinPLParams = { a: number; x0: number[] };

/** inf_{x≠0} φ′(x)²/(2φ(x)) for a = 1, numerically (see the file comment). */
export const SIN_PL_NUMERIC = 0.1755309858797;
/** Where the infimum is attained (±). */
export const SIN_PL_ARGMIN = 2.2017091779;
/** The certified lower bound used in the certificate (for a = 1). */
export const SIN_PL_CERTIFIED = 0.1755;

const phi = (x: number) => x * x + 3 * Math.sin(x) ** 2;
const dphi = (x: number) => 2 * x + 3 * Math.sin(2 * x);

/** p(x) = φ′(x)²/(2φ(x)) for a = 1 (x ≠ 0). */
export function sinPLRatio(x: number): number {
  return dphi(x) ** 2 / (2 * phi(x));
}

/** Enclosure of sin over [a, b] (0 ≤ a ≤ b), padded outward. */
function sinRange(a: number, b: number): [number, number] {
  const PAD = 1e-15, SLACK = 1e-12;
  let lo = Math.min(Math.sin(a), Math.sin(b)) - PAD;
  let hi = Math.max(Math.sin(a), Math.sin(b)) + PAD;
  // extrema of sin at π/2 + kπ; a point within SLACK of the cell counts as inside
  const kFirst = Math.ceil((a - SLACK - Math.PI / 2) / Math.PI);
  for (let k = kFirst; Math.PI / 2 + k * Math.PI <= b + SLACK; k++) {
    if (k % 2 === 0) hi = 1;
    else lo = -1;
  }
  return [Math.max(-1, lo), Math.min(1, hi)];
}

/**
 * A certified lower bound on inf_{x≠0} p(x) by the three-part argument in the
 * file comment; `cells` sets the partition of [1/2, X].
 */
export function certifySinPL(cells = 200_000, X = 10): { lowerBound: number; worstCell: [number, number]; parts: { small: number; large: number; middle: number } } {
  const x1 = 0.5;
  const small = 8 * (1 - (x1 * x1) / 2) ** 2;
  const large = (2 * X - 3) ** 2 / (2 * (X * X + 3));
  if (!(X > 1.5)) throw new Error('certifySinPL: X must exceed 3/2');
  let middle = Infinity;
  let worstCell: [number, number] = [x1, X];
  const w = (X - x1) / cells;
  for (let c = 0; c < cells; c++) {
    const l = x1 + c * w, u = c === cells - 1 ? X : x1 + (c + 1) * w;
    const [s2lo] = sinRange(2 * l, 2 * u);
    const [slo, shi] = sinRange(l, u);
    const gLo = (2 * l + 3 * s2lo) * (1 - 4 * Number.EPSILON) - 1e-14;
    if (!(gLo > 0)) return { lowerBound: 0, worstCell: [l, u], parts: { small, large, middle: 0 } };
    const sin2Max = Math.max(slo * slo, shi * shi);
    const fHi = (u * u + 3 * sin2Max) * (1 + 4 * Number.EPSILON);
    const bound = ((gLo * gLo) / (2 * fHi)) * (1 - 1e-12);
    if (bound < middle) { middle = bound; worstCell = [l, u]; }
  }
  return { lowerBound: Math.min(small, large, middle), worstCell, parts: { small, large, middle } };
}

/** inf p numerically: scan of (0, xmax] with step h, then golden-section refinement. */
export function sinPLNumericInfimum(h = 1e-4, xmax = 20): { value: number; x: number } {
  let best = Infinity, bx = h;
  for (let x = h; x <= xmax; x += h) {
    const v = sinPLRatio(x);
    if (v < best) { best = v; bx = x; }
  }
  let lo = bx - h, hi = bx + h;
  for (let k = 0; k < 200; k++) {
    const m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
    if (sinPLRatio(m1) < sinPLRatio(m2)) hi = m2;
    else lo = m1;
  }
  const x = (lo + hi) / 2;
  return { value: sinPLRatio(x), x };
}

function parse(p: SinPLParams) {
  const a = finiteNumber('sin-pl: a', p.a, 0, Infinity, true);
  const x0 = finiteArray('sin-pl: x0', p.x0);
  if (x0.length < 1) throw new Error('sin-pl: x0 must have length ≥ 1');
  return { a, x0 };
}

export const sinPL: Family<SinPLParams> = {
  id: 'sin-pl',
  title: 'a(x² + 3 sin² x): PL but not convex',
  description:
    'f(x) = aΣ(x_j² + 3 sin² x_j): L = 8a, not convex, f* = 0 at x* = 0, PL with a·0.1755 (certified by interval arithmetic; numeric infimum a·0.175531).',
  classes: ['L-smooth', 'mu-PL', 'bounded-below'],

  arbitrary(ctx) {
    const dim = ctx.dim;
    return fc
      .record({
        a: logUniform(0.1, 10, [1]),
        seed: seedArb(),
        scale: logUniform(0.01, 10, [1, 3.3]),
        nearWorst: fc.boolean(),
      })
      .map((r) => {
        const rng = makeRng(r.seed);
        // nearWorst: coordinates near ±2.2017, where the PL ratio is smallest
        const x0 = Array.from({ length: dim }, () =>
          r.nearWorst ? (rng.next() < 0.5 ? -1 : 1) * (SIN_PL_ARGMIN + 0.01 * rng.normal()) : r.scale * rng.normal(),
        );
        return { a: r.a, x0 };
      });
  },

  instantiate(params) {
    const { a, x0 } = parse(params);
    const d = x0.length;
    return {
      family: 'sin-pl',
      params,
      dim: d,
      cert: { convex: false, quadratic: false, L: 8 * a, pl: a * SIN_PL_CERTIFIED, fstar: 0 },
      x0: Float64Array.from(x0),
      value(x) {
        let s = 0;
        for (let j = 0; j < d; j++) s += phi(x[j]);
        return a * s;
      },
      grad: (x) => Float64Array.from({ length: d }, (_, j) => a * dphi(x[j])),
      hess(x) {
        const H = new Float64Array(d * d);
        for (let j = 0; j < d; j++) H[j * d + j] = a * (2 + 6 * Math.cos(2 * x[j]));
        return H;
      },
      nearestMinimiser: () => new Float64Array(d),
      data: { a },
    };
  },

  tfLoss(instances) {
    checkBatch('sin-pl', instances);
    const aT = tf.tensor1d(Float32Array.from(instances, (i) => parse(i.params as SinPLParams).a));
    return makeBatchedLoss([aT], (x) => {
      // sin²x = sin²|x|: the wasm backend's tf.sin has an absolute error ~2.4e-7 for
      // negative arguments (relative ~6e-8 for positive ones), which would swamp
      // sin²x near the minimiser; the gradient is unchanged (sin|x|·cos|x|·sign x).
      const per = tf.add(tf.square(x), tf.mul(3, tf.square(tf.sin(tf.abs(x)))));
      return tf.mul(aT, tf.sum(per, 1)) as tf.Tensor1D;
    });
  },
};
