/**
 * Prox steps in proof files (docs/proof-format.md, `prox(h, gamma, v)` and
 * `xstar(f + h)`): the witnesses of a proximal term are exact (the prox is
 * the minimiser of h + ‖· − v‖²/(2γ), its output comes with a subgradient,
 * the minimiser of f + h is one), checked here by hand at many seeds; the
 * subgradient inequality of a prox step and the descent of proximal gradient
 * are certified, the same facts 50% too strong are refuted; a prox of a
 * function declared smooth and a sum without a proximal term are errors.
 */
import { describe, expect, it } from 'vitest';
import { parseProof, ProofError } from '../src/proofs/parse.ts';
import { checkProof } from '../src/proofs/check.ts';
import { makeProximal } from '../src/proofs/proximal.ts';
import { demandOf, makeWitness } from '../src/proofs/witness.ts';
import { makeRng } from '../src/numeric/rng.ts';

const SEEDS = Array.from({ length: 40 }, (_, i) => i);
const TIMEOUT = 600_000;
const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => Array.from(u).reduce((s, x, i) => s + x * v[i], 0);

/** A convex L-smooth witness of the checker's own, as the smooth partner f. */
function smoothConvex(dim: number, seed: number) {
  const d = demandOf([{ text: 'convex', className: 'convex' }, { text: 'L-smooth', className: 'L-smooth', constant: 'L' }], { L: 1 })!;
  return makeWitness(d, dim, { pick: seed, seed, tight: seed % 3, u: 0.5 }, { hess: false, xstar: false })!.instance;
}

describe('proximal witnesses', () => {
  it('prox(h, γ, v) minimises h + ‖· − v‖²/(2γ), and (v − x⁺)/γ is a subgradient of h at x⁺ (l1 and l2, every sharpness, 40 seeds)', () => {
    const failures: string[] = [];
    for (const seed of SEEDS) {
      for (const tight of [0, 1, 2]) {
        const dim = 1 + (seed % 4);
        const { instance: h } = makeProximal(dim, { pick: seed, seed, tight, u: (seed % 10) / 9 });
        const rng = makeRng(1000 + seed);
        for (let k = 0; k < 10; k++) {
          const gamma = 10 ** (2 * rng.next() - 1);
          const v = Array.from({ length: dim }, () => 3 * rng.normal());
          const x = h.prox(gamma, v);
          const s = Array.from(v, (vi, i) => (vi - x[i]) / gamma);
          const model = (y: ArrayLike<number>) => h.value(y) + dot(Array.from(y, (yi, i) => yi - v[i]), Array.from(y, (yi, i) => yi - v[i])) / (2 * gamma);
          for (let j = 0; j < 20; j++) {
            const y = Array.from(x, (xi) => xi + 10 ** (-3 * rng.next()) * rng.normal());
            const tol = 1e-12 * (1 + Math.abs(h.value(y)) + Math.abs(h.value(x)) + Math.abs(dot(s, y)) + Math.abs(dot(s, x)));
            if (h.value(y) < h.value(x) + dot(s, Array.from(y, (yi, i) => yi - x[i])) - tol) failures.push(`seed ${seed} tight ${tight}: s is not a subgradient at the prox output`);
            if (model(y) < model(x) - tol) failures.push(`seed ${seed} tight ${tight}: the prox output is not the minimiser`);
          }
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, TIMEOUT);

  it('the minimiser of h alone, and of f + h for a convex smooth f, is one (40 seeds)', () => {
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const dim = 1 + (seed % 3);
      const f = smoothConvex(dim, seed);
      for (const tight of [0, 1, 2]) {
        const alone = makeProximal(dim, { pick: seed, seed, tight, u: 0.3 }).instance;
        const sum = makeProximal(dim, { pick: seed, seed, tight, u: 0.3 }, { name: 'f', inst: f }).instance;
        const xa = alone.nearestMinimiser([])!, xs = sum.sum!.xstar;
        const F = (y: ArrayLike<number>) => f.value(y) + sum.value(y);
        const rng = makeRng(seed);
        for (let j = 0; j < 50; j++) {
          const step = 10 ** (-4 * rng.next());
          const ya = Array.from(xa, (x) => x + step * rng.normal());
          const ys = Array.from(xs, (x) => x + step * rng.normal());
          if (alone.value(ya) < alone.cert.fstar - 1e-12 * (1 + Math.abs(alone.cert.fstar))) failures.push(`seed ${seed} tight ${tight}: h below its minimum`);
          if (F(ys) < F(xs) - 1e-12 * (1 + Math.abs(F(xs)) + Math.abs(f.value(xs)))) failures.push(`seed ${seed} tight ${tight}: f + h below its minimum`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, TIMEOUT);
});

const PROX = `---
title: one proximal gradient step
given:
  - 0 < L
  - f: R^d -> R, convex, L-smooth
  - h: R^d -> R, convex
  - w in R^d
define:
  xs: xstar(f + h)
  v: w - 1/L * grad(f, w)
  x1: prox(h, 1/L, v)
  s1: L * (v - x1)
claim: h(xs) >= h(x1) + dot(s1, xs - x1)
---

\`\`\`chain
f(x1) + h(x1)
  <= f(w) + h(w)       # a proximal gradient step with step 1/L does not increase F
\`\`\`

\`\`\`chain
f(xs) + h(xs)
  <= f(x1) + h(x1)     # xs minimises f + h
\`\`\`
`;

describe('prox steps in proof files', () => {
  it('the subgradient inequality of a prox step, the descent of a step and the minimum are certified (5 seeds)', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const r = checkProof(parseProof(PROX, 'prox.md'), { seed, samples: 50 });
      expect(r.verdict).toBe('valid');
      for (const s of [...r.steps, r.claim!]) expect(s.verdict).toBe('certified');
    }
  }, TIMEOUT);

  it('the same facts 50% too strong are refuted (5 seeds)', () => {
    const wrong = [
      PROX.replace('dot(s1, xs - x1)', '1.5 * dot(s1, xs - x1)'),
      PROX.replace('<= f(w) + h(w)  ', '<= f(w) + h(w) - 0.75 * L * norm(w - x1)^2  '),
    ];
    for (const text of wrong) {
      for (const seed of [0, 1, 2, 3, 4]) {
        const r = checkProof(parseProof(text, 'wrong.md'), { seed, samples: 200 });
        expect(r.verdict).toBe('refuted');
      }
    }
  }, TIMEOUT);

  it('prox of a function declared smooth, and the minimiser of a sum without a proximal term, are errors that say why', () => {
    const smooth = PROX.replace('h: R^d -> R, convex', 'h: R^d -> R, convex, L-smooth');
    expect(() => checkProof(parseProof(smooth, 's.md'), { seed: 0, samples: 5 })).toThrow(/prox\(h, gamma, v\) needs h declared/);
    const noProx = PROX.replace('x1: prox(h, 1/L, v)', 'x1: v');
    expect(() => checkProof(parseProof(noProx, 'n.md'), { seed: 0, samples: 5 })).toThrow(ProofError);
    expect(() => checkProof(parseProof(noProx, 'n.md'), { seed: 0, samples: 5 })).toThrow(/exactly one of the two must appear in prox/);
  });
});
