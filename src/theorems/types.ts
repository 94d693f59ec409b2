/**
 * A theorem is data: its assumptions, the algorithm it is about, and the bound
 * as one mathjs expression. The KaTeX statement and the executable check are
 * both derived from that expression (src/language/statement.ts), so they
 * cannot drift apart.
 */
import type { ClassName } from '../classes/types.ts';

/**
 * A structural assumption that is not a function class: the objective is
 * F = f + (lambda/2)‖x‖² with f convex and Lbase-smooth (the certificate's
 * `regularized` field).
 */
export type StructuralAssumption =
  | 'L2-regularized'
  /**
   * f = (1/n) Σ f_i and the algorithm samples i uniformly: an unbiased
   * gradient whose variance is at most M + MV‖∇f(x)‖² (the certificate's
   * `noise`; BCN 2018 Assumption 4.3 with μ = μ_G = 1, M_G = MV + 1).
   */
  | 'stochastic-gradient'
  /** Every f_i convex and Lmax-smooth (Gower et al. 2019's expected smoothness with ℒ = Lmax). */
  | 'convex-samples'
  /** Interpolation: σ* = E‖∇f_i(x*)‖² = 0, every f_i minimised at x* (the certificate's noise.sigmaStar is 0). */
  | 'interpolation';

export interface Theorem {
  id: string;
  title: string;
  /** Where the statement comes from: the paper, theorem and equation. */
  source: string;
  /**
   * `lemma`: a pointwise inequality, checked in float64 at sampled points of
   * each witness. `run`: a bound along the iterates of an algorithm, checked at
   * every step of real TensorFlow.js runs. `expectation`: a bound on E[·] along
   * a stochastic algorithm, checked on the mean over many seeds with a
   * confidence interval (src/verify/expectation.ts); the statement's left side
   * is written E(quantity).
   */
  kind: 'lemma' | 'run' | 'expectation';
  /** Function classes the witnesses must belong to (named as in the proof format). */
  classes: readonly ClassName[];
  structural?: readonly StructuralAssumption[];
  /**
   * Parameter constraints, as mathjs relations over the parameters and the
   * instance constants (`0 < gamma <= 1/L`). A parameter that is not set is
   * sampled inside them; a value that violates one is refused, naming it.
   */
  constraints: readonly string[];
  /** Parameters computed from others and the constants (`gamma: '1/L'`). */
  derived?: Readonly<Record<string, string>>;
  /**
   * Constants the statement uses that no assumption provides any more (a
   * relaxation dropped `L-smooth`, say, so L is whatever number a person
   * might claim): they are parameters, sampled and searched like gamma,
   * before the others.
   */
  freeConstants?: readonly string[];
  /** Sampling ranges for parameters the constraints leave unbounded. */
  ranges?: Readonly<Record<string, readonly [number, number]>>;
  /** `run` and `expectation`: the optimiser id and its hyperparameters as expressions. */
  algorithm?: { optimizer: string; hyper: Readonly<Record<string, string>> };
  /**
   * The statement: a mathjs relation `quantity <= bound` (or `>=`, `==`), or
   * a conjunction of such with `and`. The right-hand side is the bound.
   */
  statement: string;
  /** `run` and `expectation`: the first step t at which the statement is checked (default 0). */
  from?: number;
  /** `run` only: the statement compares consecutive iterates (one step from x_{t−1}). */
  perStep?: boolean;
  /** `run` only: sequences the bound uses, by recurrence in t (e.g. FISTA's lambda_t). */
  sequences?: Readonly<Record<string, { start: number; at: number; next: string }>>;
  /** `lemma` only: the sampled variables and what they are. */
  points?: Readonly<Record<string, 'point' | 'symmetric-matrix'>>;
  /** Functions the statement uses, defined from f: `F(x)` = `f(x) + lambda/2*norm(x)^2`. */
  functions?: Readonly<Record<string, string>>;
  /** Restrict the witnesses to these families (default: every family whose certificate fits). */
  families?: readonly string[];
  /**
   * Tight cases for this theorem (e.g. the Huber worst case for step N),
   * added to the random witnesses so that a planted violation has something
   * sharp to be caught on.
   */
  witnesses?: (ctx: { steps: number }) => { family: string; params: Record<string, unknown>; set?: Record<string, number> }[];
  /**
   * Planted violations the checker must catch: the bound tightened by `scale`
   * (default 0.5), and `faster`, which substitutes symbols in the bound (the key
   * `bound` replaces it whole).
   */
  planted: {
    scale?: number; faster: Readonly<Record<string, string>>; note?: string;
    /** Expectation theorems: seeds the planted violations are checked with (default: verify's), when the default lacks the power. */
    seeds?: number;
  };
  /** Whether the bound is attained, and on what. */
  tight?: string;
  /** Derivations and checks of constants marked (check) in the catalogue. */
  notes?: string;
}

/**
 * Assumptions by name: classes, structure, then parameter constraints (what `boundlab list` shows).
 * Here, with the type, so that listing them needs no expression parser (theorems/assumptions.ts re-exports it).
 */
export function assumptionsOf(th: Theorem): string[] {
  return [...th.classes, ...(th.structural ?? []), ...th.constraints];
}
