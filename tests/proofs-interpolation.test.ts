/**
 * Interpolation certificates (src/proofs/interpolation.ts): function steps
 * certified by an exact dual certificate of their performance-estimation
 * problem at every seed; a planted wrong step refuted with points that a
 * check written here, independently of the module, finds interpolable in the
 * class and failing the step; convexity facts claimed for a PL function
 * never certified.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof } from '../src/proofs/check.ts';
import { interpolationVerdict } from '../src/proofs/interpolation.ts';
import { render } from '../src/cli/check.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i);
const TIMEOUT = 600_000;

const CONVEX = `---
title: three facts of convex L-smooth functions
given:
  - L > 0
  - f: R^d -> R, convex, L-smooth
  - x, y in R^d
define:
  gx: grad(f, x)
  gy: grad(f, y)
claim: dot(gx - gy, x - y) >= 1/L * norm(gx - gy)^2
---

\`\`\`chain
f(y)
  >= f(x) + dot(gx, y - x)                       # tangent lower bound
\`\`\`

\`\`\`chain
f(y)
  <= f(x) + dot(gx, y - x) + L/2 * norm(y - x)^2  # descent lemma
\`\`\`
`;

const all = (r: ReturnType<typeof checkProof>) => [...r.steps, ...(r.claim ? [r.claim] : [])];

describe('interpolation certificates', () => {
  it('co-coercivity, the tangent lower bound and the descent lemma are certified at every seed', () => {
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const r = checkProof(parseProof(CONVEX, 'convex.md'), { seed, samples: 20 });
      for (const s of all(r)) {
        if (s.verdict !== 'certified' || !/interpolation certificate/.test(s.message ?? '') || s.scope !== 'the sampled parameters') failures.push(`seed ${seed} line ${s.line}: ${s.verdict} ${s.message ?? ''}`);
      }
    }
    expect(failures).toEqual([]);
  }, TIMEOUT);

  it('a co-coercivity constant 1% too strong is refuted at its line at every seed', () => {
    const wrong = CONVEX.replace('>= 1/L * norm(gx - gy)^2', '>= 101/(100*L) * norm(gx - gy)^2');
    const claimLine = wrong.split('\n').findIndex((l) => l.startsWith('claim:')) + 1;
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const r = checkProof(parseProof(wrong, 'wrong.md'), { seed, samples: 20 });
      const refuted = all(r).filter((s) => s.verdict === 'refuted').map((s) => s.line);
      if (refuted.length !== 1 || refuted[0] !== claimLine) failures.push(`seed ${seed}: refuted at [${refuted.join(', ')}]`);
    }
    expect(failures).toEqual([]);
  }, TIMEOUT);

  it('the counterexample of a wrong step: points that are interpolable by a convex L-smooth function, and the step fails there', () => {
    const pf = parseProof(CONVEX, 'convex.md');
    const [lhs, rhs] = pf.claim!.terms;
    const wrongRhs = parseProof(CONVEX.replace('>= 1/L * norm(gx - gy)^2', '>= 101/(100*L) * norm(gx - gy)^2'), 'w.md').claim!.terms[1];
    const out = interpolationVerdict(pf, lhs.node, '>=', wrongRhs.node, [{ L: 2, d: 3 }], new Set(['d']), () => true);
    expect(out?.verdict).toBe('refuted');
    const r = out!.refutation!;
    expect(r.points.length).toBe(2);
    // the conditions of Taylor–Hendrickx–Glineur (2017, Thm 4, μ = 0), recomputed here from the printed points
    const L = 2;
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
    const minus = (a: number[], b: number[]) => a.map((v, i) => v - b[i]);
    for (const i of r.points) for (const j of r.points) {
      if (i === j) continue;
      const dg = minus(i.g, j.g);
      const slack = i.f - j.f - dot(j.g, minus(i.x, j.x)) - dot(dg, dg) / (2 * L);
      expect(slack).toBeGreaterThanOrEqual(-1e-12 * (1 + Math.abs(i.f) + Math.abs(j.f)));
    }
    // the step at the points: ⟨g_x − g_y, x − y⟩ < 1.01/L ‖g_x − g_y‖²
    const at = (v: number[]) => r.points.find((p) => p.x.every((c, k) => Math.abs(c - v[k]) <= 1e-12 * (1 + Math.abs(c))))!;
    const px = at(r.vectors.x), py = at(r.vectors.y);
    const dg = minus(px.g, py.g);
    expect(dot(dg, minus(px.x, py.x))).toBeLessThan(1.01 / L * dot(dg, dg));
    expect(out!.how).toMatch(/refuted by performance estimation/);
    // the correct constant at the same parameters is certified
    expect(interpolationVerdict(pf, lhs.node, '>=', rhs.node, [{ L: 2, d: 3 }], new Set(['d']), () => true)?.verdict).toBe('certified');
  });

  it('a convexity fact claimed for an L-smooth PL function is never certified (its conditions do not imply it)', () => {
    const pl = CONVEX.replace('f: R^d -> R, convex, L-smooth', 'f: R^d -> R, L-smooth, mu-PL').replace('  - L > 0', '  - L > 0\n  - 0 < mu <= L');
    for (const seed of SEEDS.slice(0, 5)) {
      const r = checkProof(parseProof(pl, 'pl.md'), { seed, samples: 20 });
      expect(r.claim!.verdict).not.toBe('certified');
      expect(r.steps[0].verdict).not.toBe('certified'); // the tangent lower bound needs convexity
      expect(r.steps[1].verdict).toBe('certified'); // the descent lemma does not
    }
  }, TIMEOUT);

  it('the text output says where a certificate holds: at the sampled parameters, also next to the tick', () => {
    const text = CONVEX.replace('\n```chain', '\n```chain\ndot(gx - gy, x - y)\n  >= 1/L * norm(gx - gy)^2   # co-coercivity\n```\n\n```chain');
    const out = render(checkProof(parseProof(text, 'c.md'), { seed: 0, samples: 20 }));
    expect(out).toMatch(/CERTIFIED at the sampled parameters \(20 samples\)/);
    expect(out).toMatch(/certified at the sampled parameters \(L = [^)]+\)/);
    expect(out).toMatch(/✓ the chain at line \d+ establishes the claim \(4 of the file's steps and claim certified at the sampled parameters only\)/);
  });

  it('a step outside the problems written here (a norm times a norm) is left to sampling', () => {
    const text = CONVEX.replace('claim: dot(gx - gy, x - y) >= 1/L * norm(gx - gy)^2', 'claim: dot(gx - gy, x - y) <= norm(gx - gy) * norm(x - y)');
    const r = checkProof(parseProof(text, 'cs.md'), { seed: 0, samples: 20 });
    expect(r.claim!.verdict).toBe('sampled');
  });
});

describe('without csdp', () => {
  it('a file with function steps still checks: the steps keep the sampling verdict, nothing errors', () => {
    const text = readFileSync(new URL('../proofs/descent-lemma-gd.md', import.meta.url), 'utf8');
    const byCertificate = (r: ReturnType<typeof checkProof>) => [...r.steps, ...(r.claim ? [r.claim] : [])].filter((s) => s.verdict === 'certified' && s.scope).length;
    // with csdp the file has steps certified by interpolation (so the check below is not vacuous)
    expect(byCertificate(checkProof(parseProof(text, 'proofs/descent-lemma-gd.md'), { seed: 0, samples: 50 }))).toBeGreaterThan(0);
    const before = process.env.BOUNDLAB_CSDP;
    process.env.BOUNDLAB_CSDP = '/nonexistent/csdp';
    try {
      const r = checkProof(parseProof(text, 'proofs/descent-lemma-gd.md'), { seed: 0, samples: 50 });
      expect(r.verdict).toBe('valid');
      expect(byCertificate(r)).toBe(0);
    } finally {
      if (before === undefined) delete process.env.BOUNDLAB_CSDP; else process.env.BOUNDLAB_CSDP = before;
    }
  });
});
