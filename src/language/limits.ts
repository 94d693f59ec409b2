/**
 * Budgets for untrusted input. A proof file or a command line can ask for any
 * amount of work (`samples: 1e9`, `ones(20000, 20000)`, `--steps 1e9`); each
 * request is held to a limit here, and a request over it is an error that
 * names the limit and how to raise it (`--limit NAME=N`, `--timeout S`), never
 * a run until the machine gives out. The defaults are far above what the
 * catalogue, the proofs and the report use.
 */
export interface Limits {
  /** assignments per proof step (`samples:`, --samples) */
  samples: number;
  /** entries of one vector or matrix built by zeros, ones or identity */
  elements: number;
  /** terms of one sumover, minover or maxover */
  terms: number;
  /** the largest index of a sequence term (its recurrence runs that many steps) */
  index: number;
  /** bytes of one input file */
  bytes: number;
  /** optimiser steps per run (verify, relax, tightness) */
  steps: number;
  /** random instances per family */
  instances: number;
  /** independent runs per witness for bounds in expectation */
  seeds: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  samples: 100_000,
  elements: 1_000_000,
  terms: 1_000_000,
  index: 1_000_000,
  bytes: 1_000_000,
  steps: 1_000_000,
  instances: 10_000,
  seeds: 100_000,
};

/** What each limit counts, for help texts and messages. */
export const LIMIT_HELP: Readonly<Record<keyof Limits, string>> = {
  samples: 'assignments per proof step',
  elements: 'entries of a matrix built by zeros/ones/identity (ten times that for all the values one proof file keeps)',
  terms: 'terms of one sumover/minover/maxover',
  index: 'largest index of a sequence term',
  bytes: 'bytes of one input file',
  steps: 'optimiser steps per run',
  instances: 'random instances per family',
  seeds: 'runs per witness for bounds in expectation',
};

/**
 * One expression's nesting depth and number of parts. Fixed, not raisable:
 * the symbolic passes (simplification, derivatives, the tolerance model)
 * recurse over the tree, and a 1,500-term sum written out overflowed the
 * stack. The corpus's deepest expression is far below (tests/language.test.ts).
 */
export const EXPRESSION_DEPTH = 100;
export const EXPRESSION_NODES = 5_000;

/** Default time budget of one proof file, in seconds (`--timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Seeds are 32-bit: fast-check and our generators reduce anything larger modulo 2³², so 2³² would equal 0. */
export const MAX_SEED = 2 ** 32 - 1;

/** A relative tolerance above this must be asked for (`--allow-loose-tolerance`): it can make wrong steps pass. */
export const LOOSE_TOLERANCE = 1e-6;

/** Thrown when a file's time budget runs out mid-evaluation; the checker turns it into `inconclusive: timed out`. */
export class TimedOut extends Error {
  constructor(readonly seconds: number) {
    super(`timed out after ${seconds} s (raise it with --timeout SECONDS)`);
  }
}

/** A deadline to poll in long loops (sampling, sums, recurrences). */
export class Deadline {
  private readonly at: number;
  constructor(readonly seconds: number) {
    this.at = Number.isFinite(seconds) ? performance.now() + seconds * 1000 : Infinity;
  }
  get passed(): boolean { return performance.now() > this.at; }
  check(): void { if (this.passed) throw new TimedOut(this.seconds); }
  static none(): Deadline { return new Deadline(Infinity); }
}
