/**
 * A bound checked at every step of real runs, as a law statement: the claim
 * is that it holds at every step of every seed at sizes from `holdsFrom` on
 * (a paper's "for m large enough", made concrete). A step violates it only
 * when the measured value exceeds the bound by more than the rounding floor of
 * the measurement; smaller sizes are reported (holding or not) but decide nothing.
 */
import { formatNumber } from '../numeric/format.ts';
import type { LawVerdict, StatementResult } from './types.ts';

/** One seed's run at one size: measured value, bound and rounding floor per step. */
export interface BoundTrace { seed: number; measured: ArrayLike<number>; bound: ArrayLike<number>; floor: ArrayLike<number> }

export type BoundBySize = NonNullable<StatementResult['bySize']>[number];

/** Whether a step's bound is above its rounding floor: only there can a ratio measured/bound mean anything. */
export const resolved = (t: BoundTrace, k: number): boolean => t.bound[k] > t.floor[k];

/**
 * Whether the traces of one size hold, the worst ratio measured/bound over
 * resolved steps k ≥ 1, how many steps were not resolved (bound below the
 * floor: they can only show a violation beyond the floor), and the first violation.
 */
export function checkBoundAtSize(size: number, traces: readonly BoundTrace[]): BoundBySize {
  let worstRatio = 0, unresolved = 0, checked = 0;
  let firstViolation: BoundBySize['firstViolation'];
  for (const t of traces) {
    for (let k = 1; k < t.measured.length; k++) {
      checked++;
      if (resolved(t, k)) worstRatio = Math.max(worstRatio, t.measured[k] / t.bound[k]);
      else unresolved++;
      if (!firstViolation && t.measured[k] > t.bound[k] + t.floor[k]) {
        firstViolation = { seed: t.seed, step: k, measured: t.measured[k], bound: t.bound[k] };
      }
    }
  }
  return { size, holds: !firstViolation, worstRatio, checked, unresolved, ...(firstViolation ? { firstViolation } : {}) };
}

export function boundVerdict(bySize: readonly BoundBySize[], holdsFrom: number, sizeName: string): { verdict: LawVerdict; reason: string } {
  const decisive = bySize.filter((b) => b.size >= holdsFrom);
  if (!decisive.length) return { verdict: 'inconclusive', reason: `no ${sizeName} ≥ ${holdsFrom} was run, and the claim is about those` };
  const broken = decisive.find((b) => !b.holds);
  if (broken) {
    const v = broken.firstViolation!;
    return { verdict: 'inconsistent', reason: `violated at ${sizeName} ${broken.size}: seed ${v.seed}, step ${v.step}, measured ${formatNumber(v.measured)} > bound ${formatNumber(v.bound)} beyond the rounding floor` };
  }
  const checked = decisive.reduce((s, b) => s + b.checked, 0), unresolved = decisive.reduce((s, b) => s + b.unresolved, 0);
  if (unresolved === checked) return { verdict: 'inconclusive', reason: `the bound was below the rounding floor at every step at ${sizeName} ≥ ${holdsFrom}` };
  const worst = Math.max(...decisive.map((b) => b.worstRatio));
  const below = unresolved ? `; ${unresolved} of ${checked} steps had the bound below the rounding floor and are not counted in that ratio` : '';
  return { verdict: 'consistent', reason: `held at every step of every seed at ${sizeName} ${decisive.map((b) => b.size).join(', ')} (worst measured/bound ${formatNumber(worst)} where resolved${below})` };
}

export function boundStatement(args: { id: string; claim: string; source: string; bySize: BoundBySize[]; holdsFrom: number; sizeName: string }): StatementResult {
  return { id: args.id, kind: 'bound', claim: args.claim, source: args.source, ...boundVerdict(args.bySize, args.holdsFrom, args.sizeName), bySize: args.bySize };
}
