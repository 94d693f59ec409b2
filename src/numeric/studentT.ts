/**
 * Student's t distribution: its CDF through the regularised incomplete beta
 * function, and its quantile by bisection on the CDF. Used for confidence
 * intervals on means over seeds (src/verify/statistics.ts), where the
 * quantiles needed are far in the tail (a Bonferroni correction over
 * thousands of intervals), so a normal approximation would be too narrow.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14 on x ≥ 0.5). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x); // reflection
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0];
  for (let i = 1; i < g + 2; i++) a += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The continued fraction of I_x(a, b) (modified Lentz), converging fast for
 * x < (a + 1)/(a + b + 2); incompleteBeta uses the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    // even step
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    // odd step
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), a, b > 0, x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T > t) for T ~ Student t with `df` degrees of freedom, t ≥ 0 (accurate far into the tail). */
export function tUpperTail(t: number, df: number): number {
  if (t < 0) return 1 - tUpperTail(-t, df);
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The CDF of Student's t with `df` degrees of freedom. */
export const tCdf = (t: number, df: number): number => 1 - tUpperTail(t, df);

/**
 * The t with P(T > t) = tail, for 0 < tail < 1: bisection on the upper tail,
 * which is monotone, to a relative 1e-12 of t.
 */
export function tQuantileUpper(tail: number, df: number): number {
  if (!(tail > 0 && tail < 1)) throw new Error(`t quantile: the tail probability must be in (0, 1), got ${tail}`);
  if (!(df > 0)) throw new Error(`t quantile: degrees of freedom must be > 0, got ${df}`);
  if (tail === 0.5) return 0;
  if (tail > 0.5) return -tQuantileUpper(1 - tail, df);
  let lo = 0, hi = 1;
  while (tUpperTail(hi, df) > tail) { lo = hi; hi *= 2; }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (tUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
