/**
 * Checking a proof file: every chain step and the claim get one verdict.
 *
 * Each relation is sampled first (fast-check over the givens' assignments and
 * witnesses; a failure is shrunk to a small counterexample). What survives is
 * then `proved` when an equality simplifies symbolically, `certified` when a
 * scalar inequality is shown over the whole domain by interval arithmetic or
 * a step about vectors and functions has an interpolation certificate
 * (interpolation.ts, which may also refute it with a function of the class,
 * built explicitly by explicit-function.ts and the step evaluated on it),
 * else `sampled` with the number of samples compared.
 */
import fc from 'fast-check';
import type { MathNode } from 'mathjs';
import { Evaluator, EvalError, FileLanguage, type Value } from './evaluate.ts';
import { math } from '../language/mathjs.ts';
import type { ProofFile, Expr, Rel, Chain } from './parse.ts';
import { ProofError } from './parse.ts';
import { checkNames } from './names.ts';
import { planOf, drawArb, assignmentOf, type Plan, type Draw, type Sampled, type Rejection } from './sample.ts';
import { magnitudeNode, oracleMagnitudes, type MagnitudeContext, size, allFinite, holds, equalWithin, shapeOf } from './tolerance.ts';
import { provedEqual, expand, pinnedByGivens, literalsOfFile } from './symbolic.ts';
import { signFactFromGivens } from './sign-facts.ts';
import type { Kind } from './inner-products.ts';
import { certifyScalarStep } from './certify.ts';
import { tightChoices } from './witness.ts';
import { interpolationVerdict, type RefutationAt } from './interpolation.ts';
import { explicitFunctions } from './explicit-function.ts';
import { REUSE, drawsOf, assignmentsUnder, sharedDraw, remembered, keyOf } from './reuse.ts';
import type { StepResult, ClaimResult, FileResult, Counterexample, FileVerdict, ExplicitCheck, PlainValue } from './result.ts';
import { FLOAT64_RELATIVE_TOLERANCE } from '../engine/precision.ts';
import { comparisons } from '../language/domain.ts';
import { hasSolver } from '../pep/solver.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMEOUT_SECONDS, Deadline, LOOSE_TOLERANCE, TimedOut, type Limits } from '../language/limits.ts';

/**
 * Boxes an interval certificate may take. The corpus's certified steps settle
 * within 67; a step that needs thousands rarely settles at all, and each box
 * costs a symbolic derivative's enclosure, so a larger budget mostly buys time.
 */
const CERTIFY_BOXES = 2000;
/** Draws per sharp witness at which it is tried (where it fits), each with the vectors at its start, near its least curvature and as drawn: two catch the planted rates at every seed and keep a step within ~1.3× its sampling time. */
const TIGHT_STARTS = 2;
/** Draws looked through for those at which a sharp witness fits (sin-pl needs pl ≤ 0.022 L, which few draws give). */
const TIGHT_SCAN = 40;
/** Assignments of the scalars at which a function step's performance-estimation problem is solved (each a csdp call, milliseconds). */
const INTERPOLATION_ASSIGNMENTS = 2;
/** Accepted draws those assignments are chosen among. */
const INTERPOLATION_CANDIDATES = 20;
/** Boxes for the positivity of a power's base or a log's argument: easy facts settle in a few. */
const SIDE_CONDITION_BOXES = 200;
const ZERO = new math.ConstantNode(0) as MathNode;
/** fast-check's default maxSkipsPerRun (checkRelation's runs do not set it). */
const MAX_SKIPS_PER_RUN = 100;
/** A node's text without parentheses (a define's expansion wraps them). */
const bare = (n: MathNode) => n.transform((m) => (m.type === 'ParenthesisNode' ? (m as unknown as { content: MathNode }).content : m)).toString();

/** Built-ins whose arguments bind a name: their parts have no value on their own. */
const BOUND_INDEX = new Set(['sumover', 'minover', 'maxover', 'diff']);

/** Samples per step when the file does not say (the format asks for at least 200). */
export const DEFAULT_SAMPLES = 200;

export interface CheckOptions {
  seed: number;
  /** overrides the file's `samples:` */
  samples?: number;
  /** try symbolic and interval proofs of what sampling did not refute (default true; mutation testing needs only refutations) */
  prove?: boolean;
  /** budgets (samples, matrix entries, sum terms, sequence indices); DEFAULT_LIMITS when absent */
  limits?: Readonly<Limits>;
  /** seconds the file may take; past it the file is inconclusive (default DEFAULT_TIMEOUT_SECONDS) */
  timeout?: number;
  /** accept a `tolerance:` above LOOSE_TOLERANCE (it can let wrong steps pass) */
  allowLooseTolerance?: boolean;
  /**
   * shrink a refutation's assignment (default true); false keeps the first failing one, for callers
   * that read only the verdicts (mutation testing, the seed test), which are the same either way
   */
  shrink?: boolean;
}

type Outcome = { kind: 'holds' } | { kind: 'fails'; l: Value; r: Value } | { kind: 'skip' } | { kind: 'error'; message: string; atAPoint: boolean };

/** The message of an evaluation error without a second file:line (the step's own is added once). */
const detailOf = (e: unknown): string => (e instanceof EvalError ? e.detail : (e as Error).message);

/** One file's sampling state: the plan of its givens and the assignments drawn so far (shared by its steps). */
export class FileChecker {
  readonly plan: Plan;
  readonly samples: number;
  readonly tolerance: number;
  private readonly arb: fc.Arbitrary<Draw>;
  private readonly drawn = new Map<string, { sampled: Sampled; ev: Evaluator } | Rejection>();
  private readonly magnitudes = new WeakMap<MathNode, Expr>();
  private readonly magnitudeContext: MagnitudeContext;
  readonly lang: FileLanguage;
  readonly deadline: Deadline;

  constructor(readonly pf: ProofFile, readonly opts: CheckOptions) {
    const limits = opts.limits ?? DEFAULT_LIMITS;
    this.samples = opts.samples ?? pf.samples ?? DEFAULT_SAMPLES;
    if (this.samples > limits.samples) {
      throw new ProofError(pf.file, pf.lines.samples ?? 1, `samples: ${this.samples} is above the budget of ${limits.samples} assignments per step; lower it, or raise the budget with --limit samples=N`);
    }
    this.tolerance = pf.tolerance ?? FLOAT64_RELATIVE_TOLERANCE;
    if (this.tolerance > LOOSE_TOLERANCE && !opts.allowLooseTolerance) {
      throw new ProofError(pf.file, pf.lines.tolerance ?? 1, `tolerance: ${this.tolerance} is looser than ${LOOSE_TOLERANCE.toExponential()}: steps wrong by up to ${this.tolerance * 100}% would pass; lower it (the default is ${FLOAT64_RELATIVE_TOLERANCE}), or pass --allow-loose-tolerance to use it anyway`);
    }
    this.deadline = new Deadline(opts.timeout ?? DEFAULT_TIMEOUT_SECONDS);
    this.lang = new FileLanguage(limits, this.deadline);
    this.plan = planOf(pf);
    this.arb = drawArb(this.plan);
    this.assignments = assignmentsUnder(this.plan);
    this.magnitudeContext = {
      functions: new Set(pf.names.functions),
      defines: new Map(pf.define.flatMap((d) => (d.kind === 'value' ? [[d.name, d.expr.node] as const] : []))),
      sequences: new Set(pf.names.sequences),
    };
    // a derivative's tree has its defines expanded and nothing but scalars and elementary functions
    const plain: MagnitudeContext = { functions: new Set(), defines: new Map(), sequences: new Set() };
    this.lang.magnitudeOf = (node) => magnitudeNode(node, plain);
  }

  /** The assignments of draws this checker made or was given (REUSE.on): found by the object, not by its text. */
  private readonly byDraw = new WeakMap<Draw, { sampled: Sampled; ev: Evaluator } | Rejection>();

  /** Assignments of the shared draws under this plan, made by any checker of an equal plan (REUSE.on). */
  private readonly assignments: WeakMap<Draw, Sampled | Rejection> | undefined;

  private at(draw: Draw): { sampled: Sampled; ev: Evaluator } | Rejection {
    let hit = REUSE.on ? this.byDraw.get(draw) : undefined;
    if (hit) return hit;
    const key = JSON.stringify(draw);
    hit = this.drawn.get(key);
    if (!hit) {
      let s = this.assignments?.get(draw);
      if (!s) { s = assignmentOf(this.plan, draw); this.assignments?.set(draw, s); }
      hit = 'rejected' in s ? s : { sampled: s, ev: new Evaluator(this.pf, s.assignment, this.lang) };
      this.drawn.set(key, hit);
    }
    if (REUSE.on) this.byDraw.set(draw, hit);
    return hit;
  }

  /** Draws already made, by count: every step asks for the same ones. */
  private readonly drawsByCount = new Map<number, readonly Draw[]>();

  /** The draws of this file's seed (the same for every step), up to `n`; made once per count. */
  draws(n = this.samples): readonly Draw[] {
    let d = this.drawsByCount.get(n);
    if (!d) {
      const all = drawsOf(this.plan, this.arb, this.opts.seed, n);
      d = all.length === n ? all : all.slice(0, n);
      this.drawsByCount.set(n, d);
    }
    return d;
  }

  /** Draws of the seed from the first, at least `n` of them (REUSE.on: shared with every checker of the same shape and seed). */
  private pool: readonly Draw[] = [];
  private pooled(i: number): Draw {
    if (i >= this.pool.length) this.pool = drawsOf(this.plan, this.arb, this.opts.seed, Math.max(i + 1, this.samples));
    return this.pool[i];
  }

  /** Why the givens admit no assignment, or null when some draw is accepted. */
  vacuity(): string | null {
    const reasons = new Map<string, number>();
    const draws = this.draws(Math.max(this.samples, 200));
    for (const d of draws) {
      const s = this.at(d);
      if (!('rejected' in s)) return null;
      const why = s.rejected === 'constraint' ? `the constraint \`${s.detail}\` failed` : `no witness fits \`${s.detail}\` at the sampled constants`;
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }
    const why = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([w, k]) => `${w} ${k} times`).join(', ');
    return `no assignment satisfies the givens: in ${draws.length} draws, ${why}; check the givens for a contradiction`;
  }

  private magnitudeExpr(e: Expr): Expr {
    let m = this.magnitudes.get(e.node);
    if (!m) {
      const node = magnitudeNode(e.node, this.magnitudeContext);
      m = { source: node.toString(), node, line: e.line };
      this.magnitudes.set(e.node, m);
    }
    return m;
  }

  private compare(ev: Evaluator, lhs: Expr, rel: Rel, rhs: Expr): Outcome {
    let l: Value, r: Value;
    try {
      l = ev.evaluate(lhs);
      r = ev.evaluate(rhs);
    } catch (e) {
      if (e instanceof TimedOut) throw e;
      return { kind: 'error', message: detailOf(e), atAPoint: !(e instanceof EvalError) || e.atAPoint };
    }
    if (!allFinite(l) || !allFinite(r)) return { kind: 'skip' };
    const scalar = typeof l === 'number' && typeof r === 'number';
    if (!scalar && rel !== '==') return { kind: 'error', message: `${rel} compares numbers, but the left side is ${shapeOf(l)} and the right side ${shapeOf(r)}`, atAPoint: true };
    if (scalar ? holds(l as number, rel, r as number, 0) : equalWithin(l, r, 0)) return { kind: 'holds' };
    // only now the rounding allowance (most comparisons never need it)
    let scale: number;
    try {
      const extra = oracleMagnitudes(ev, this.tolerance);
      scale = Math.max(size(l), size(r), size(ev.evaluate(this.magnitudeExpr(lhs), extra)), size(ev.evaluate(this.magnitudeExpr(rhs), extra)));
    } catch (e) {
      if (e instanceof TimedOut) throw e;
      scale = Math.max(size(l), size(r));
    }
    const slack = this.tolerance * scale;
    if (!scalar && (shapeOf(l) !== shapeOf(r))) return { kind: 'error', message: `the two sides have different shapes: ${shapeOf(l)} and ${shapeOf(r)}`, atAPoint: true };
    const ok = scalar ? holds(l as number, rel, r as number, slack) : equalWithin(l, r, slack);
    if (ok) return { kind: 'holds' };
    // A finite side computed through an overflow (e^355 squared, then divided into) is not a
    // float64 value of the expression: like a non-finite side, it is skipped, not evidence.
    return this.overflowsInside(ev, lhs) || this.overflowsInside(ev, rhs) ? { kind: 'skip' } : { kind: 'fails', l, r };
  }

  /** A node's text, made once (a failing step and its shrinking look at every part of both sides at each draw). */
  private readonly texts = new WeakMap<MathNode, string>();
  private textOf(n: MathNode): string {
    let t = this.texts.get(n);
    if (t === undefined) { t = n.toString(); this.texts.set(n, t); }
    return t;
  }

  /**
   * Whether some sub-expression of `e` is ±∞ or NaN at this assignment, or
   * underflowed: a product, quotient, power or exp of nonzero numbers that
   * came out 0 or subnormal (0.001^1000 is 0 in float64, and 0^c is then 0,
   * not 1). Checked only when a comparison fails.
   */
  private overflowsInside(ev: Evaluator, e: Expr): boolean {
    const at = (n: MathNode): Value => ev.evaluate({ source: this.textOf(n), node: n, line: e.line });
    const underflowed = (n: MathNode, v: Value): boolean => {
      if (typeof v !== 'number' || Math.abs(v) >= 2.2250738585072014e-308) return false;
      const o = n as unknown as { fn: string | { name: string }; args: MathNode[] };
      const fn = typeof o.fn === 'string' ? o.fn : o.fn?.name;
      if (!['multiply', 'divide', 'pow', 'exp'].includes(fn)) return false;
      return o.args.every((a) => { const x = at(a); return typeof x === 'number' && x !== 0; });
    };
    const bad = (n: MathNode): boolean => {
      if (n.type === 'SymbolNode' || n.type === 'ConstantNode') return false;
      try {
        const v = at(n);
        if (!allFinite(v) || underflowed(n, v)) return true;
      } catch {
        return false;
      }
      // the body of sumover/diff has a bound index (and `i` alone is mathjs's imaginary unit)
      if (n.type === 'FunctionNode' && BOUND_INDEX.has((n as unknown as { fn: { name: string } }).fn.name)) return false;
      let found = false;
      n.forEach((child, path) => { if (!found && path !== 'fn') found = bad(child); });
      return found;
    };
    return bad(e.node);
  }

  /** Check `lhs rel rhs` at this file's assignments (sampling, then symbolic or interval proof). */
  checkRelation(lhs: Expr, rel: Rel, rhs: Expr, line: number, justification?: string): StepResult {
    const shrink = this.opts.shrink !== false;
    const base = { line, lhs: lhs.source, relation: rel, rhs: rhs.source, ...(justification ? { justification } : {}) };
    let compared = 0, skipped = 0, accepted = 0, shrinking = false, timedOut = false;
    let error: string | undefined;
    // Past the deadline every remaining run passes at once: before a failure the step is then
    // inconclusive; while a failure is shrunk, fast-check keeps the last real counterexample.
    const outOfTime = () => { if (!shrinking) timedOut = true; return true; };
    /** One run of the property at a draw: true or false, or 'skip' where fast-check's run would be skipped (fc.pre). */
    const visit = (draw: () => Draw): boolean | 'skip' => {
      // one evaluation error decides the step: the remaining samples are not evaluated
      if (error !== undefined) return true;
      if (this.deadline.passed) return outOfTime();
      const s = this.at(draw());
      if ('rejected' in s) return 'skip';
      let out: Outcome;
      try {
        out = this.compare(s.ev, lhs, rel, rhs);
      } catch (e) {
        if (e instanceof TimedOut) return outOfTime();
        throw e;
      }
      if (!shrinking) accepted++;
      if (out.kind === 'error') {
        // a draw tried while shrinking a refutation does not turn it into an error
        if (!shrinking) error ??= out.atAPoint ? `${out.message} (at ${describe(s.sampled.values)})` : out.message;
        return true;
      }
      if (out.kind === 'skip') { if (!shrinking) skipped++; return true; }
      if (out.kind === 'fails') { shrinking = true; return false; }
      if (!shrinking) compared++;
      return true;
    };
    const prop = fc.property(this.arb, (draw) => {
      const ok = visit(() => draw);
      if (ok === 'skip') fc.pre(false);
      return ok !== false;
    });
    // With REUSE.on the runs are first replayed over the seed's shared draws (fast-check's own, in its
    // order). A step that fails there is shrunk by fast-check from the failing run (its `path`: the same
    // value and the same shrinks as a run from the start); one that threw is run again from the start.
    const fromStart = () => {
      compared = 0; skipped = 0; accepted = 0; shrinking = false; timedOut = false; error = undefined;
      return fc.check(prop, { seed: this.opts.seed, numRuns: this.samples, endOnFailure: !shrink });
    };
    const replayed = REUSE.on ? this.replay(visit) : 'threw';
    let run: { failed: boolean; counterexample: [Draw] | null };
    if (replayed === 'passed') run = { failed: false, counterexample: null };
    else if (replayed === 'threw') run = fromStart();
    else if (!shrink) run = { failed: true, counterexample: [this.pooled(replayed)] };
    else {
      run = fc.check(prop, { seed: this.opts.seed, numRuns: this.samples, path: String(replayed) });
      if (!run.failed) run = fromStart();
    }
    if (error) return { ...base, verdict: 'error', samples: compared, skipped, message: `${this.pf.file}:${line}: ${error}` };
    if (run.failed && run.counterexample) {
      const draw = run.counterexample[0] as Draw;
      return { ...base, verdict: 'refuted', samples: compared + 1, skipped, counterexample: this.counterexample(draw, lhs, rhs) };
    }
    if (timedOut) return { ...base, verdict: 'inconclusive', samples: compared, skipped, message: `timed out after ${this.deadline.seconds} s with ${compared} samples compared (raise it with --timeout SECONDS)` };
    if (accepted === 0) return { ...base, verdict: 'vacuous', samples: 0, skipped, message: this.vacuity() ?? 'no assignment satisfied the givens' };
    if (compared === 0) {
      return { ...base, verdict: 'inconclusive', samples: 0, skipped, message: `no sample gave finite values on both sides (${skipped} skipped), so there is no evidence either way; check for overflow, log of 0 or 0/0` };
    }
    const sharp = this.atTightWitnesses(lhs, rel, rhs);
    if (sharp) return { ...base, verdict: 'refuted', samples: compared + 1, skipped, counterexample: this.counterexample(sharp, lhs, rhs), message: 'refuted at a sharp witness (the class constant attained, the start at its worst point), which sampling had missed' };
    const proof = this.opts.prove === false ? null : this.prove(lhs, rel, rhs);
    if (proof && 'breach' in proof) return { ...base, verdict: 'refuted', samples: compared, skipped, counterexample: proof.breach, message: proof.how };
    if (proof) return { ...base, verdict: proof.verdict, samples: compared, skipped, message: proof.how };
    const pep = this.opts.prove === false ? null : this.interpolate(lhs, rel, rhs);
    if (pep?.verdict === 'refuted') return { ...base, verdict: 'refuted', samples: compared, skipped, counterexample: pep.counterexample, message: pep.how };
    if (pep) return { ...base, verdict: 'certified', samples: compared, skipped, message: pep.how, scope: pep.scope };
    return { ...base, verdict: 'sampled', samples: compared, skipped };
  }

  /**
   * fast-check's runs of a property, over the pooled draws: the same draws in
   * the same order, the same count of runs (the samples, one more per run
   * skipped by a precondition, until 100 skips per sample: fast-check's
   * SourceValuesIterator). 'passed' when none fails; else the index of the
   * draw whose run returned false, or 'threw'.
   */
  private replay(visit: (draw: () => Draw) => boolean | 'skip'): 'passed' | 'threw' | number {
    let runs = this.samples, skips = this.samples * MAX_SKIPS_PER_RUN;
    for (let i = 0; --runs !== -1 && skips >= 0; i++) {
      let ok: boolean | 'skip';
      try { ok = visit(() => this.pooled(i)); } catch { return 'threw'; }
      if (ok === false) return i;
      if (ok === 'skip') { skips--; runs++; }
    }
    return 'passed';
  }

  /**
   * A draw at which the step fails when its functions' witnesses are the
   * sharp cases of their classes (tightChoices; a horizon taken from the
   * file's integers) and its vectors start where those witnesses start;
   * null when none of these fails. Only for steps of files with functions.
   */
  private atTightWitnesses(lhs: Expr, rel: Rel, rhs: Expr): Draw | null {
    if (this.plan.functions.length === 0) return null;
    const draws = this.draws();
    for (const [i, fn] of this.plan.functions.entries()) {
      for (const [c, { choice, family }] of tightChoices(this.opts.seed).entries()) {
        // the first draws at whose constants this sharp witness fits (sin-pl fits only when pl ≤ 0.022 L)
        let used = 0;
        for (const [k, d] of draws.slice(0, TIGHT_SCAN).entries()) {
          if (used >= TIGHT_STARTS) break;
          // the vectors at the witness's start, near its point of least curvature (where a non-convex
          // witness is non-convex: vectorOf's mode 5), and as drawn
          for (const where of [3, 5, -1]) {
            if (this.deadline.passed) return null;
            const make = (): Draw => ({
              ...d,
              functions: d.functions.map((f, j) => (j === i ? { ...choice, seed: f.seed } : f)),
              vectors: where >= 0 ? d.vectors.map((v) => ({ ...v, mode: where })) : d.vectors,
            });
            // the same object at every step and in every checker of this seed (REUSE.on): its assignment is found by it
            const draw = sharedDraw(this.plan, this.opts.seed, `tight ${i} ${c} ${k} ${where}`, make);
            const s = this.at(draw);
            if ('rejected' in s || s.sampled.witnesses[fn.name]?.family !== family) break;
            if (where === 3) used++;
            let out: Outcome;
            try {
              out = this.compare(s.ev, lhs, rel, rhs);
            } catch (e) {
              if (e instanceof TimedOut) return null;
              throw e;
            }
            if (out.kind === 'fails') return draw;
          }
        }
      }
    }
    return null;
  }

  /**
   * The step as a performance-estimation problem of its functions' classes at
   * the first accepted assignments (interpolation.ts): certified, or refuted
   * by a function of the class, or null.
   */
  private interpolate(lhs: Expr, rel: Rel, rhs: Expr): { verdict: 'certified'; how: string; scope: StepResult['scope'] } | { verdict: 'refuted'; how: string; counterexample: Counterexample } | null {
    if (this.plan.functions.length === 0 && this.plan.vectors.length === 0) return null;
    // without csdp there is no certificate to look for: the step keeps the sampling's verdict
    if (!hasSolver('csdp')) return null;
    const scalars = [...this.pf.names.reals, ...this.pf.names.integers, ...this.plan.dims];
    // the most moderate of the first accepted draws (the sampler favours boundary and extreme
    // values; a problem with L = 1e-6 next to γ = 1 is one the solver meets at its accuracy's edge)
    const candidates: Record<string, number>[] = [];
    for (const d of this.draws(Math.max(this.samples, 2 * INTERPOLATION_CANDIDATES))) {
      if (candidates.length >= INTERPOLATION_CANDIDATES) break;
      const s = this.at(d);
      if ('rejected' in s) continue;
      candidates.push(Object.fromEntries(scalars.map((k) => [k, s.sampled.values[k] as number])));
    }
    const extremity = (a: Record<string, number>) => Math.max(0, ...Object.values(a).map((v) => (v === 0 ? 0 : Math.abs(Math.log10(Math.abs(v))))));
    const assignments = candidates.map((a, i) => ({ a, i, e: extremity(a) })).sort((x, y) => x.e - y.e || x.i - y.i).slice(0, 2 * INTERPOLATION_ASSIGNMENTS).map((x) => x.a);
    const holds = (values: Record<string, number>) => this.plan.constraints.every((c) => { try { return c.holds.evaluate({ ...values }) === true; } catch { return false; } });
    const out = interpolationVerdict(this.pf, lhs.node, rel, rhs.node, assignments, new Set([...this.pf.names.integers, ...this.plan.dims]), holds, INTERPOLATION_ASSIGNMENTS);
    if (!out) return null;
    if (out.verdict === 'certified') return { verdict: 'certified', how: out.how, scope: out.scope };
    const r = out.refutation!;
    const values: Counterexample['values'] = { ...r.parameters, ...r.vectors };
    for (const d of this.plan.dims) values[d] = r.dimension;
    const witnesses: Counterexample['witnesses'] = {};
    for (const [fn, cls] of Object.entries(r.classes)) {
      witnesses[fn] = { family: 'interpolation data', params: { class: cls, points: r.points.filter((p) => p.fn === fn).map(({ label, x, g, f }) => ({ label, x, g, f })) }, scale: 1, constants: {} };
    }
    return { verdict: 'refuted', how: out.how, counterexample: { values, witnesses, lhs: r.lhs, rhs: r.rhs, explicit: this.onExplicitFunctions(r, values, lhs, rel, rhs) } };
  }

  /**
   * The refutation's functions built explicitly (explicit-function.ts) and the
   * step's sides evaluated through them by the file's own evaluator, compared
   * with the file's tolerance: the failure seen on a function, not on points.
   */
  private onExplicitFunctions(r: RefutationAt, values: Counterexample['values'], lhs: Expr, rel: Rel, rhs: Expr): ExplicitCheck {
    const built = explicitFunctions(r, this.pf.names.functions);
    if ('why' in built) return { built: false, why: built.why };
    // a declared vector the step does not depend on is 0, so that a define naming it still evaluates
    const zeros = Object.fromEntries(this.pf.names.vectors.map((v) => [v, new Array(r.dimension).fill(0)]));
    const ev = new Evaluator(this.pf, { values: { ...zeros, ...values }, functions: built.instances }, this.lang);
    const side = (e: Expr): PlainValue => { try { return ev.evaluate(e); } catch (err) { if (err instanceof TimedOut) throw err; return NaN; } };
    return { built: true, functions: built.functions, lhs: side(lhs), rhs: side(rhs), fails: this.compare(ev, lhs, rel, rhs).kind === 'fails' };
  }

  private counterexample(draw: Draw, lhs: Expr, rhs: Expr): Counterexample {
    const s = this.at(draw) as { sampled: Sampled; ev: Evaluator };
    return {
      values: s.sampled.values,
      witnesses: s.sampled.witnesses,
      lhs: s.ev.evaluate(lhs),
      rhs: s.ev.evaluate(rhs),
    };
  }

  /**
   * A symbolic proof of an equality, or an interval certificate of a scalar
   * inequality, or the point at which branch and bound found the inequality
   * broken (kept only when the file's own comparison agrees there).
   */
  private prove(lhs: Expr, rel: Rel, rhs: Expr): { verdict: 'proved' | 'certified'; how: string } | { breach: Counterexample; how: string } | null {
    const sample = this.firstAccepted();
    if (!sample) return null;
    const kindOf = (node: MathNode): Kind => {
      try {
        const v = sample.ev.evaluate({ source: node.toString(), node, line: lhs.line });
        return typeof v === 'number' ? 'scalar' : Array.isArray(v) && (v as unknown[]).every((x) => typeof x === 'number') ? 'vector' : 'other';
      } catch {
        return 'other';
      }
    };
    const scalars = new Set([...this.pf.names.reals, ...this.pf.names.integers]);
    const integers = new Set(this.pf.names.integers);
    const variables = [...scalars].map((name) => ({ name, integer: integers.has(name) }));
    const constraints = this.plan.constraints.map((c) => c.node);
    if (rel === '==') {
      // a side condition of a power or log law: a > 0 over the whole region of the givens
      const positive = (a: MathNode) => {
        // a given that says so (`v*x > 0`, `0 < v*x`): boxes cannot show a strict sign up to the region's edge
        const text = bare(a);
        const zero = (n: MathNode) => n.type === 'ConstantNode' && Number((n as unknown as { value: unknown }).value) === 0;
        if (constraints.some((c) => comparisons(c).some(({ a: l, op, b: r }) => (op === 'larger' && zero(r) && bare(l) === text) || (op === 'smaller' && zero(l) && bare(r) === text)))) return true;
        const c = remembered('certify', keyOf(a, '>', ZERO, variables, constraints, SIDE_CONDITION_BOXES), () => certifyScalarStep(a, '>', ZERO, variables, constraints, { maxBoxes: SIDE_CONDITION_BOXES }));
        return !!c && 'method' in c;
      };
      const how = provedEqual(lhs.node, rhs.node, this.pf, kindOf, positive, pinnedByGivens(constraints));
      return how ? { verdict: 'proved', how } : null;
    }
    const l = expand(lhs.node, this.pf), r = expand(rhs.node, this.pf);
    let onlyScalars = true;
    for (const side of [l, r]) {
      side.traverse((n, path, parent) => {
        if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) {
          const name = (n as unknown as { name: string }).name;
          if (!scalars.has(name) && !['pi', 'e'].includes(name)) onlyScalars = false;
        }
      });
    }
    if (!onlyScalars) return null;
    // pure functions of their arguments: a twin's unchanged steps, and seeds after the first, ask again
    const cert = remembered('certify', keyOf(l, rel, r, variables, constraints, CERTIFY_BOXES), () => certifyScalarStep(l, rel, r, variables, constraints, { maxBoxes: CERTIFY_BOXES }));
    if (!cert) {
      const literals = literalsOfFile(this.pf);
      const how = remembered('sign facts', keyOf(l, rel, r, constraints, literals), () => signFactFromGivens(l, rel, r, constraints, literals));
      return how ? { verdict: 'certified', how } : null;
    }
    if ('method' in cert) return { verdict: 'certified', how: cert.method };
    const breach = this.confirmBreach(sample, cert.point, lhs, rel, rhs);
    return breach && { breach, how: 'interval branch and bound found a point of the domain that breaks the step; sampling had missed it' };
  }

  /**
   * The certifier's point as a counterexample, when every given holds there
   * (it may read fewer of them than there are) and the file's own comparison,
   * with its tolerance, fails there too.
   */
  private confirmBreach(sample: { sampled: Sampled }, point: Record<string, number>, lhs: Expr, rel: Rel, rhs: Expr): Counterexample | null {
    const values = { ...sample.sampled.values, ...point };
    for (const c of this.plan.constraints) {
      let ok: unknown;
      try { ok = c.holds.evaluate({ ...values }); } catch { ok = false; }
      if (ok !== true) return null;
    }
    const ev = new Evaluator(this.pf, { ...sample.sampled.assignment, values }, this.lang);
    const out = this.compare(ev, lhs, rel, rhs);
    if (out.kind !== 'fails') return null;
    return { values: point, witnesses: {}, lhs: out.l, rhs: out.r };
  }

  private firstAccepted(): { sampled: Sampled; ev: Evaluator } | undefined {
    for (const d of this.draws()) {
      const s = this.at(d);
      if (!('rejected' in s)) return s;
    }
    return undefined;
  }

  /**
   * Both sides at every accepted assignment, in draw order (the same order on
   * every call, so entry i of two calls is the same assignment); a side that
   * is not a finite number, or fails to evaluate, is NaN. `rhsNoise`: the
   * right side is within its rounding allowance of 0, so its sign says nothing.
   */
  sides(lhs: Expr, rhs: Expr): { lhs: number; rhs: number; rhsNoise: boolean }[] {
    const out: { lhs: number; rhs: number; rhsNoise: boolean }[] = [];
    const num = (ev: Evaluator, e: Expr, extra?: Record<string, unknown>) => {
      try {
        const v = ev.evaluate(e, extra);
        return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
      } catch {
        return NaN;
      }
    };
    for (const d of this.draws()) {
      const s = this.at(d);
      if ('rejected' in s) continue;
      const r = num(s.ev, rhs);
      const scale = num(s.ev, this.magnitudeExpr(rhs), oracleMagnitudes(s.ev, this.tolerance));
      out.push({ lhs: num(s.ev, lhs), rhs: r, rhsNoise: Math.abs(r) <= this.tolerance * (Number.isFinite(scale) ? scale : Math.abs(r)) });
    }
    return out;
  }

  /** Whether two expressions agree (within the tolerance) at every sampled assignment where both are finite. */
  agree(a: Expr, b: Expr): boolean {
    for (const d of this.draws()) {
      const s = this.at(d);
      if ('rejected' in s) continue;
      let x: Value, y: Value;
      try { x = s.ev.evaluate(a); y = s.ev.evaluate(b); } catch { return false; }
      if (!allFinite(x) || !allFinite(y)) continue;
      if (!equalWithin(x, y, this.tolerance * Math.max(size(x), size(y)))) return false;
    }
    return true;
  }
}

const STRENGTH: Record<Rel, Rel[]> = {
  '==': ['=='], '<=': ['<=', '<', '=='], '<': ['<'], '>=': ['>=', '>', '=='], '>': ['>'],
};

/** Verdicts that are evidence for a step. */
const EVIDENCE = new Set(['proved', 'certified', 'sampled']);

/**
 * Whether a chain runs from the claim's left side to its right side with a
 * relation at least as strong, every step of it with evidence: a chain with a
 * refuted, erroneous or inconclusive step establishes nothing.
 */
function establishes(checker: FileChecker, pf: ProofFile, steps: readonly StepResult[]): { established: boolean; establishedNote: string } {
  const claim = pf.claim!;
  const [left, right] = claim.terms;
  const rel = claim.relations[0];
  const matching = (c: Chain) => checker.agree(c.first, left) && checker.agree(c.steps[c.steps.length - 1].expr, right);
  const lacking = (c: Chain) => c.steps.map((st) => steps.find((r) => r.line === st.line)).find((r) => !r || !EVIDENCE.has(r.verdict));
  const candidates = pf.chains.filter((c) => STRENGTH[rel].includes(c.composed) && matching(c));
  const found = candidates.find((c) => !lacking(c));
  if (found) return { established: true, establishedNote: `the chain at line ${found.line} establishes the claim` };
  if (candidates.length) {
    const c = candidates[0], bad = lacking(c)!;
    return { established: false, establishedNote: `the chain at line ${c.line} would establish the claim, but its step at line ${bad?.line ?? '?'} is ${bad?.verdict ?? 'unchecked'}` };
  }
  const weak = pf.chains.find(matching);
  if (weak) return { established: false, establishedNote: `the chain at line ${weak.line} runs from the claim's left side to its right side, but its relation ${weak.composed} is weaker than the claim's ${rel}` };
  return { established: false, establishedNote: 'no chain starts at the claim\'s left side and ends at its right side' };
}

/** Check every step and the claim of a parsed file. Malformed files throw ProofError before any sampling. */
export function checkProof(pf: ProofFile, opts: CheckOptions): FileResult {
  const started = performance.now();
  checkNames(pf);
  if (pf.chains.length === 0 && !pf.claim) {
    throw new ProofError(pf.file, 1, 'nothing to check: the file has no `claim:` and no chain block; add a claim, or a ```chain block with at least one step');
  }
  const checker = new FileChecker(pf, opts);
  const done = (verdict: FileVerdict, steps: FileResult['steps'], extra: Partial<FileResult> = {}): FileResult => ({
    file: pf.file, title: pf.title, verdict, steps, ...extra, tolerance: checker.tolerance, seed: opts.seed, seconds: (performance.now() - started) / 1000,
  });
  const vacuous = checker.vacuity();
  if (vacuous) return done('error', [], { error: `${pf.file}:${firstGivenLine(pf)}: ${vacuous}` });
  const steps: StepResult[] = [];
  for (const chain of pf.chains) {
    let prev = chain.first;
    for (const step of chain.steps) {
      steps.push(checker.checkRelation(prev, step.relation, step.expr, step.line, step.justification));
      prev = step.expr;
    }
  }
  let claim: ClaimResult | undefined;
  if (pf.claim) {
    const [l, r] = pf.claim.terms;
    const res = checker.checkRelation(l, pf.claim.relations[0], r, pf.claim.line);
    claim = { ...res, ...(checker.deadline.passed ? { established: false, establishedNote: 'not looked for: the time ran out' } : establishes(checker, pf, steps)) };
  }
  const all = [...steps, ...(claim ? [claim] : [])];
  const timedOut = checker.deadline.passed ? { reason: `timed out after ${checker.deadline.seconds} s (raise it with --timeout SECONDS)` } : {};
  return done(fileVerdict(all), steps, { ...(claim ? { claim } : {}), ...timedOut });
}

/** error beats refuted beats inconclusive beats valid: a file is valid only when every step has evidence. */
export function fileVerdict(all: readonly StepResult[]): FileVerdict {
  if (all.some((s) => s.verdict === 'error' || s.verdict === 'vacuous')) return 'error';
  if (all.some((s) => s.verdict === 'refuted')) return 'refuted';
  if (all.some((s) => s.verdict === 'inconclusive')) return 'inconclusive';
  return 'valid';
}

const firstGivenLine = (pf: ProofFile) => pf.given[0]?.line ?? 1;

/** Short text of sampled values for messages. */
export function describe(values: Record<string, unknown>): string {
  const fmt = (v: unknown): string => (typeof v === 'number' ? Number(v.toPrecision(6)).toString() : Array.isArray(v) ? `[${v.map(fmt).join(', ')}]` : String(v));
  return Object.entries(values).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ');
}

export { ProofError };
