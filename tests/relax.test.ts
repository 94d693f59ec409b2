/**
 * `relax` and `tightness` beyond the regression file: named assumptions,
 * bad input, exact replay, the tight theorems' ratios, and the command line.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initEngine } from '../src/engine/backend.ts';
import { familyById } from '../src/classes/index.ts';
import { theoremById } from '../src/theorems/index.ts';
import { assumptionsOf, relaxTheorem } from '../src/theorems/assumptions.ts';
import { relax, replayRelaxation } from '../src/search/relax.ts';
import { tightness } from '../src/search/tightness.ts';
import { relaxCommand } from '../src/cli/relax.ts';
import { tightnessCommand } from '../src/cli/tightness.ts';
import { constantsOf, freeParameters } from '../src/verify/scope.ts';
import { UsageError } from '../src/language/usage.ts';
import { mainHere } from './fixtures/main-here.ts';

beforeAll(async () => { await initEngine(); });

const th = (id: string) => theoremById(id)!;

describe('named assumptions and relaxed theorems', () => {
  it('names classes, structure and constraints as boundlab list shows them', () => {
    expect(assumptionsOf(th('gd-pl'))).toEqual(['L-smooth', 'mu-PL', '0 < gamma <= 1 / L']);
    expect(assumptionsOf(th('gd-regularized'))).toEqual(['convex', 'L-smooth', 'L2-regularized', 'lambda > 0']);
  });

  it('drops a whole constraint, or one end of a chain however it is spaced or oriented', () => {
    expect(relaxTheorem(th('gd-convex'), { drop: ['0 < gamma <= 1 / L'] }).theorem.constraints).toEqual([]);
    for (const spelling of ['gamma <= 1/L', 'gamma<=1 / L', '1/L >= gamma', 'gamma ≤ 1/L']) {
      const r = relaxTheorem(th('gd-convex'), { drop: [spelling] });
      expect(r.theorem.constraints, spelling).toEqual(['0 < gamma']);
      expect(r.dropped).toEqual(['gamma <= 1 / L']);
    }
  });

  it('turns the constant of a dropped class into a parameter, bounded where it must be', () => {
    const r = relaxTheorem(th('gd-strongly-convex'), { drop: ['mu-strongly-convex'] });
    expect(r.freed).toEqual(['mu']);
    expect(r.theorem.classes).toEqual(['L-smooth']);
    expect(r.assumptions).toContain('0 < mu <= L');
    const s = relaxTheorem(th('gd-convex'), { drop: ['L-smooth'] });
    expect(s.freed).toEqual(['L']);
    expect(s.theorem.ranges?.L).toEqual([0.01, 100]);
    // a class that provides the constant again keeps it a constant
    expect(relaxTheorem(th('gd-pl'), { drop: ['mu-PL'], add: ['mu-strongly-convex'] }).freed).toEqual([]);
  });

  it('keeps a parameter that only a derived one uses once its last constraint is dropped', () => {
    // sgd-strongly-convex-diminishing: beta = b / mu; without "b > 1" no constraint names b.
    const rt = relaxTheorem(th('sgd-strongly-convex-diminishing'), { drop: ['b > 1'] });
    const inst = familyById('noisy-quadratic')!.instantiate({ dim: 1, eigenvalues: [1], rotationSeed: null, shifts: [[1]], x0: [3] });
    expect(freeParameters(rt.theorem, constantsOf(rt.theorem, inst))).toEqual(['b']);
    // the same condition stays as "beta > 1 / mu": dropping one copy relaxes nothing
    expect(rt.assumptions).toContain('beta > 1 / mu');
  });

  it('adds classes in the proof format and constraints in the given syntax', () => {
    const r = relaxTheorem(th('gd-convex'), { drop: ['gamma <= 1 / L'], add: ['gamma <= 3/L', 'mu-PL'] });
    expect(r.assumptions).toEqual(['convex', 'L-smooth', 'mu-PL', '0 < gamma', 'gamma <= 3/L']);
  });

  it('refuses an assumption the theorem does not have, naming it and the ones it has', () => {
    expect(() => relaxTheorem(th('gd-pl'), { drop: ['convex'] })).toThrow(UsageError);
    expect(() => relaxTheorem(th('gd-pl'), { drop: ['convex'] }))
      .toThrow(/gd-pl does not assume 'convex' \(its assumptions: L-smooth, mu-PL, 0 < gamma <= 1 \/ L\)/);
    expect(() => relaxTheorem(th('gd-convex'), { drop: ['gamma <= 2/L'] })).toThrow(/does not assume 'gamma <= 2\/L'/);
    expect(() => relaxTheorem(th('gd-convex'), { drop: [] })).toThrow(/--drop/);
  });

  it('refuses an addition that is already assumed, unknown, or about a name the theorem does not use', () => {
    expect(() => relaxTheorem(th('gd-convex'), { drop: ['convex'], add: ['L-smooth'] })).toThrow(/already assumes L-smooth/);
    expect(() => relaxTheorem(th('gd-convex'), { drop: ['convex'], add: ['smooth-ish'] })).toThrow(/neither a class/);
    expect(() => relaxTheorem(th('gd-convex'), { drop: ['convex'], add: ['beta < 1'] })).toThrow(/'beta' is not a parameter or constant of gd-convex/);
    expect(() => relaxTheorem(th('gd-convex'), { drop: ['convex'], add: ['M-smooth'] })).toThrow(/write L-smooth/);
  });
});

describe('relax', () => {
  it('refuses an addition that contradicts what is kept, naming both constraints', async () => {
    const r = relax(th('gd-convex'), { drop: ['convex'], add: ['gamma > 3/L'] });
    await expect(r).rejects.toThrow(UsageError);
    await expect(relax(th('gd-convex'), { drop: ['convex'], add: ['gamma > 3/L'] }))
      .rejects.toThrow(/"gamma > 3\/L" and "0 < gamma <= 1 \/ L" contradict each other/);
  });

  it('says so when no family has a witness of the relaxed set (never a silent holds)', async () => {
    await expect(relax(th('gd-pl'), { drop: ['L-smooth', '0 < gamma <= 1 / L'], add: ['G-Lipschitz', 'gamma <= 1'] }))
      .rejects.toThrow(/no family has a witness of the relaxed set \(mu-PL, G-Lipschitz/);
  });

  it('finds the step above 2/L, and its record replays exactly', async () => {
    const r = await relax(th('gd-convex-any-step'), { drop: ['gamma < 2 / L'], seed: 3, instances: 12, rounds: 6 });
    expect(r.verdict).toBe('counterexample');
    const c = r.counterexample!;
    expect(c.parameters.gamma * (familyL(c.family, c.params))).toBeGreaterThan(2);
    const again = await replayRelaxation(th('gd-convex-any-step'), { drop: ['gamma < 2 / L'] }, JSON.parse(JSON.stringify(c)));
    expect(again?.step).toBe(c.step);
    expect(again?.measured).toBe(c.measured);
    expect(again?.bound).toBe(c.bound);
  });

  it('is reproducible from its seed', async () => {
    const opts = { drop: ['convex'], seed: 5, instances: 8, rounds: 4 };
    const a = await relax(th('cocoercivity'), opts);
    const b = await relax(th('cocoercivity'), opts);
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  });

  it('in expectation: without interpolation, a witness with σ* > 0 whose whole interval is above the bound; the record replays exactly', async () => {
    const relaxed = { drop: ['interpolation'] };
    // Half the default seeds; the default 8 witnesses per family and 100 steps (with 4 witnesses
    // and 40 steps a slow bound, small γμ, may not fall below the floor in time).
    const r = await relax(th('sgd-interpolation'), { ...relaxed, seed: 4, seeds: 100 });
    expect(r.verdict).toBe('counterexample');
    expect(r.backend).not.toBe('float64');
    const c = r.counterexample!;
    expect([c.seeds, c.steps, c.interval!.seeds]).toEqual([100, 100, 100]);
    expect(c.interval!.lo).toBeGreaterThan(c.bound + c.tolerance);
    expect(familyById(c.family)!.instantiate(c.params).cert.noise!.sigmaStar).toBeGreaterThan(0);
    const again = await replayRelaxation(th('sgd-interpolation'), relaxed, JSON.parse(JSON.stringify(c)));
    expect(again?.step).toBe(c.step);
    expect(again?.measured).toBe(c.measured);
    expect(again?.interval).toEqual(c.interval);
  });

  it('in expectation: refuses fewer than 2 seeds, and --seeds for a theorem that is not a bound in expectation', async () => {
    await expect(relax(th('sgd-interpolation'), { drop: ['interpolation'], seeds: 1 })).rejects.toThrow(/at least 2 seeds/);
    await expect(relax(th('gd-convex'), { drop: ['convex'], seeds: 50 })).rejects.toThrow(/--seeds is for bounds in expectation/);
  });

  it('does not call a float32 overflow a violation when the bound grows as fast (beyond 2/L)', async () => {
    // γ = 3000 on λ = 1: the iterate is multiplied by −2999 per step and overflows float32 at step 11,
    // while the bound max(|1 − γL|, |1 − γμ|)^{2t} R² grows at exactly that rate.
    const relaxed = { drop: ['gamma < 2 / L'] };
    const record = { family: 'quadratic', params: { dim: 1, eigenvalues: [1], rotationSeed: null, xstar: [0], x0: [-9], fstar: 10 }, parameters: { gamma: 3000 }, seed: 0, steps: 30 };
    expect(await replayRelaxation(th('gd-contraction-tight'), relaxed, record)).toBeUndefined();
  });
});

/** L of a family instance, for checking a step against 2/L. */
function familyL(family: string, params: Record<string, unknown>): number {
  return family === 'lessard' ? 25 : family === 'huber' ? (params.L as number) : family === 'quadratic' ? Math.max(...(params.eigenvalues as number[])) : NaN;
}

describe('tightness', () => {
  it.each([10, 30, 100])('gd-convex-tight at h = 1, N = %i: ratio ≥ 0.99 (Drori–Teboulle), by the search (no PEP)', async (N) => {
    const r = await tightness(th('gd-convex-tight'), { set: { h: 1 }, steps: N, rounds: 10, pep: false });
    expect(r.ratio).toBeGreaterThanOrEqual(0.99);
    expect(r.worst).toBeLessThanOrEqual(r.bound + r.tolerance);
    expect(r.witness.family).toBe('huber');
    expect(r.pep).toBeUndefined();
  });

  it('gd-convex-tight from random starts: the refinement climbs from the sampled best to the worst case', async () => {
    const r = await tightness(th('gd-convex-tight'), { set: { h: 1 }, steps: 10, tight: false });
    expect(r.search.sampled_ratio).toBeLessThan(0.9);
    expect(r.search.refined_ratio).toBeGreaterThanOrEqual(0.99);
    expect(r.ratio).toBeGreaterThanOrEqual(0.99);
    // the worst case found is the Huber function with τ = R/(2N + 1)
    const p = r.witness.params as { tau: number; x0: number[] };
    expect(p.tau * 21 / Math.abs(p.x0[0])).toBeCloseTo(1, 2);
  });

  it.each(['2/(mu+L)', '1/L'])('gd-contraction-tight at gamma = %s, N = 20: ratio ≥ 0.99', async (gamma) => {
    const r = await tightness(th('gd-contraction-tight'), { set: { gamma }, steps: 20, tight: false });
    expect(r.ratio).toBeGreaterThanOrEqual(0.99);
    expect(r.worst).toBeLessThanOrEqual(r.bound + r.tolerance);
  });

  it('heavy-ball-quadratic at its tuned alpha, beta, N = 20: ratio ≥ 0.99, seeded and from random starts', async () => {
    const seeded = await tightness(th('heavy-ball-quadratic'), { steps: 20 });
    expect(seeded.ratio).toBeGreaterThanOrEqual(0.99);
    const random = await tightness(th('heavy-ball-quadratic'), { steps: 20, tight: false });
    expect(random.search.refined_ratio).toBeGreaterThan(random.search.sampled_ratio);
    expect(random.ratio).toBeGreaterThanOrEqual(0.99);
  });

  it('reports the gap of a theorem that is not tight', async () => {
    // gd-convex: the worst case is L R²/(4Nh + 2) against R²/(2γN), a ratio 2hN/(4hN + 2) < 1/2
    const r = await tightness(th('gd-convex'), { steps: 20, rounds: 10 });
    expect(r.ratio).toBeLessThan(0.5);
    expect(r.ratio).toBeGreaterThan(0.45);
    const pl = await tightness(th('gd-pl'), { set: { gamma: '1/L' }, steps: 20, rounds: 10 });
    expect(pl.ratio).toBeLessThan(0.99);
  });

  it('refuses unknown or derived parameters and a step before the bound starts', async () => {
    await expect(tightness(th('gd-convex-tight'), { set: { eta: 1 } })).rejects.toThrow(/unknown parameter 'eta' \(its parameters: h\)/);
    await expect(tightness(th('gd-convex-tight'), { set: { gamma: 1 } })).rejects.toThrow(/gamma is derived/);
    await expect(tightness(th('gd-convex-tight'), { set: { h: 2 } })).rejects.toThrow(/no witness satisfies/);
    await expect(tightness(th('gd-convex'), { steps: 0 })).rejects.toThrow(/from step 1/);
  });
});

/** boundlab's main in this process, as bin/boundlab.mjs runs a command (exit status and streams): no test here is about the process. */
const cli = async (...args: string[]) => mainHere(args);
/** In this process: the command's exit status and what it wrote to stdout. */
async function inProcess(run: (argv: string[]) => Promise<number>, ...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  try {
    return { code: await run(argv), out };
  } finally {
    spy.mockRestore();
  }
}

describe('command line', () => {
  it('relax: exit 1 with a counterexample, JSON per the contract, nothing on stderr with --quiet', async () => {
    const r = await cli('relax', 'cocoercivity', '--drop', 'convex', '--json', '--quiet', '--instances', '8', '--rounds', '4');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ theorem: 'cocoercivity', verdict: 'counterexample', relaxation: { drop: ['convex'], add: [] } });
    expect(j.counterexample.family).toBeTypeOf('string');
    expect(r.err).toBe('');
  });

  it('relax: exit 2 with one line naming the assumption the theorem does not have', async () => {
    const a = await cli('relax', 'gd-pl', '--drop', 'convex');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^boundlab: gd-pl does not assume 'convex'/);
    expect(a.out).toBe('');
    // a bound in expectation too, with the closest name
    const b = await cli('relax', 'sgd-interpolation', '--drop', 'interpolaton');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^boundlab: sgd-interpolation does not assume 'interpolaton' \(its assumptions: .*\) \(did you mean: interpolation\?\)\n$/);
    expect(b.out).toBe('');
  });

  it('relax: exit 0 when the relaxation holds; the text names the relaxed set', async () => {
    const r = await inProcess(relaxCommand, 'gd-sufficient-decrease', '--drop', 'gamma <= 2/L', '--instances', '6', '--rounds', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/gd-sufficient-decrease without gamma <= 2 \/ L: holds/);
    expect(r.out).toMatch(/relaxed assumptions: L-smooth, 0 < gamma/);
  });

  it('relax: usage errors for a contradiction, a missing --drop, an unknown theorem', async () => {
    await expect(inProcess(relaxCommand, 'gd-convex', '--drop', 'convex', '--add', 'gamma > 3/L')).rejects.toThrow(/contradict each other/);
    await expect(inProcess(relaxCommand, 'gd-pl')).rejects.toThrow(/--drop/);
    await expect(inProcess(relaxCommand, 'gd-pll', '--drop', 'mu-PL')).rejects.toThrow(/unknown theorem 'gd-pll' \(did you mean: gd-pl/);
  });

  it('tightness: JSON per the contract, N through --set', async () => {
    const r = await inProcess(tightnessCommand, 'gd-convex-tight', '--set', 'h=1,N=10', '--json', '--rounds', '5');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['theorem', 'bound', 'worst', 'ratio', 'witness']));
    expect(j.steps).toBe(10);
    expect(j.ratio).toBeGreaterThanOrEqual(0.99);
    await expect(inProcess(tightnessCommand, 'gd-convex-tight', '--set', 'N=2.5')).rejects.toThrow(/whole number/);
  });

  it('--help on both, with the exit status documented', async () => {
    for (const run of [relaxCommand, tightnessCommand]) {
      const r = await inProcess(run, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/usage: boundlab (relax|tightness)/);
      expect(r.out).toMatch(/Exit status: 0/);
    }
  });
});
