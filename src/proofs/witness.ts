/**
 * Witnesses for a declared function: concrete functions from the families of
 * the core whose certified constants satisfy every declared class for the
 * sampled constants. A family instance is fitted by scaling its values (L, μ,
 * the PL constant, G and f* all scale with it); quadratics are built with the
 * spectrum touching the declared μ and L; the Huber worst case of gradient
 * descent is offered for convex smooth functions in 1-D.
 */
import fc from 'fast-check';
import { FAMILIES, huberWorstCase, quadraticFromSpectrum, familyById } from '../classes/index.ts';
import type { Certificate, ClassName, Family, Instance } from '../classes/types.ts';
import { makeRng } from '../numeric/rng.ts';
import type { FunctionClass } from './parse.ts';
import type { WitnessRecord } from './result.ts';

/** What the declared classes ask of a witness, with the constants' sampled values. */
export interface Demand {
  convex: boolean;
  quadratic: boolean;
  /** an upper bound on the smoothness constant */
  L?: number;
  /** a lower bound on the strong-convexity constant */
  mu?: number;
  /** a lower bound on the PL constant (½‖∇f‖² ≥ pl·(f − f*)) */
  pl?: number;
  /** an upper bound on the Lipschitz constant of f */
  G?: number;
  /** the file's integer scalars at this draw: the horizons a worst case may be built for (t in a rate) */
  horizons?: number[];
}

/** The demand of a class list at the sampled scalars; null when no function can meet it (a negative L, say). */
export function demandOf(classes: readonly FunctionClass[], scalars: Readonly<Record<string, number>>): Demand | null {
  const d: Demand = { convex: false, quadratic: false };
  for (const c of classes) {
    const k = c.constant === undefined ? undefined : scalars[c.constant];
    switch (c.className as ClassName) {
      case 'convex': d.convex = true; break;
      case 'quadratic': d.quadratic = true; break;
      case 'bounded-below': break; // every witness has a finite, known f*
      case 'L-smooth':
        // L = 0 (affine) and L < 0 have no bounded-below witness here
        if (!(k! > 0)) return null;
        d.L = Math.min(d.L ?? Infinity, k!);
        break;
      case 'G-Lipschitz':
        if (!(k! > 0)) return null;
        d.G = Math.min(d.G ?? Infinity, k!);
        break;
      case 'mu-strongly-convex':
        // μ ≤ 0 asks no more than convexity of the convex witnesses we have
        d.convex = true;
        if (k! > 0) d.mu = Math.max(d.mu ?? 0, k!);
        break;
      case 'mu-PL':
        if (k! > 0) d.pl = Math.max(d.pl ?? 0, k!);
        break;
    }
  }
  return d;
}

/** Whether the certificate's flags fit; constants are fitted by scaling. */
function flagsFit(cert: Certificate, d: Demand): boolean {
  if (d.convex && !cert.convex) return false;
  if (d.quadratic && !cert.quadratic) return false;
  if (d.L !== undefined && !(cert.L !== undefined && Number.isFinite(cert.L))) return false;
  if (d.G !== undefined && !(cert.G !== undefined && Number.isFinite(cert.G))) return false;
  if (d.mu !== undefined && !(cert.mu! > 0)) return false;
  if (d.pl !== undefined && !((cert.pl ?? cert.mu)! > 0)) return false;
  return Number.isFinite(cert.fstar);
}

/**
 * A factor s > 0 with s·L ≤ L_d, s·G ≤ G_d, s·μ ≥ μ_d, s·pl ≥ pl_d, or null.
 * `side` picks the tight end: the upper constraint (L or G attained), the
 * lower one (μ or pl attained), or a log-uniform point between.
 */
export function fitScale(cert: Certificate, d: Demand, side: 'upper' | 'lower' | 'between', u: number): number | null {
  let lo = 0, hi = Infinity;
  if (d.L !== undefined && cert.L! > 0) hi = Math.min(hi, d.L / cert.L!);
  if (d.G !== undefined && cert.G! > 0) hi = Math.min(hi, d.G / cert.G!);
  if (d.mu !== undefined) lo = Math.max(lo, d.mu / cert.mu!);
  if (d.pl !== undefined) lo = Math.max(lo, d.pl / (cert.pl ?? cert.mu)!);
  if (lo > hi) return null;
  if (hi === Infinity) return lo > 0 ? lo * (side === 'lower' ? 1 : 1 + 4 * u) : 1;
  if (lo === 0) return side === 'upper' ? hi : hi * (0.2 + 0.8 * u);
  if (side === 'upper') return hi;
  if (side === 'lower') return lo;
  return lo * (hi / lo) ** u;
}

/** The instance with values multiplied by s > 0. */
export function scaleInstance(inst: Instance, s: number): Instance {
  if (s === 1) return inst;
  const times = (v: Float64Array) => v.map((x) => s * x);
  const c = inst.cert;
  const scaled = (v: number | undefined) => (v === undefined ? undefined : s * v);
  return {
    ...inst,
    cert: { ...c, L: scaled(c.L), mu: scaled(c.mu), pl: scaled(c.pl), G: scaled(c.G), fstar: s * c.fstar },
    value: (x) => s * inst.value(x),
    grad: (x) => times(inst.grad(x)),
    hess: inst.hess ? (x) => times(inst.hess!(x)) : undefined,
  };
}

export interface Witness {
  instance: Instance;
  record: WitnessRecord;
}

/** The choices fast-check makes (and shrinks) for one function's witness. */
export interface WitnessChoice {
  /** which maker to start from (the list is tried in order from here) */
  pick: number;
  seed: number;
  /** 0: the upper constant attained, 1: the lower one, 2: in between */
  tight: number;
  u: number;
}

export const witnessChoiceArb: fc.Arbitrary<WitnessChoice> = fc.record({
  pick: fc.nat(1 << 16),
  seed: fc.nat(),
  tight: fc.nat(2),
  u: fc.double({ min: 0, max: 1, noNaN: true }),
});

interface Maker {
  name: string;
  /** an instance before scaling, or null when this maker has nothing for the demand and dimension */
  make(d: Demand, dim: number, c: WitnessChoice): { family: string; params: Record<string, unknown> } | null;
}

const SIDES = ['upper', 'lower', 'between'] as const;

/** Quadratics whose spectrum touches both declared ends: the sharp case of most smoothness/PL steps. */
const spectrumQuadratic: Maker = {
  name: 'quadratic (spectrum touching the declared constants)',
  make(d, dim, c) {
    if (d.G !== undefined) return null; // a quadratic is not globally Lipschitz
    const rng = makeRng(c.seed);
    const lower = Math.max(d.mu ?? 0, d.pl ?? 0);
    let top = d.L ?? (lower > 0 ? lower * 10 ** (3 * c.u) : 1);
    let bottom = lower > 0 ? lower : top * 10 ** (-4 * c.u);
    if (bottom > top) return null;
    if (dim === 1) [bottom, top] = SIDES[c.tight] === 'lower' ? [bottom, bottom] : SIDES[c.tight] === 'upper' ? [top, top] : [bottom * (top / bottom) ** c.u, bottom * (top / bottom) ** c.u];
    const eig = Array.from({ length: dim }, (_, i) => (i === 0 ? top : i === 1 ? bottom : bottom + (top - bottom) * rng.next()));
    const xstar = c.tight === 0 ? new Array(dim).fill(0) : Array.from({ length: dim }, () => rng.normal());
    const fstar = c.tight === 2 ? rng.normal() * 3 : 0;
    return { family: 'quadratic', params: quadraticFromSpectrum(eig, { rotationSeed: c.tight === 0 ? null : c.seed, xstar, fstar }) as unknown as Record<string, unknown> };
  },
};

/**
 * The Huber function on which gradient descent meets the Drori–Teboulle
 * bound, for the horizon of one of the file's integer scalars (a rate's t)
 * when it has one, so that the bound is attained exactly at the step's t; in
 * any dimension as a function of the first coordinate (see `embedded`).
 */
const huberWorst: Maker = {
  name: 'Huber worst case',
  make(d, _dim, c) {
    if (d.mu !== undefined || d.pl !== undefined || d.quadratic) return null;
    const rng = makeRng(c.seed);
    const L = d.L ?? 1;
    const horizons = (d.horizons ?? []).filter((t) => t >= 1);
    const N = horizons.length && c.tight !== 2 ? horizons[c.seed % horizons.length] : 1 + rng.int(100);
    const p = huberWorstCase(L, 10 ** (2 * rng.next() - 1), N, c.tight !== 2 ? 1 : 0.1 + 0.9 * rng.next()); // h = γL, the normalised step (1 for γ = 1/L)
    return { family: 'huber', params: p as unknown as Record<string, unknown> };
  },
};

/**
 * A one-dimensional instance as a function on R^dim of its first coordinate:
 * g(x) = f(x₁). Its constants are f's (convexity, smoothness, the Lipschitz
 * constant and f* carry over; the minimisers are a hyperplane, the nearest
 * one keeps the other coordinates), and it starts at (x0₁, 0, …, 0).
 */
export function embedded(inst: Instance, dim: number): Instance {
  if (dim === inst.dim) return inst;
  const first = (x: ArrayLike<number>) => [x[0]];
  const widen = (v: ArrayLike<number>) => { const out = new Float64Array(dim); out[0] = v[0]; return out; };
  return {
    ...inst,
    dim,
    x0: widen(inst.x0),
    value: (x) => inst.value(first(x)),
    grad: (x) => widen(inst.grad(first(x))),
    hess: inst.hess ? (x) => { const h = new Float64Array(dim * dim); h[0] = inst.hess!(first(x))[0]; return h; } : undefined,
    nearestMinimiser: (x) => {
      const m = inst.nearestMinimiser(first(x));
      if (!m) return null;
      const out = Float64Array.from(x);
      out[0] = m[0];
      return out;
    },
  };
}

/** Families used in every dimension by `embedded` (their one-dimensional worst cases). */
const EMBEDDABLE = new Set(['huber']);

/** A random instance of a family of the core (its own arbitrary, boundary and extreme cases included). */
const fromFamily = (family: Family): Maker => ({
  name: family.id,
  make(d, dim, c) {
    if (family.dims && !family.dims.includes(dim)) return null;
    const params = fc.sample(family.arbitrary({ dim }), { seed: c.seed, numRuns: 1 })[0];
    return { family: family.id, params };
  },
});

// Families drawn only by name (stochastic witnesses) repeat others as functions.
const MAKERS: readonly Maker[] = [spectrumQuadratic, huberWorst, ...FAMILIES.filter((f) => !f.byName).map(fromFamily)];

/**
 * Choices that start from the makers of the sharp cases (the spectrum
 * quadratic, the Huber worst case, the family instances of huber and sin-pl)
 * with their upper and lower constants attained: tried at every step that
 * speaks of a declared function before it is called `sampled`.
 */
export function tightChoices(seed: number): { choice: WitnessChoice; family: string }[] {
  const sharp: [number, string][] = MAKERS.flatMap((m, i): [number, string][] => (m === spectrumQuadratic ? [[i, 'quadratic']] : m === huberWorst || m.name === 'huber' ? [[i, 'huber']] : m.name === 'sin-pl' ? [[i, 'sin-pl']] : []));
  return sharp.flatMap(([pick, family]) => [0, 1].map((tight) => ({ choice: { pick, seed, tight, u: 0.5 }, family })));
}

/**
 * A witness for a function with demand `d` on R^dim, starting from the maker
 * `c.pick` and taking the first that fits; null when none does. `needs` are
 * the oracles the file uses (a Hessian, a known minimiser).
 */
export function makeWitness(d: Demand, dim: number, c: WitnessChoice, needs: { hess: boolean; xstar: boolean }): Witness | null {
  for (let k = 0; k < MAKERS.length; k++) {
    const maker = MAKERS[(c.pick + k) % MAKERS.length];
    const made = maker.make(d, dim, c);
    if (!made) continue;
    const raw = familyById(made.family)!.instantiate(made.params);
    const base = raw.dim === 1 && dim > 1 && EMBEDDABLE.has(made.family) ? embedded(raw, dim) : raw;
    if (base.dim !== dim || !flagsFit(base.cert, d)) continue;
    if (needs.hess && !base.hess) continue;
    if (needs.xstar && !base.nearestMinimiser(base.x0)) continue;
    const s = fitScale(base.cert, d, SIDES[c.tight], c.u);
    if (s === null || !(s > 0) || !Number.isFinite(s)) continue;
    const instance = scaleInstance(base, s);
    const constants: Record<string, number> = {};
    for (const k of ['L', 'mu', 'pl', 'G', 'fstar'] as const) {
      const v = instance.cert[k];
      if (v !== undefined) constants[k] = v;
    }
    return { instance, record: { family: made.family, params: made.params, scale: s, constants, ...(base !== raw ? { embedded: dim } : {}) } };
  }
  return null;
}
