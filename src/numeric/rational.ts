/**
 * Exact rational numbers as BigInt fractions: what the proof checker's
 * polynomial identities and the performance-estimation certificates are
 * verified in, so that "zero" and "nonnegative" are proofs, not roundings.
 */

/** A rational number n/d, d > 0, in lowest terms. */
export type Q = { n: bigint; d: bigint };
const gcd = (a: bigint, b: bigint): bigint => { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) [a, b] = [b, a % b]; return a; };
export const q = (n: bigint, d = 1n): Q => { if (d < 0n) { n = -n; d = -d; } const g = gcd(n, d) || 1n; return { n: n / g, d: d / g }; };
export const qAdd = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
export const qMul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
