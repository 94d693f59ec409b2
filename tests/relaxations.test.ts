/**
 * The relaxation regressions (regressions/relaxations.yaml): every entry's
 * search is re-run and must give the outcome the file expects, and every
 * stored counterexample must replay, through the verifier, as a violation at
 * the same step beyond the tolerance model (in expectation: the whole
 * confidence interval over the recorded seeds above the bound).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../src/engine/backend.ts';
import { theoremById } from '../src/theorems/index.ts';
import { parseStatement } from '../src/language/statement.ts';
import { relax, replayRelaxation } from '../src/search/relax.ts';
import { describeEntry, readRelaxations } from '../src/search/regressions.ts';

const entries = readRelaxations();

beforeAll(async () => { await initEngine(); });

describe('regressions/relaxations.yaml', () => {
  it('covers the known counterexamples of the catalogue theorems, and a relaxation that holds', () => {
    const has = (theorem: string, drop: string) => entries.some((e) => e.theorem === theorem && e.drop.includes(drop));
    expect(has('gd-convex-any-step', 'gamma < 2 / L')).toBe(true); // the step above 2/L
    expect(has('gd-convex', 'L-smooth')).toBe(true); // x⁴
    expect(has('gd-strongly-convex', 'mu-strongly-convex')).toBe(true); // Huber: no linear rate
    expect(has('cocoercivity', 'convex')).toBe(true); // −(L/2)x²
    expect(has('heavy-ball-quadratic', 'quadratic')).toBe(true); // Lessard
    expect(has('sgd-interpolation', 'interpolation')).toBe(true); // ½(x ∓ 1)²: E x_k² → γ/(2 − γ)
    expect(has('sgd-strongly-convex-diminishing', 'b > 1')).toBe(true); // BCN 4.7 with β ≤ 1/(cμ)
    expect(entries.some((e) => e.expect === 'holds')).toBe(true);
    for (const e of entries) expect(theoremById(e.theorem), e.theorem).toBeDefined();
    for (const e of entries.filter((x) => x.expect === 'counterexample')) expect(e.counterexample, describeEntry(e)).toBeDefined();
  });

  it.each(entries.map((e) => [describeEntry(e), e] as const))('%s', async (_, e) => {
    const th = theoremById(e.theorem)!;
    const r = await relax(th, { drop: e.drop, add: e.add, seed: e.seed });
    // One object per entry, so that a changed outcome shows as a diff of it.
    expect({ relaxation: describeEntry(e), outcome: r.verdict }).toEqual({ relaxation: describeEntry(e), outcome: e.expect });

    const stored = e.counterexample;
    if (!stored) return;
    const again = await replayRelaxation(th, e, stored);
    expect(again, `the stored counterexample of ${describeEntry(e)} no longer violates`).toBeDefined();
    expect(again!.step).toBe(stored.step);
    expect(again!.part).toBe(stored.part ?? 0);
    expect(!!again!.divergence).toBe(!!stored.divergence);
    if (!stored.divergence) {
      // Beyond the tolerance, and the same numbers (float32 backends may differ in the last bits).
      const relation = parseStatement(th.statement).parts[again!.part].relation;
      const excess = relation === '>=' ? again!.bound - again!.measured : again!.measured - again!.bound;
      expect(excess).toBeGreaterThan(again!.tolerance);
      expect(Math.abs(again!.measured - stored.measured!)).toBeLessThanOrEqual(1e-4 * Math.abs(stored.measured!));
      expect(Math.abs(again!.bound - stored.bound!)).toBeLessThanOrEqual(1e-9 * Math.abs(stored.bound!));
    }
    if (th.kind === 'expectation') {
      // Not only the mean: the interval over the same seeds, and all of it above the bound.
      expect(stored.seeds, describeEntry(e)).toBeDefined();
      const iv = again!.interval!;
      expect(iv.seeds).toBe(stored.seeds);
      expect(iv.lo - again!.bound).toBeGreaterThan(again!.tolerance);
      expect(Math.abs(iv.lo - stored.interval!.lo)).toBeLessThanOrEqual(1e-4 * Math.abs(stored.interval!.lo));
    }
  });
});
