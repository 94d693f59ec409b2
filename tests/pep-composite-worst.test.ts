/**
 * The worst pair f + h of a composite performance estimation problem, run for
 * real: the prox of a maximum of affine pieces (its optimality conditions on
 * random data, and an independent solve by enumerating supports); the worst
 * pair of proximal gradient at N = 1, 2, 3 reached by the real TensorFlow.js
 * run, at Taylor–Hendrickx–Glineur's L R²/(4N); FISTA and the proximal point
 * method; a bound 10% below the worst case refuted by the run; the refusals.
 * Small sizes.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainHere } from './fixtures/main-here.ts';
import { dot } from '../src/numeric/linalg.ts';
import { makeRng, type Rng } from '../src/numeric/rng.ts';
import { maxAffineProx } from '../src/pep/maxAffineProx.ts';
import { compositeWorstData, compositeWorstFamily, compositeWorstParams, type CompositeWorstParams } from '../src/pep/compositeWorst.ts';
import { runPep } from '../src/pep/run.ts';
import { buildPep } from '../src/pep/model.ts';
import { solvePep } from '../src/pep/solve.ts';
import { runWorst } from '../src/pep/worstRun.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { objectiveValue, type Family, type Instance } from '../src/classes/types.ts';
import { optimizerById } from '../src/optimizers/index.ts';
import { referenceStep } from '../src/optimizers/referenceStep.ts';
import { worstFamily } from '../src/pep/worst.ts';
import { worstRunObstacle } from '../src/pep/worstRun.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `boundlab ARGS` in this process (no test here is about the process; bench/pep-in-process.ts compares with a spawn)
const cli = (args: string[]) => mainHere(args, { cwd: ROOT });

const gauss = (rng: Rng, d: number) => Array.from({ length: d }, () => rng.normal());

/** Solves A z = b by Gaussian elimination with partial pivoting; null when A is (nearly) singular. */
function solveLinear(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-10) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = M[r][c] / M[c][c];
      for (let j = c; j <= n; j++) M[r][j] -= k * M[c][j];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

/**
 * prox_{γh}(v) for h = max_i a_i + ⟨s_i, x⟩, independently: every support S of at most d + 1 pieces
 * (Carathéodory), the pieces of S equal at x = v − γ Σ_S λ_i s_i with Σλ = 1, kept when λ ≥ 0 and no
 * other piece is above them; the best such x. Exponential, for a handful of pieces.
 */
function bruteProx(a: number[], S: number[][], v: number[], gamma: number): number[] {
  const m = a.length, d = v.length;
  const objective = (x: number[]) => Math.max(...a.map((ai, i) => ai + dot(S[i], x))) + x.reduce((s, xk, k) => s + (xk - v[k]) ** 2, 0) / (2 * gamma);
  let best: number[] | null = null;
  for (let mask = 1; mask < 1 << m; mask++) {
    const sup = [...Array(m).keys()].filter((i) => mask & (1 << i));
    if (sup.length > d + 1) continue;
    // unknowns λ_S and t: a_i + ⟨s_i, v⟩ − γ Σ_j λ_j ⟨s_i, s_j⟩ − t = 0 (i in S), Σ λ = 1
    const n = sup.length + 1;
    const A = Array.from({ length: n }, () => new Array(n).fill(0));
    const b = new Array(n).fill(0);
    sup.forEach((i, p) => {
      sup.forEach((j, q) => { A[p][q] = gamma * dot(S[i], S[j]); });
      A[p][n - 1] = 1;
      b[p] = a[i] + dot(S[i], v);
      A[n - 1][p] = 1;
    });
    b[n - 1] = 1;
    const z = solveLinear(A, b);
    if (!z || z.slice(0, -1).some((l) => l < -1e-12)) continue;
    const x = v.map((vk, k) => vk - gamma * sup.reduce((s, i, p) => s + z[p] * S[i][k], 0));
    const t = Math.max(...sup.map((i) => a[i] + dot(S[i], x)));
    if (a.some((ai, i) => ai + dot(S[i], x) > t + 1e-10 * (1 + Math.abs(t)))) continue;
    if (!best || objective(x) < objective(best)) best = x;
  }
  return best!;
}

describe('the prox of a maximum of affine pieces', () => {
  for (const [seed, d, m] of [[1, 2, 6], [2, 3, 7], [3, 1, 5], [4, 2, 4]] as const) {
    it(`seed ${seed}, d = ${d}, ${m} pieces: the optimality condition holds and an independent solve agrees`, () => {
      const rng = makeRng(seed);
      const data = { x: Array.from({ length: m }, () => gauss(rng, d)), g: Array.from({ length: m }, () => gauss(rng, d)), f: gauss(rng, m) };
      const a = data.f.map((f, i) => f - dot(data.g[i], data.x[i]));
      const prox = maxAffineProx(data);
      for (const gamma of [0.1, 1, 5]) {
        for (let k = 0; k < 4; k++) {
          const v = gauss(rng, d).map((t) => 3 * t);
          const r = prox(v, gamma);
          const pieces = a.map((ai, i) => ai + dot(data.g[i], r.x));
          const h = Math.max(...pieces);
          const scale = 1 + Math.abs(h) + Math.sqrt(dot(v, v));
          // (v − x)/γ = Σ λ_i s_i with λ in the simplex on pieces active at x: (v − x)/γ ∈ ∂h(x)
          expect(Math.abs(r.weights.reduce((s, l) => s + l, 0) - 1)).toBeLessThan(1e-12);
          expect(Math.min(...r.weights)).toBeGreaterThanOrEqual(0);
          r.weights.forEach((l, i) => { if (l > 1e-9) expect(h - pieces[i]).toBeLessThan(1e-12 * scale); });
          const sub = v.map((vk, j) => (vk - r.x[j]) / gamma);
          const comb = v.map((_, j) => r.weights.reduce((s, l, i) => s + l * data.g[i][j], 0));
          expect(Math.sqrt(sub.reduce((s, u, j) => s + (u - comb[j]) ** 2, 0))).toBeLessThan(1e-12 * scale / gamma);
          expect(r.gap).toBeLessThan(1e-13 * scale);
          const want = bruteProx(a, data.g, v, gamma);
          expect(Math.sqrt(want.reduce((s, w, j) => s + (w - r.x[j]) ** 2, 0))).toBeLessThan(1e-9 * scale);
        }
      }
    });
  }
});

describe('the worst pair f + h of a composite problem, run for real', () => {
  for (const N of [1, 2, 3]) {
    it(`proximal gradient, γ = 1/L, N = ${N}: τ = L R²/(4N) and the real run reaches it`, async () => {
      const L = 2, R = 1.5;
      const r = await runPep({ target: 'proximal-gd', set: { L, R }, steps: N });
      expect(r.status).toBe('success');
      // Taylor–Hendrickx–Glineur 2018 (JOTA), proximal gradient with γ = 1/L on smooth convex f + closed convex h
      expect(Math.abs(r.tau! - (L * R * R) / (4 * N)) / r.tau!).toBeLessThan(1e-6);
      expect(compositeWorstData(r.result).interpolates).toBe(true);
      const w = await runWorst(r);
      expect(w.family).toBe('pep-worst-composite');
      expect(w.optimizer).toBe('proximal-gd');
      expect(w.reached).toBe(true);
      expect(Math.abs(w.measured - r.tau!) / r.tau!).toBeLessThan(1e-5);
      expect(w.composite!.prox).toBeLessThan(1e-6);
      expect(Math.abs(w.composite!.fstar)).toBeLessThan(1e-8 * r.tau!);
      // a bound 10% below the worst case is refuted by the run, beyond its float32 tolerance
      expect(w.measured - w.tolerance).toBeGreaterThan(0.9 * (L * R * R) / (4 * N));
      // h does the work: in float64, proximal steps reach τ, plain gradient steps on f (h left out) do not
      const inst = compositeWorstFamily().instantiate(w.params as CompositeWorstParams);
      const gapAfter = (optimizer: string) => {
        let x = Float64Array.from(inst.x0);
        for (let k = 0; k < N; k++) x = referenceStep(optimizer, inst, { lr: 1 / L }, x, x, k)!;
        return objectiveValue(inst, x) - inst.cert.fstar;
      };
      expect(Math.abs(gapAfter('proximal-gd') - r.tau!) / r.tau!).toBeLessThan(1e-5);
      expect(Math.abs(gapAfter('gd') - r.tau!) / r.tau!).toBeGreaterThan(1e-2);
    });
  }

  for (const [target, N, set] of [['fista', 3, {}], ['proximal-point', 3, { gamma: 0.5 }], ['proximal-gd', 3, { mu: 0.1 }]] as const) {
    it(`${target}, N = ${N} ${JSON.stringify(set)}: the real run reaches τ`, async () => {
      const r = await runPep({ target, set, steps: N, ...('mu' in set ? { cls: 'smooth-strongly-convex' as const, measure: 'dist2' as const } : {}) });
      const w = await runWorst(r);
      expect(w.interpolates).toBe(true);
      expect(w.reached).toBe(true);
      expect(Math.abs(w.measured - r.tau!) / r.tau!).toBeLessThan(1e-5);
      if (target === 'proximal-point') expect(Math.abs(r.tau! - 1 / (4 * 0.5 * N))).toBeLessThan(1e-6);
    });
  }

  // model.ts fixes ∇f(x*) = 0 when the method weighs f's gradients and h's subgradients alike; the
  // worst case must be the one of the problem that keeps ∇f(x*) as an unknown (the proofs' problem).
  for (const [target, N, extra] of [['proximal-gd', 4, {}], ['fista', 3, {}], ['proximal-gd', 3, { set: { mu: 0.1 }, cls: 'smooth-strongly-convex' as const, measure: 'dist2' as const }]] as const) {
    it(`${target}, N = ${N}${'cls' in extra ? ', strongly convex' : ''}: τ with ∇f(x*) fixed at 0 is τ with it free`, async () => {
      const r = await runPep({ target, steps: N, set: { L: 1, ...('set' in extra ? extra.set : {}) }, ...('cls' in extra ? { cls: extra.cls, measure: extra.measure } : {}) });
      const kept = await solvePep({ ...r.spec, keepGstar: true });
      expect(r.status).toBe('success');
      expect(kept.status).toBe('success');
      expect(buildPep(r.spec).basis).not.toContain('g*');
      expect(buildPep({ ...r.spec, keepGstar: true }).basis).toContain('g*');
      expect(Math.abs(r.tau! - kept.tau) / kept.tau).toBeLessThan(1e-6);
    });
  }

  it('--worst --json on proximal-gd gives the run and the composite checks', async () => {
    const r = await cli(['pep', 'proximal-gd', '--set', 'L=1,gamma=1/L', '--steps', '2', '--worst', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.worst.reached).toBe(true);
    expect(out.worst.family).toBe('pep-worst-composite');
    expect(out.worst.composite.prox).toBeLessThan(1e-6);
  });
});

describe('optimisers with the problem\'s prox', () => {
  it('proximal-gd takes no l1 on a composite problem, and needs l1 on any other', async () => {
    const r = await runPep({ target: 'proximal-gd', steps: 1 });
    const family = compositeWorstFamily() as unknown as Family;
    const inst = family.instantiate(compositeWorstParams(compositeWorstData(r.result)));
    const ctx = (fam: Family, i: Instance) => ({ B: 1, d: i.dim, family: fam, instances: [i], rows: [0], seed: 0 });
    const spec = optimizerById('proximal-gd');
    expect(() => spec.rule({ lr: Float32Array.of(1), l1: Float32Array.of(0.1) }, ctx(family, inst))).toThrow(/leave 'l1' out/);
    const smoothOnly = { ...inst, nonsmooth: undefined };
    expect(() => spec.rule({ lr: Float32Array.of(1) }, ctx(worstFamily() as unknown as Family, smoothOnly))).toThrow(/give 'l1'/);
    // the float64 reference step of proximal-gd and of nesterov (FISTA) applies h's prox
    const x = Array.from(inst.x0);
    const z = x.map((v, k) => v - inst.grad(x)[k]);
    expect(Array.from(referenceStep('proximal-gd', inst, { lr: 1 }, Float64Array.from(x), Float64Array.from(x), 0)!)).toEqual(Array.from(inst.nonsmooth!.prox(z, 1)));
    expect(Array.from(referenceStep('nesterov', inst, { lr: 1 }, Float64Array.from(x), Float64Array.from(x), 0)!)).toEqual(Array.from(inst.nonsmooth!.prox(z, 1)));
  });

  it('a composite theorem file\'s worst run is refused with the reason (its h is declared l1 or box)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pep-composite-'));
    const file = join(dir, 'ista.md');
    writeFileSync(file, ISTA_FILE);
    const r = await runPep({ target: file, steps: 2, set: { lam: 0.1 } });
    expect(worstRunObstacle(r)).toMatch(/declares its h as l1 or box/);
  });
});

/** Proximal gradient written as a theorem file on F = f + lam·‖x‖₁ (Beck–Teboulle 2009 Thm 3.1's L R²/(2t)). */
const ISTA_FILE = `---
title: Proximal gradient (ISTA) with an l1 term
given:
  - f: R^d -> R, convex, L-smooth
  - lam >= 0
nonsmooth:
  h: l1(lam)
method:
  "x(0)": x0
  "x(k+1)": prox(h, 1 / L, x(k) - 1 / L * grad(f, x(k)))
bound: f_t - fstar <= L * R^2 / (2 * t)
from: 1
---
ISTA on F = f + lam·‖x‖₁.
`;
