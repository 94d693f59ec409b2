/**
 * Performance estimation against worst cases published in closed form (each
 * test names its source), every catalogue theorem about a PEP-able method at
 * three parameter points, a planted too-strong bound `violated`, an unbounded
 * worst case `unbounded`, csdp against sdpa, csdp missing (exit 2), N = 50.
 * Small sizes; no wall time asserted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinMethod } from '../src/methods/builtins.ts';
import { linearForm } from '../src/methods/linear.ts';
import { runPep } from '../src/pep/run.ts';
import { evaluate, solvePep } from '../src/pep/solve.ts';
import { theoremPep } from '../src/pep/theorem.ts';
import { THEOREMS } from '../src/theorems/index.ts';
import { pepSection, runPepSection } from '../src/report/pep.ts';
import { reportCommand } from '../src/cli/report.ts';
import { writeTooStrongGd } from './fixtures/pep-planted.ts';
import { perturbWeight } from './fixtures/perturb-weight.ts';
import { mainHere } from './fixtures/main-here.ts';
import { writeProof } from './fixtures/pep-proof.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `boundlab ARGS` in this process (no test here is about the process; bench/pep-in-process.ts compares with a spawn)
const cli = (args: string[]) => mainHere(args, { cwd: ROOT });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
/** `run` with BOUNDLAB_CSDP pointing at `path` (solver.ts reads it at each solve), restored after. */
async function withCsdp<T>(path: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.BOUNDLAB_CSDP;
  process.env.BOUNDLAB_CSDP = path;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.BOUNDLAB_CSDP;
    else process.env.BOUNDLAB_CSDP = before;
  }
}
const tauOf = async (target: string, steps: number, set: Record<string, string | number> = {}, extra: object = {}) => {
  const r = await runPep({ target, steps, set, ...extra });
  expect(r.status).toBe('success');
  return r.tau!;
};

describe('closed forms', () => {
  // Drori–Teboulle 2014, Thm 3.1: N steps of gradient descent with step h/L, 0 < h ≤ 1, on convex L-smooth f:
  // f(x_N) − f* ≤ L R² / (4Nh + 2), attained.
  for (const [N, h, L, R] of [[1, 1, 1, 1], [2, 1, 1, 1], [5, 1, 2, 1.5], [4, 0.5, 1, 1], [3, 0.25, 3, 0.5]]) {
    it(`gradient descent N = ${N}, h = ${h}, L = ${L}, R = ${R}: L R²/(4Nh + 2)`, async () => {
      const tau = await tauOf('gd', N, { L, R, h, gamma: 'h/L' });
      expect(rel(tau, (L * R * R) / (4 * N * h + 2))).toBeLessThan(1e-6);
    });
  }
  // Teboulle–Vaisbourd 2023 (Math. Program., "An elementary approach to tight worst case complexity
  // analysis of gradient based methods"), for 0 < h < 2: L R²/2 · max(1/(2Nh + 1), (1 − h)^{2N}).
  for (const [N, h] of [[2, 1.5], [4, 1.8], [3, 1.95]]) {
    it(`gradient descent N = ${N}, h = ${h} (1 < h < 2): L R²/2 · max(1/(2Nh + 1), (1 − h)^{2N})`, async () => {
      const tau = await tauOf('gd', N, { h, gamma: 'h/L' });
      expect(rel(tau, 0.5 * Math.max(1 / (2 * N * h + 1), (1 - h) ** (2 * N)))).toBeLessThan(1e-6);
    });
  }
  // Taylor–Hendrickx–Glineur 2018 (the catalogue's gd-contraction-tight): on μ-strongly convex L-smooth f,
  // ‖x_N − x*‖² ≤ max(|1 − hμ/L|, |1 − h|)^{2N} ‖x_0 − x*‖², attained on a quadratic.
  // N = 10 at h = 1.5 (τ ≈ 8e-4) and N = 20 at h = 1 (τ ≈ 0.015): csdp at its default tolerances was 2.3e-6 and 1e-8 off
  // there; the solve at scale 1/τ with tighter tolerances (solve.ts) reaches them.
  for (const [N, h, mu] of [[1, 1, 0.1], [3, 0.5, 0.1], [2, 1.5, 0.2], [10, 1.5, 0.2], [20, 1, 0.1]]) {
    it(`gradient descent, strongly convex, N = ${N}, h = ${h}, μ = ${mu}: max(|1 − hμ/L|, |1 − h|)^{2N}`, async () => {
      const tau = await tauOf('gd', N, { mu, h, gamma: 'h/L' }, { cls: 'smooth-strongly-convex', measure: 'dist2' });
      expect(rel(tau, Math.max(Math.abs(1 - h * mu), Math.abs(1 - h)) ** (2 * N))).toBeLessThan(1e-6);
    });
  }
  // Kim–Fessler 2016, Thm 2 (OGM1): f(x_N) − f* ≤ L R²/(2θ_N²), θ_0 = 1, θ_{k+1} = (1 + √(1 + 4θ_k²))/2, the last with 8θ².
  // N = 20: csdp at its default tolerances stopped 1.5e-6 below (its gap is relative to 1 + |τ|, τ ≈ 1.9e-3 here).
  for (const N of [1, 2, 4, 10, 20]) {
    it(`OGM N = ${N}: L R²/(2θ_N²)`, async () => {
      let theta = 1;
      for (let k = 0; k < N; k++) theta = (1 + Math.sqrt(1 + (k + 1 === N ? 8 : 4) * theta * theta)) / 2;
      const tau = await tauOf('ogm', N, { L: 2 });
      expect(rel(tau, 2 / (2 * theta * theta))).toBeLessThan(1e-6);
    });
  }
  // Nesterov 2004 §3.2.3, tight by Drori–Teboulle 2016 (as in PEPit's wc_subgradient_method): the subgradient
  // method with step R/(M√(N+1)) on convex M-Lipschitz f: min_{k ≤ N} f(x_k) − f* ≤ M R/√(N+1).
  for (const [N, M] of [[2, 1], [6, 2]]) {
    it(`subgradient method N = ${N}, M = ${M}: M R/√(N + 1)`, async () => {
      const tau = await tauOf('subgradient', N, { M });
      expect(rel(tau, M / Math.sqrt(N + 1))).toBeLessThan(1e-6);
    });
  }
  // PEPit's wc_heavy_ball_momentum docstring (μ = 0.1, L = 1, α = 1/2, β = √((1 − αμ)(1 − Lα)), n = 2,
  // f(x_0) − f* ≤ 1): the PEP value 0.7534930 (MOSEK: primal 0.7534930185, dual 0.7534930170).
  it('heavy ball: the value PEPit publishes', async () => {
    const tau = await tauOf('heavy-ball', 2, { mu: 0.1, gamma: 0.5, beta: 'sqrt((1 - gamma*mu)*(1 - L*gamma))' },
      { cls: 'smooth-strongly-convex', measure: 'f-gap', init: 'f-gap' });
    expect(rel(tau, 0.753493018)).toBeLessThan(1e-6);
  });
});

describe('composite f + h and the proximal point method (h closed convex, through prox)', () => {
  // PESTO's example A_ProximalPointMethod ("the result should be (and is) 1/(4*N*gam)" for ‖x_0 − x*‖ ≤ 1), from
  // Taylor–Hendrickx–Glineur 2017, "Exact worst-case performance of first-order methods for composite convex
  // optimization" (SIAM J. Optim.): N proximal steps of size γ on closed convex h give h(x_N) − h* ≤ R²/(4γN), attained.
  for (const [N, gamma, R] of [[3, 1, 1], [5, 0.5, 2], [1, 2, 1]]) {
    it(`proximal point N = ${N}, γ = ${gamma}, R = ${R}: R²/(4γN)`, async () => {
      const tau = await tauOf('proximal-point', N, { gamma, R });
      expect(rel(tau, (R * R) / (4 * gamma * N))).toBeLessThan(1e-6);
    });
  }
  // PEPit's wc_proximal_gradient (from Taylor–Hendrickx–Glineur 2018, JOTA, Thm 3.1): proximal gradient with step γ
  // on f μ-strongly convex and L-smooth plus h closed convex: ‖x_N − x*‖² ≤ max((1 − Lγ)², (1 − μγ)²)^N R², tight;
  // its docstring's run (L = 1, μ = 0.1, γ = 1, n = 2) reports 0.6561 with MOSEK.
  for (const [N, gamma, mu] of [[2, 1, 0.1], [3, 1.5, 0.2], [4, 0.5, 0.3]]) {
    it(`proximal gradient, strongly convex, N = ${N}, γ = ${gamma}, μ = ${mu}: max((1 − Lγ)², (1 − μγ)²)^N`, async () => {
      const tau = await tauOf('proximal-gd', N, { mu, gamma }, { cls: 'smooth-strongly-convex', measure: 'dist2' });
      expect(rel(tau, Math.max((1 - gamma) ** 2, (1 - mu * gamma) ** 2) ** N)).toBeLessThan(1e-6);
    });
  }
  // Beck–Teboulle 2009, Thm 3.1 (ISTA, step 1/L): F(x_N) − F* ≤ L R²/(2N); Thm 4.4 (FISTA): ≤ 2L R²/(N + 1)².
  // Upper bounds, not worst cases: PEP's τ must lie below them.
  for (const N of [2, 5]) {
    it(`proximal gradient and FISTA N = ${N}, γ = 1/L: below Beck–Teboulle's bounds`, async () => {
      expect(await tauOf('proximal-gd', N, { L: 2 })).toBeLessThanOrEqual((2 / (2 * N)) * (1 + 1e-6));
      expect(await tauOf('fista', N, { L: 2 })).toBeLessThanOrEqual((2 * 2 / (N + 1) ** 2) * (1 + 1e-6));
    });
  }
  // A theorem file whose method uses prox: the fast proximal gradient method with momentum k/(k + 3) (FPGM1).
  // PEPit's wc_accelerated_proximal_gradient calls 2L/(N² + 5N + 2) its tight (empirical) worst case, from
  // Taylor–Hendrickx–Glineur 2017 (SIAM J. Optim.), §4.2, Table 1; its docstring's run (L = 1, n = 4) gives 0.0526316.
  const dir = mkdtempSync(join(tmpdir(), 'pep-composite-'));
  const fpgm = (factor: string) => `---
title: Fast proximal gradient (FPGM1)${factor === '1' ? '' : ', planted too strong'}
given:
  - f: R^d -> R, convex, L-smooth
  - lam >= 0
nonsmooth:
  h: l1(lam)
method:
  "x(0)": x0
  "y(0)": x0
  "x(k+1)": prox(h, 1 / L, y(k) - 1 / L * grad(f, y(k)))
  "y(k+1)": x(k+1) + k / (k + 3) * (x(k+1) - x(k))
bound: f_t - fstar <= ${factor} * 2 * L * R^2 / (t^2 + 5 * t + 2)
from: 1
---
FPGM1 on F = f + lam·‖x‖₁.
`;
  const exact = join(dir, 'fpgm.md'), planted = join(dir, 'fpgm-planted.md');
  writeFileSync(exact, fpgm('1'));
  writeFileSync(planted, fpgm('0.9'));
  for (const [N, L] of [[1, 1], [2, 2], [4, 1]]) {
    it(`a theorem file with prox (FPGM1) N = ${N}, L = ${L}: τ = 2L R²/(N² + 5N + 2)`, async () => {
      const r = await runPep({ target: exact, steps: N, set: { L, lam: 0.1 } });
      expect(r.status).toBe('success');
      expect(rel(r.tau!, (2 * L) / (N * N + 5 * N + 2))).toBeLessThan(1e-6);
      // h is declared l1 but PEP takes every closed convex h: τ = bound is `valid`, never `tight`
      expect(r.verdict).toBe('valid');
    });
  }
  it('a too-strong bound on a composite file is `inconclusive`, not `violated` (PEP\'s h class is larger than l1)', async () => {
    const r = await runPep({ target: planted, steps: 3, set: { lam: 0.1 } });
    expect(r.ratio!).toBeGreaterThan(1.1);
    expect(r.verdict).toBe('inconclusive');
  });
  it('composite problems outside the model are refused with the reason', async () => {
    await expect(runPep({ target: 'proximal-gd', steps: 2, cls: 'lipschitz-convex' })).rejects.toThrow(/composite.*smooth-convex or smooth-strongly-convex/);
    await expect(runPep({ target: 'fista', steps: 2, measure: 'grad-norm2' })).rejects.toThrow(/composite.*f-gap.*dist2/);
    await expect(runPep({ target: 'proximal-point', steps: 2, init: 'f-gap' })).rejects.toThrow(/initial condition dist2/);
    await expect(runPep({ target: 'gd', steps: 2, cls: 'convex' })).rejects.toThrow(/only through prox/);
  });
});

/** Three parameter points for every catalogue theorem PEP takes (a new one fails here until it is given some). */
const POINTS: Record<string, { steps: number; set: Record<string, number | string> }[]> = {
  'gd-convex': [{ steps: 2, set: { gamma: 1 } }, { steps: 3, set: { gamma: 0.5 } }, { steps: 5, set: { L: 2, R: 2, gamma: 0.3 } }],
  'gd-convex-tight': [{ steps: 1, set: { h: 1 } }, { steps: 3, set: { h: 0.5 } }, { steps: 4, set: { L: 3, h: 0.8 } }],
  'gd-convex-any-step': [{ steps: 2, set: { gamma: 1.5 } }, { steps: 3, set: { gamma: 1.9 } }, { steps: 4, set: { Delta0: 0.3, gamma: 0.7 } }],
  'gd-strongly-convex': [{ steps: 2, set: { mu: 0.1, gamma: '2/(mu + L)' } }, { steps: 3, set: { mu: 0.5, gamma: 0.5 } }, { steps: 4, set: { L: 2, mu: 0.2, gamma: 0.3 } }],
  'gd-contraction-tight': [{ steps: 2, set: { mu: 0.1, gamma: 1.5 } }, { steps: 3, set: { mu: 0.3, gamma: 0.5 } }, { steps: 2, set: { mu: 0.2, gamma: 1.9 } }],
  'gd-nonconvex': [{ steps: 2, set: { gamma: 1 } }, { steps: 4, set: { gamma: 0.5 } }, { steps: 3, set: { L: 2, Delta0: 2, gamma: 0.25 } }],
  'nesterov-convex': [{ steps: 1, set: {} }, { steps: 3, set: {} }, { steps: 5, set: { L: 2, R: 0.5 } }],
  'nesterov-strongly-convex': [{ steps: 2, set: { mu: 0.1 } }, { steps: 3, set: { mu: 0.3 } }, { steps: 4, set: { L: 2, mu: 0.1, R: 2, Delta0: 0.5 } }],
};

describe('every catalogue theorem about a PEP-able method: τ ≤ bound at three points', () => {
  const pepable = THEOREMS.filter((th) => { try { theoremPep(th); return true; } catch { return false; } }).map((th) => th.id);
  it('each has its points', () => {
    expect(pepable.sort()).toEqual(Object.keys(POINTS).sort());
  });
  for (const [id, points] of Object.entries(POINTS)) {
    for (const p of points) {
      it(`${id} at N = ${p.steps}, ${JSON.stringify(p.set)}`, async () => {
        const r = await runPep({ target: id, steps: p.steps, set: p.set });
        expect(r.status).toBe('success');
        expect(['tight', 'valid']).toContain(r.verdict);
        expect(r.tau!).toBeLessThanOrEqual(r.bound! * (1 + 1e-6));
      });
    }
  }
  it('the tight theorems are tight at their tight points', async () => {
    expect((await runPep({ target: 'gd-convex-tight', steps: 3, set: { h: 0.5 } })).verdict).toBe('tight');
    expect((await runPep({ target: 'gd-contraction-tight', steps: 2, set: { mu: 0.1, gamma: 1.5 } })).verdict).toBe('tight');
  });
  it('theorem files: as their catalogue entries', async () => {
    const file = await runPep({ target: 'theorems/gd-convex.md', steps: 3, set: { gamma: 1 } });
    const entry = await runPep({ target: 'gd-convex', steps: 3, set: { gamma: 1 } });
    expect(rel(file.tau!, entry.tau!)).toBeLessThan(1e-6);
    expect(file.verdict).toBe('valid');
  });
});

describe('verdicts that must be caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pep-test-'));
  const planted = writeTooStrongGd(dir);
  for (const [N, h] of [[1, 1], [3, 0.5], [5, 1]]) {
    it(`a planted too-strong bound is violated (N = ${N}, h = ${h}), exit 1`, async () => {
      const r = await runPep({ target: planted, steps: N, set: { h } });
      expect(r.verdict).toBe('violated');
      expect(r.ratio!).toBeGreaterThan(1.1);
    });
  }
  it('the CLI exits 1 on it, with the verdict in the JSON', async () => {
    const r = await cli(['pep', planted, '--steps', '2', '--set', 'h=1', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('violated');
    expect(j).toHaveProperty('tau');
    expect(j).toHaveProperty('gap');
    expect(j.status).toBe('success');
  });
  it('an unbounded worst case is `unbounded`, never a number', async () => {
    // ‖x_N − x*‖² given only f(x_0) − f* ≤ 1: x_0 may be as far from x* as one likes.
    const r = await runPep({ target: 'gd', steps: 2, cls: 'smooth-convex', measure: 'dist2', init: 'f-gap' });
    expect(r.status).toBe('unbounded');
    expect(r.tau).toBeNull();
    const c = await cli(['pep', 'gd', '--steps', '2', '--measure', 'dist2', '--init', 'f-gap', '--json']);
    expect(JSON.parse(c.out)).toMatchObject({ status: 'unbounded', tau: null });
  });
  it('a PL theorem: exit 2, pointing to tightness', async () => {
    const r = await cli(['pep', 'gd-pl', '--steps', '3', '--set', 'gamma=1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/interpolation/);
    expect(r.err).toMatch(/tightness/);
  });
  it('a method outside the fixed-step linear form is refused with the reason', async () => {
    const r = await cli(['pep', 'adam', '--steps', '3']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a fixed-step linear method/);
  });
  it('csdp absent: exit 2 with the install command (and JSON with --json)', async () => {
    const r = await withCsdp(join(dir, 'no-csdp-here'), () => cli(['pep', 'gd', '--steps', '2', '--json']));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/apt-get install coinor-csdp/);
    expect(JSON.parse(r.out).error.message).toMatch(/coinor-csdp/);
  });
  it('bad usage names the option', async () => {
    expect((await cli(['pep', 'gd'])).err).toMatch(/--steps/);
    expect((await cli(['pep', 'gd', '--steps', '2', '--class', 'pl'])).err).toMatch(/--class takes one of/);
    expect((await cli(['pep', 'gd', '--steps', '101'])).code).toBe(2);
  });
});

describe('the report section', () => {
  it('without csdp it says so and solves nothing (the default report goes on); the target pep exits 2', async () => {
    await withCsdp(join(tmpdir(), 'no-csdp-here'), async () => {
      const s = await runPepSection();
      expect(s.rows).toEqual([]);
      expect(s.missing).toMatch(/apt-get install coinor-csdp/);
      expect(pepSection(s)).toMatch(/Not run: the SDP solver csdp is not installed/);
      await expect(reportCommand(['pep', '--out', join(tmpdir(), 'never-pep')])).rejects.toThrow(/coinor-csdp/);
    });
  });
});

describe('solvers and sizes', () => {
  it('csdp and sdpa agree', async () => {
    for (const [N, cls, mu] of [[3, 'smooth-convex', 0], [2, 'smooth-strongly-convex', 0.1]] as const) {
      const spec = { form: linearForm(builtinMethod('heavy-ball')!, { lr: 0.8, momentum: 0.3 }, N), cls, constants: { L: 1, mu }, measure: 'f-gap' as const, init: [{ kind: 'dist2' as const, value: 1 }] };
      const a = await solvePep(spec, { solver: 'csdp' });
      const b = await solvePep(spec, { solver: 'sdpa' });
      expect(a.status).toBe('success');
      expect(['success', 'partial']).toContain(b.status);
      // sdpa stops at a relative gap near 1e-6 here (pdFEAS); its two sides bracket the optimum
      // (weak duality), and csdp's value must lie between them.
      const [lo, hi] = [Math.min(b.tau, b.yObjective!), Math.max(b.tau, b.yObjective!)];
      expect(rel(hi, lo)).toBeLessThan(1e-5);
      expect(a.tau).toBeGreaterThanOrEqual(lo * (1 - 1e-7));
      expect(a.tau).toBeLessThanOrEqual(hi * (1 + 1e-7));
    }
  });
  // N = 50 is in bench/pep.ts (1e-10 relative there); N = 30 takes the same path: the subset's interior-point
  // solution breaks left-out inequalities and the smallest point of its optimal face keeps them all.
  it('OGM N = 30 through constraint generation and the subset face: L R²/(2θ_N²) to 1e-6', async () => {
    const r = await runPep({ target: 'ogm', steps: 30 });
    expect(r.status).toBe('success');
    let theta = 1;
    for (let k = 0; k < 30; k++) theta = (1 + Math.sqrt(1 + (k + 1 === 30 ? 8 : 4) * theta * theta)) / 2;
    // Kim–Fessler's L R²/(2θ_N²)
    expect(rel(r.tau!, 1 / (2 * theta * theta))).toBeLessThan(1e-6);
    // solved at scale 1/τ (τ ≈ 9e-4), read back at the user's scale
    expect(r.result.scale! * r.tau!).toBeCloseTo(1, 3);
    // the worst Gram matrix returned satisfies every interpolation inequality, not only the solved subset
    const worst = Math.max(...r.result.model.constraints.map((c) => evaluate(c.expr, r.result)));
    expect(worst).toBeLessThanOrEqual(1e-9);
  });
  // Where τ is a tiny fraction of the constants csdp is less accurate, and the gap reported (relative to τ) must say
  // so: the verdicts trust τ to 1e-6 plus ten times the gap. Gradient descent's contraction 0.7^{2N} (h = 1.5, μ = 0.2)
  // at N = 17 and 20 is 5.4e-6 and 6.4e-7 of R²; at N = 17 csdp's own gap (relative to 1 + τ) was 3e-11 while τ was 4e-6 off.
  for (const N of [17, 20]) {
    it(`the gap covers τ's error where the solver is least accurate (strongly convex contraction, h = 1.5, N = ${N})`, async () => {
      const r = await runPep({ target: 'gd', steps: N, set: { mu: 0.2, h: 1.5, gamma: 'h/L' }, cls: 'smooth-strongly-convex', measure: 'dist2' });
      expect(['success', 'partial']).toContain(r.status);
      expect(rel(r.tau!, 0.7 ** (2 * N))).toBeLessThanOrEqual(1e-6 + 10 * r.gap!);
    });
  }
  it('N = 50 works (gradient descent, 1/(4N + 2))', async () => {
    const tau = await tauOf('gd', 50);
    expect(rel(tau, 1 / 202)).toBeLessThan(1e-6);
  });
});

// The N = 1, 2, 3 for gradient descent; proximal gradient's N = 3 (about a minute) in bench/pep-proof.ts.
describe('proofs from the certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pep-proof-'));
  for (const N of [1, 2, 3]) {
    it(`gradient descent N = ${N}: the generated proof is valid under boundlab check`, { timeout: 600_000 }, async () => {
      const { file, ...r } = await writeProof(dir, 'gd', N);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      // the proof's constant is τ up to the margin left for rounding (1e-7 relative, plus rounding)
      expect(j.proof.bound).toBeGreaterThanOrEqual(1 / (4 * N + 2) * (1 - 1e-8));
      expect(rel(j.proof.bound, 1 / (4 * N + 2))).toBeLessThan(1e-5);
      const c = await cli(['check', file, '--samples', '20', '--json']);
      expect(c.code).toBe(0);
      const f = JSON.parse(c.out).files[0];
      expect(f.verdict).toBe('valid');
      // the certificate's identity between inner products is proved exactly, not only sampled
      expect(f.steps.filter((s: { relation: string }) => s.relation === '==').map((s: { verdict: string }) => s.verdict)).toEqual(['proved']);
    });
  }
  it('the same proof with one multiplier perturbed is refuted', { timeout: 600_000 }, async () => {
    const { file } = await writeProof(dir, 'gd', 2);
    const text = readFileSync(file, 'utf8');
    const perturbed = perturbWeight(text, 'P2');
    const bad = join(dir, 'gd2-perturbed.md');
    writeFileSync(bad, perturbed);
    const c = await cli(['check', bad, '--samples', '20', '--json']);
    expect(c.code).toBe(1);
    const f = JSON.parse(c.out).files[0];
    expect(f.verdict).toBe('refuted');
    expect(f.steps.find((s: { verdict: string }) => s.verdict === 'refuted').relation).toBe('==');
  });
});
