/**
 * Interpolation certificates (src/proofs/interpolation.ts): function steps
 * certified by an exact dual certificate of their performance-estimation
 * problem at every seed; a planted wrong step refuted with points that a
 * check written here, independently of the module, finds interpolable in the
 * class and failing the step; convexity facts claimed for a PL function
 * never certified. A refutation comes with the explicit function through its
 * points (pep/interpolant.ts): rebuilt here from the printed data, it is
 * checked to be of the class at points of its own and the step is recomputed
 * on it by hand (a two-step gradient-descent rate 10% too strong, at 20 seeds;
 * its correct constant is certified at each of them).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof } from '../src/proofs/check.ts';
import { interpolationVerdict } from '../src/proofs/interpolation.ts';
import { render } from '../src/cli/check.ts';
import { explicitFunctions } from '../src/proofs/explicit-function.ts';
import { interpolant, type ClassConstants } from '../src/pep/interpolant.ts';
import type { PepClass } from '../src/pep/model.ts';
import type { Counterexample } from '../src/proofs/result.ts';
import { makeRng } from '../src/numeric/rng.ts';

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

// Two steps of gradient descent with step 1/L on a convex L-smooth function: f(x2) − f* ≤ L‖x0 − x*‖²/10
// is tight (Drori–Teboulle 2014, L R²/(4N + 2) at N = 2); L/11 is 10% too strong, and only a Huber-like
// worst case breaks it (a quadratic reaches at most 1/16 of L R²: max over λ of (λ/2)(1 − λ/L)⁴ R²).
const GD_RATE = `---
title: two steps of gradient descent
given:
  - L > 0
  - f: R^d -> R, convex, L-smooth
  - x in R^d
define:
  x1: x - 1/L * grad(f, x)
  x2: x1 - 1/L * grad(f, x1)
---

\`\`\`chain
f(x2) - fstar(f)
  <= L/10 * norm(x - xstar(f))^2
\`\`\`
`;

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
const minus = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a, (v, i) => v - b[i]);

/** The function of the printed counterexample, rebuilt from its data alone (class, constants, points). */
function rebuilt(c: Counterexample, fn: string) {
  const e = c.explicit;
  if (!e?.built) throw new Error(`no explicit function: ${JSON.stringify(e)}`);
  const points = (c.witnesses[fn].params as { points: { label: string; x: number[]; g: number[]; f: number }[] }).points;
  const { cls, constants } = e.functions[fn];
  const f = interpolant(cls as PepClass, constants as ClassConstants, { x: points.map((p) => p.x), g: points.map((p) => p.g), f: points.map((p) => p.f) });
  return { f, points, star: points.find((p) => p.label === `${fn}*`), constants: constants as ClassConstants };
}

/**
 * The smallest slack, relative to the sizes involved, of the convex L-smooth (μ-strongly convex) interpolation
 * inequality between every two of the given points and 40 points drawn around them: ≥ 0 for a function of the class.
 */
function classSlack(f: ReturnType<typeof interpolant>, c: ClassConstants, around: number[][], seed: number): number {
  const rng = makeRng(seed);
  const radius = Math.max(...around.map((x) => Math.sqrt(dot(x, x))));
  const pts = [...around, ...Array.from({ length: 40 }, () => around[0].map(() => rng.uniform(-2 * radius, 2 * radius)))];
  const { L = NaN, mu = 0 } = c;
  let least = Infinity;
  for (const xi of pts) for (const xj of pts) {
    if (xi === xj) continue;
    const [fi, gi] = [f.value(xi), f.grad(xi)], [fj, gj] = [f.value(xj), f.grad(xj)];
    const dx = minus(xi, xj), dg = minus(gi, gj);
    // Taylor–Hendrickx–Glineur (2017), Thm 4: f_i ≥ f_j + ⟨g_j, x_i − x_j⟩ + (‖dg‖²/L + μ‖dx‖² − 2μ/L⟨dg, dx⟩)/(2(1 − μ/L))
    const slack = fi - fj - dot(gj, dx) - (dot(dg, dg) / L + mu * dot(dx, dx) - (2 * mu / L) * dot(dg, dx)) / (2 * (1 - mu / L));
    least = Math.min(least, slack / (1 + Math.abs(fi) + Math.abs(fj) + L * dot(dx, dx)));
  }
  return least;
}

describe('the counterexample function of a refutation', () => {
  it('a two-step gradient-descent rate 10% too strong: refuted at every seed, and where performance estimation refutes it, the function built through the points is of the class and the step fails on it', () => {
    const wrong = GD_RATE.replace('L/10', 'L/11');
    const failures: string[] = [];
    let byPep = 0;
    for (const seed of SEEDS) {
      const s = checkProof(parseProof(wrong, 'gd.md'), { seed, samples: 20 }).steps[0];
      if (s.verdict !== 'refuted') { failures.push(`seed ${seed}: ${s.verdict}`); continue; }
      const c = s.counterexample!;
      // refuted by sampling first (a sharp Huber witness): a witness of its own, no points to build from
      if (!/refuted by performance estimation/.test(s.message ?? '')) { if (c.explicit) failures.push(`seed ${seed}: an explicit function on a sampling refutation`); continue; }
      byPep++;
      const e = c.explicit;
      if (!e?.built || !e.fails) { failures.push(`seed ${seed}: ${JSON.stringify(e)}`); continue; }
      const { f, points, star, constants } = rebuilt(c, 'f');
      // of the class: convex and L-smooth at the points and around them
      const slack = classSlack(f, constants, points.map((p) => p.x), seed);
      if (slack < -1e-12) failures.push(`seed ${seed}: an interpolation inequality broken by ${slack}`);
      // through the points
      for (const p of points) {
        if (Math.abs(f.value(p.x) - p.f) > 1e-9 * Math.max(...points.map((q) => Math.abs(q.f)))) failures.push(`seed ${seed}: f(${p.label}) = ${f.value(p.x)}, not ${p.f}`);
      }
      // the step recomputed by hand on the function: two gradient steps from x, against L/11 ‖x − x*‖²
      const L = constants.L!, x = c.values.x as number[];
      const x1 = minus(x, Array.from(f.grad(x), (v) => v / L));
      const x2 = minus(x1, Array.from(f.grad(x1), (v) => v / L));
      const lhs = f.value(x2) - star!.f, rhs = (L / 11) * dot(minus(x, star!.x), minus(x, star!.x));
      if (!(lhs > rhs)) failures.push(`seed ${seed}: by hand ${lhs} ≤ ${rhs}`);
      if (Math.abs(lhs - (e.lhs as number)) > 1e-9 * Math.abs(lhs) || Math.abs(rhs - (e.rhs as number)) > 1e-9 * Math.abs(rhs)) failures.push(`seed ${seed}: the output says ${e.lhs}, ${e.rhs}; by hand ${lhs}, ${rhs}`);
    }
    expect(failures).toEqual([]);
    // the path under test is taken at most seeds (sampling's sharp witnesses catch the others)
    expect(byPep).toBeGreaterThanOrEqual(SEEDS.length / 2);
  }, TIMEOUT);

  it('the correct rate is certified at every seed, never refuted', () => {
    const verdicts = SEEDS.map((seed) => checkProof(parseProof(GD_RATE, 'gd.md'), { seed, samples: 20 }).steps[0]);
    expect(verdicts.filter((s) => s.verdict !== 'certified').map((s) => `${s.verdict}: ${s.message ?? ''}`)).toEqual([]);
  }, TIMEOUT);

  it('co-coercivity 1% too strong, for convex and for strongly convex L-smooth functions: the built function has the step fail on it', () => {
    const cases: { text: string; values: Record<string, number>; strong: string; check: (gxy: number, dg2: number, dx2: number) => boolean }[] = [
      { text: CONVEX, values: { L: 2, d: 3 }, strong: '>= 101/(100*L) * norm(gx - gy)^2', check: (gxy: number, dg2: number) => gxy < (1.01 / 2) * dg2 },
      {
        text: CONVEX.replace('f: R^d -> R, convex, L-smooth', 'f: R^d -> R, mu-strongly-convex, L-smooth').replace('  - L > 0', '  - L > 0\n  - 0 < mu < L')
          .replace('claim: dot(gx - gy, x - y) >= 1/L * norm(gx - gy)^2', 'claim: dot(gx - gy, x - y) >= mu*L/(mu + L) * norm(x - y)^2 + 1/(mu + L) * norm(gx - gy)^2'),
        values: { L: 2, mu: 1 / 2, d: 3 },
        strong: '>= mu*L/(mu + L) * norm(x - y)^2 + 101/(100*(mu + L)) * norm(gx - gy)^2',
        check: (gxy: number, dg2: number, dx2: number) => gxy < (1 / 2.5) * dx2 + (1.01 / 2.5) * dg2,
      },
    ];
    for (const { text, values, strong, check } of cases) {
      const pf = parseProof(text, 'c.md');
      const wrong = parseProof(text.replace(/>= [^\n]*$/m, strong), 'w.md').claim!.terms[1];
      const [lhs, rhs] = pf.claim!.terms;
      expect(interpolationVerdict(pf, lhs.node, '>=', rhs.node, [values], new Set(['d']), () => true)?.verdict).toBe('certified');
      const out = interpolationVerdict(pf, lhs.node, '>=', wrong.node, [values], new Set(['d']), () => true);
      expect(out?.verdict).toBe('refuted');
      const built = explicitFunctions(out!.refutation!, pf.names.functions);
      if ('why' in built) throw new Error(built.why);
      const f = built.instances.f, { x, y } = out!.refutation!.vectors;
      const dg = minus(f.grad(x), f.grad(y)), dx = minus(x, y);
      expect(check(dot(dg, dx), dot(dg, dg), dot(dx, dx))).toBe(true);
      expect(built.functions.f.valueDeviation).toBeLessThan(1e-9);
      expect(built.functions.f.gradientDeviation).toBeLessThan(1e-9);
    }
  });

  it('a class without a construction says so and keeps the points', () => {
    const pf = parseProof(CONVEX, 'convex.md');
    const [lhs] = pf.claim!.terms;
    const wrongRhs = parseProof(CONVEX.replace('>= 1/L * norm(gx - gy)^2', '>= 101/(100*L) * norm(gx - gy)^2'), 'w.md').claim!.terms[1];
    const r = interpolationVerdict(pf, lhs.node, '>=', wrongRhs.node, [{ L: 2, d: 3 }], new Set(['d']), () => true)!.refutation!;
    expect(r.constructive.f).toEqual({ cls: 'smooth-convex', constants: { L: 2 } });
    const out = explicitFunctions({ ...r, constructive: { f: null } }, ['f']);
    expect(out).toEqual({ why: expect.stringMatching(/^no explicit function is built for f \(convex, 2-smooth\)/) });
  });

  it('the text output shows the built function, its deviation from the points and the sides on it', () => {
    const wrong = GD_RATE.replace('L/10', 'L/11');
    const seed = SEEDS.find((k) => /performance estimation/.test(checkProof(parseProof(wrong, 'gd.md'), { seed: k, samples: 20 }).steps[0].message ?? ''))!;
    const out = render(checkProof(parseProof(wrong, 'gd.md'), { seed, samples: 20 }));
    expect(out).toMatch(/f built explicitly through these points: a smooth-convex function \(L = [^)]+\) by construction, off the points by at most \S+ in value and \S+ in gradient/);
    expect(out).toMatch(/on the built function: left f\(x2\) - fstar\(f\) = \S+, right L\/11 \* norm\(x - xstar\(f\)\)\^2 = \S+: the step fails there too/);
  });
});
