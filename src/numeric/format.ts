/** Numbers as the page shows them. */

/** Four significant digits, no trailing zeros; exponent form outside [1e-3, 1e5). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** A margin (bound − measured)/|bound| in percent, in exponent form when tiny; negative means above the bound within the tolerance. */
export function formatMargin(m: number | null): string {
  if (m === null) return '—';
  const pct = 100 * m;
  return `${pct !== 0 && Math.abs(pct) < 0.01 ? pct.toExponential(1).replace('e+', 'e') : pct.toFixed(2)} %`;
}

export const formatSeconds = (s: number): string => `${s.toFixed(s < 10 ? 1 : 0)} s`;

export const formatCount = (n: number): string => n.toLocaleString('en-GB');
