/**
 * Convexity-only facts claimed for a function that is only L-smooth and PL
 * are false (x² + 3 sin² x is non-convex on |x| ≈ 0.96–2.19), and must be
 * refuted at every seed; the same facts for an L-smooth convex function are
 * true and must never be. The points are drawn near the witness's point of
 * least curvature (src/proofs/sample.ts), so both land in the non-convex band.
 * Sampling only (prove: false), as in the seed-robustness test.
 */
import { describe, it, expect } from 'vitest';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof } from '../src/proofs/check.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i);

const FACTS: Record<string, string> = {
  'co-coercivity': 'dot(grad(f, x) - grad(f, y), x - y) >= 1/L * norm(grad(f, x) - grad(f, y))^2',
  'monotone gradient': 'dot(grad(f, x) - grad(f, y), x - y) >= 0',
  'tangent lower bound': 'f(y) >= f(x) + dot(grad(f, x), y - x)',
};

const file = (classes: string, claim: string) => `---
title: a convexity fact
given:
  - L > 0
  - 0 < mu <= L
  - f: R^d -> R, ${classes}
  - x in R^d
  - y in R^d
claim: ${claim}
---
`;

const verdictAt = (classes: string, claim: string, seed: number) =>
  checkProof(parseProof(file(classes, claim), 'fact.md'), { seed, samples: 200, prove: false }).verdict;

describe('convexity-only facts at 20 seeds', () => {
  for (const [name, claim] of Object.entries(FACTS)) {
    it(`${name}: refuted for an L-smooth PL function at every seed`, () => {
      const verdicts = SEEDS.map((seed) => verdictAt('L-smooth, mu-PL', claim, seed));
      expect(verdicts.filter((v) => v !== 'refuted')).toEqual([]);
    });
    it(`${name}: never refuted for an L-smooth convex function`, () => {
      const verdicts = SEEDS.map((seed) => verdictAt('L-smooth, convex', claim, seed));
      expect(verdicts.filter((v) => v === 'refuted' || v === 'error')).toEqual([]);
    });
  }
});
