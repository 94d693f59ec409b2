/**
 * Verdicts on a predicted exponent. A power law is an asymptotic statement,
 * and finite sizes carry corrections, so a prediction p is stated with a
 * tolerance δ (part of the claim, chosen before the run): the claim is "the
 * exponent lies in [p − δ, p + δ]". With the fit's interval [lo, hi]:
 *   - inconsistent: the interval misses [p − δ, p + δ] entirely;
 *   - consistent:   the interval lies inside [p − δ, p + δ];
 *   - inconclusive: otherwise (the interval is wider than the band allows, or
 *     straddles its edge): more seeds narrow the interval.
 * More seeds can move an inconclusive to either side but, unlike "is p inside
 * the interval", never turn a true law with a small finite-size bias into an
 * inconsistent one as the interval shrinks.
 * An `at-most` claim (exponent ≤ p, a paper's O(x^p)) has one edge, p + δ:
 * consistent when the interval lies below it, inconsistent when above it;
 * an `at-least` claim likewise at p − δ.
 */
import { formatNumber } from '../numeric/format.ts';
import type { FitOutcome } from './fit.ts';
import type { Claim, LawVerdict, StatementResult } from './types.ts';

export function exponentVerdict(claim: Claim, outcome: FitOutcome): { verdict: LawVerdict; reason: string } {
  if (!('fit' in outcome)) return { verdict: 'inconclusive', reason: outcome.reason };
  const { lo, hi, mean } = outcome.fit;
  const [a, b] = [claim.predicted - claim.tolerance, claim.predicted + claim.tolerance];
  const interval = `fitted ${formatNumber(mean)}, interval [${formatNumber(lo)}, ${formatNumber(hi)}]`;
  const band = `the predicted ${formatNumber(claim.predicted)} ± ${formatNumber(claim.tolerance)}`;
  const inside = lo <= claim.predicted && claim.predicted <= hi ? 'the prediction is inside the interval' : 'the prediction is outside the interval';
  if (claim.relation === 'at-least') {
    const edge = `the predicted lower bound ${formatNumber(claim.predicted)} − ${formatNumber(claim.tolerance)}`;
    if (hi < a) return { verdict: 'inconsistent', reason: `${interval} lies below ${edge}` };
    if (lo >= a) return { verdict: 'consistent', reason: `${interval} lies above ${edge}` };
    return { verdict: 'inconclusive', reason: `${interval} straddles ${edge}: more seeds narrow it` };
  }
  if (claim.relation === 'at-most') {
    const edge = `the predicted upper bound ${formatNumber(claim.predicted)} + ${formatNumber(claim.tolerance)}`;
    if (lo > b) return { verdict: 'inconsistent', reason: `${interval} lies above ${edge}` };
    if (hi <= b) return { verdict: 'consistent', reason: `${interval} lies below ${edge}` };
    return { verdict: 'inconclusive', reason: `${interval} straddles ${edge}: more seeds narrow it` };
  }
  if (hi < a || lo > b) return { verdict: 'inconsistent', reason: `${interval} misses ${band}` };
  if (lo >= a && hi <= b) return { verdict: 'consistent', reason: `${interval} lies within ${band} (${inside})` };
  return { verdict: 'inconclusive', reason: `${interval} straddles the edge of ${band}: more seeds narrow it` };
}

/** The statement for an exponent claim and its fit. */
export function exponentStatement(claim: Claim, text: string, outcome: FitOutcome, kind: 'exponent' | 'ratio' = 'exponent'): StatementResult {
  return {
    id: claim.id,
    kind,
    claim: text,
    source: claim.source,
    ...exponentVerdict(claim, outcome),
    predicted: claim.predicted,
    tolerance: claim.tolerance,
    ...('fit' in outcome ? { fit: outcome.fit } : {}),
  };
}

/** The worst verdict of several (what the command's exit status follows). */
export function overallVerdict(verdicts: readonly LawVerdict[]): LawVerdict {
  if (verdicts.includes('inconsistent')) return 'inconsistent';
  if (verdicts.length && verdicts.every((v) => v === 'consistent')) return 'consistent';
  return 'inconclusive';
}
