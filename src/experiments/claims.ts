/**
 * A paper's claim as a checked statement: what the paper says (an ordering of
 * methods, an error level, an unbiasedness) becomes a relation between the
 * mean of a quantity measured once per seed (or per draw) and a value, and is
 * judged by the same Student t intervals the bounds in expectation use
 * (src/verify/statistics.ts), Bonferroni over the claims of one experiment:
 * - `below` / `atMost` c: holds when the whole interval is below c (at
 *   most c), refuted when the whole interval is at or above c (above c);
 * - `above` / `atLeast`: the mirror image;
 * - `equal` c: refuted when c lies outside the interval; otherwise the claim
 *   holds in the only sense sampling allows, |E − c| ≤ the half-width.
 * Anything else is inconclusive, and so is a claim with a non-finite draw (a
 * diverged run measures nothing). Identical draws give a zero-width interval:
 * equal losses make "A is below B" refuted and "A is at most B" hold.
 */
import { formatNumber } from '../numeric/format.ts';
import { halfWidthFactor, meanInterval, methodText, type Interval } from '../verify/statistics.ts';

/**
 * The family-wise error rate of one experiment's claims: ten times stricter
 * than the theorems' 0.01, since a refuted claim says a paper is wrong.
 * Measured on BinaryConnect's unbiasedness (9 true claims, 4000 draws each):
 * at 0.01, 4 of 200 seeds refuted one of them (the stated 1 % plus chance);
 * at 0.001, none of 1000 seeds did, and planted biases of 0.1 are still refuted.
 */
export const CLAIMS_ALPHA = 0.001;

export const RELATIONS = ['below', 'atMost', 'equal', 'atLeast', 'above'] as const;
export type Relation = (typeof RELATIONS)[number];

const SYMBOL: Record<Relation, string> = { below: '<', atMost: '≤', equal: '=', atLeast: '≥', above: '>' };

export interface ClaimSpec {
  /** Short id, a JSON key. */
  id: string;
  /** What the paper says, in words (plain text). */
  claim: string;
  /** Where it says it. */
  source: string;
  /** The quantity whose mean is compared, in words (plain text). */
  quantity: string;
  relation: Relation;
  value: number;
  /** One draw per seed (or per sample). */
  draws: readonly number[];
}

export type ClaimVerdict = 'holds' | 'refuted' | 'inconclusive';

export interface CheckedClaim extends ClaimSpec {
  verdict: ClaimVerdict;
  /** Null when a draw is not finite. */
  interval: Interval | null;
  /** The statement in symbols: "E[quantity] ≤ value". */
  statement: string;
}

export interface ClaimsCheck {
  claims: CheckedClaim[];
  alpha: number;
  /** How the intervals were made (as the bounds in expectation say it). */
  method: string;
}

/** The verdict of one relation on one interval [lo, hi]. */
export function judge(relation: Relation, value: number, { lo, hi }: Pick<Interval, 'lo' | 'hi'>): ClaimVerdict {
  switch (relation) {
    case 'below': return hi < value ? 'holds' : lo >= value ? 'refuted' : 'inconclusive';
    case 'atMost': return hi <= value ? 'holds' : lo > value ? 'refuted' : 'inconclusive';
    case 'atLeast': return lo >= value ? 'holds' : hi < value ? 'refuted' : 'inconclusive';
    case 'above': return lo > value ? 'holds' : hi <= value ? 'refuted' : 'inconclusive';
    case 'equal': return value < lo || value > hi ? 'refuted' : 'holds';
  }
}

/** Every claim judged at family-wise level 1 − alpha (Bonferroni over the claims). */
export function checkClaims(specs: readonly ClaimSpec[], alpha = CLAIMS_ALPHA, unit = 'seeds'): ClaimsCheck {
  const K = specs.length;
  const claims = specs.map((c): CheckedClaim => {
    const statement = `E[${c.quantity}] ${SYMBOL[c.relation]} ${formatNumber(c.value)}`;
    if (c.draws.length < 2) throw new Error(`claim ${c.id}: a verdict needs at least 2 draws, got ${c.draws.length}`);
    if (!c.draws.every(Number.isFinite)) return { ...c, draws: [...c.draws], statement, verdict: 'inconclusive', interval: null };
    const interval = meanInterval(c.draws, halfWidthFactor(c.draws.length, K, alpha));
    return { ...c, draws: [...c.draws], statement, verdict: judge(c.relation, c.value, interval), interval };
  });
  // methodText names one count: the claims of a page share it.
  return { claims, alpha, method: methodText(alpha, K, Math.min(...specs.map((c) => c.draws.length))).replace(/ seeds,/, ` ${unit},`) };
}

/** One line per claim (plain text): the command prints these. */
export function claimLine(c: CheckedClaim): string {
  const iv = c.interval ? `mean ${formatNumber(c.interval.mean)}, interval [${formatNumber(c.interval.lo)}, ${formatNumber(c.interval.hi)}] over ${c.interval.n}` : 'a draw is not finite';
  return `${c.verdict.toUpperCase()}: ${c.claim} (${c.source}) — ${c.statement}: ${iv}`;
}

