/**
 * What checking a proof file produces (docs/proof-format.md, "Verdicts" and the
 * --json contract): one verdict per step and for the claim, and a file verdict.
 */
import type { Rel } from './parse.ts';

/**
 * `inconclusive`: no evidence either way (every sample had a side that was not
 * finite, or the file's time ran out first); never counted as valid.
 */
export type Verdict = 'proved' | 'certified' | 'sampled' | 'refuted' | 'inconclusive' | 'vacuous' | 'error';

/** A witness as it can be rebuilt: family, its params, and the factor f was scaled by. */
export interface WitnessRecord {
  family: string;
  params: unknown;
  /** f = scale · (family instance); certificates scale with it */
  scale: number;
  /** the certified constants after scaling */
  constants: Record<string, number>;
  /** a one-dimensional family used on R^n as a function of the first coordinate (witness.ts `embedded`) */
  embedded?: number;
}

export type PlainValue = number | number[] | number[][];

export interface Counterexample {
  /** the sampled givens: scalars, dimensions, vectors, matrices */
  values: Record<string, PlainValue>;
  /** the witness of each declared function */
  witnesses: Record<string, WitnessRecord>;
  lhs: PlainValue;
  rhs: PlainValue;
  /** a performance-estimation refutation: the explicit functions through its points and the step evaluated on them */
  explicit?: ExplicitCheck;
}

/**
 * The functions of a performance-estimation counterexample built explicitly
 * (pep/interpolant.ts) and the step's two sides evaluated through them; or,
 * when a class has no construction there, why not (the points alone remain).
 */
export type ExplicitCheck =
  | {
    built: true;
    /** per function: its class and constants, and how far it is from the points (largest |value − f_i| over the largest |f_i| or ‖g_i‖·‖x_i − x_j‖, ‖gradient − g_i‖ over the largest ‖g_i‖) */
    functions: Record<string, { cls: string; constants: Record<string, number>; valueDeviation: number; gradientDeviation: number }>;
    lhs: PlainValue;
    rhs: PlainValue;
    /** whether the file's own comparison, with its tolerance, fails on these functions */
    fails: boolean;
  }
  | { built: false; why: string };

export interface StepResult {
  line: number;
  lhs: string;
  relation: Rel;
  rhs: string;
  justification?: string;
  verdict: Verdict;
  /** assignments at which both sides were finite and compared */
  samples: number;
  /** assignments skipped because a side was not finite */
  skipped: number;
  counterexample?: Counterexample;
  /** why: the error, the vacuous givens, or how it was proved/certified */
  message?: string;
  /** a certificate that holds at the sampled values of the parameters only, or at all of them (interpolation certificates) */
  scope?: 'all parameters' | 'the sampled parameters';
}

export interface ClaimResult extends StepResult {
  /** whether some chain starts at the claim's left side, ends at its right side, with a relation at least as strong */
  established: boolean;
  /** which chain (line of its fence), or why none does */
  establishedNote: string;
}

/** `inconclusive`: nothing refuted or in error, but some step has no evidence (or the time ran out). */
export type FileVerdict = 'valid' | 'refuted' | 'inconclusive' | 'error';

export interface FileResult {
  file: string;
  title: string;
  verdict: FileVerdict;
  steps: StepResult[];
  claim?: ClaimResult;
  /** a file-level error (malformed file, vacuous givens, nothing to check): file:line and the fix */
  error?: string;
  /** why the file is inconclusive when no single step says it (its time budget ran out) */
  reason?: string;
  /** the relative tolerance the sides were compared with (absent when the file could not be read) */
  tolerance?: number;
  /** assignments drawn, accepted by the givens, and the default per step */
  seed: number;
  seconds: number;
}

/**
 * What the output says about the claim's chain: a tick only when a chain
 * establishes the claim and every step of the file has evidence (the text,
 * the report and the JSON's `established` agree).
 */
export function establishment(r: FileResult): { tick: boolean; note: string } | null {
  const c = r.claim;
  if (!c) return null;
  // an interpolation certificate at the sampled parameters is evidence at those values, not a proof for all
  const atSamples = [...r.steps, c].filter((s) => s.scope === 'the sampled parameters').length;
  const scope = atSamples ? ` (${atSamples} of the file's steps and claim certified at the sampled parameters only)` : '';
  if (c.established && r.verdict === 'valid') return { tick: true, note: `${c.establishedNote}${scope}` };
  return { tick: false, note: c.established ? `the chain would establish the claim, but the file is ${r.verdict}: not every step of it holds up` : c.establishedNote };
}
