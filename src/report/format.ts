/** Numbers as the page shows them. */

/** Four significant digits, no trailing zeros; exponent form outside [1e-3, 1e5). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** A margin (bound − measured)/|bound|: percent when visible as such, else the raw ratio; negative means above the bound within the tolerance. */
export function formatMargin(m: number | null): string {
  if (m === null) return '—';
  return Math.abs(m) < 1e-4 ? m.toExponential(1).replace('e+', 'e') : `${(100 * m).toFixed(2)} %`;
}

export const formatSeconds = (s: number): string => `${s.toFixed(s < 10 ? 1 : 0)} s`;

export const formatCount = (n: number): string => n.toLocaleString('en-GB');
