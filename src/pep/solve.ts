/**
 * A performance estimation model as an SDP, solved, and read back: the worst
 * case τ, the worst Gram matrix and function values (the primal solution),
 * and the multipliers of every constraint with the PSD matrix S (the dual
 * solution: the certificate proof.ts turns into a proof).
 *
 * Unbounded worst cases. When the measure can be made as large as one likes,
 * no multipliers exist, and csdp says so ("primal infeasible" on its side, our
 * multipliers' side; exit 1). We read that status as the verdict `unbounded`,
 * never as a number: the solver's certificate of infeasibility is a ray of
 * Gram matrices along which the measure grows without end.
 */
import type { Sdp, SdpEntry } from './sdp.ts';
import { solveSdp, type SdpSolution, type SolveOptions, type SolverName } from './solver.ts';

export type PepStatus = 'success' | 'unbounded' | 'infeasible' | 'partial' | 'failure';
import { buildPep, type Affine, type PepModel, type PepSpec } from './model.ts';

export interface PepResult {
  /** The worst case; NaN unless status is success or partial. */
  tau: number;
  status: PepStatus;
  /**
   * The duality gap relative to τ: |multipliers' value − τ| / max of the two
   * (csdp's own is relative to 1 + |objective|, which says little when τ is small).
   */
  gap: number;
  message: string;
  solver: SolverName;
  seconds: number;
  model: PepModel;
  /** The worst Gram matrix and function values (f − f* per value index). */
  G?: number[][];
  f?: number[];
  /** The other side's value (the multipliers', an upper bound when they are feasible); τ is the Gram side's. */
  yObjective?: number;
  /** The measure's minimum when the measure is a minimum over iterates. */
  t?: number;
  /** The factor every constant was multiplied by for the solver (solveScaled); the values here are divided back. */
  scale?: number;
  /** One multiplier per constraint of the model (same order), and the PSD matrix S. */
  multipliers?: number[];
  S?: number[][];
}

/**
 * The SDP of a model on the constraints listed in `active` (default all). X
 * is blockdiag(G, diag(f_1 … f_nf, t, s_1 … s_K)): the Gram matrix, the
 * function values, the minimum t when the measure is one, and a slack per
 * constraint, so that constraint r, expr_r ≤ 0, is the equality
 * expr_r − constant_r + s_r = −constant_r. `scale` multiplies every constant
 * (see solvePep: the solution scales with it, the multipliers do not). The function values may be taken
 * ≥ 0: f* is the minimum of every class here (for the nonconvex class it is a
 * constraint of the model), so that restriction cuts nothing.
 */
export function pepSdp(model: PepModel, active: readonly number[] = model.constraints.map((_, r) => r), face?: Face, scale = 1): Sdp {
  const n = model.basis.length;
  const nt = model.hasT ? 1 : 0;
  const rows = [...active.map((index) => model.constraints[index].expr), ...(face ? [face.floor] : [])];
  const diag = model.nf + nt + rows.length;
  const entries: SdpEntry[] = [];
  const put = (matrix: number, e: Affine) => {
    for (const [k, v] of e.G) {
      const a = Math.floor(k / n), b = k % n;
      // ⟨E, G⟩ for an off-diagonal pair counts G_ab twice: half the coefficient on each side.
      entries.push({ matrix, block: 1, i: a + 1, j: b + 1, value: a === b ? v : v / 2 });
    }
    for (const [q, v] of e.f) entries.push({ matrix, block: 2, i: q + 1, j: q + 1, value: v });
    if (e.t) entries.push({ matrix, block: 2, i: model.nf + 1, j: model.nf + 1, value: e.t });
  };
  put(0, face ? face.objective : model.objective);
  const c: number[] = [];
  rows.forEach((con, r) => {
    put(r + 1, con);
    const slack = model.nf + nt + r + 1;
    entries.push({ matrix: r + 1, block: 2, i: slack, j: slack, value: 1 });
    c.push(-con.constant * scale);
  });
  return { c, blocks: [{ size: n, diagonal: false }, { size: diag, diagonal: true }], entries };
}

/**
 * A second solve on the optimal face of a subset: maximise `objective` (minus
 * the size of the Gram matrix and the values) over the subset's points whose
 * measure is still at least the subset's optimum (`floor` ≤ 0).
 */
interface Face { objective: Affine; floor: Affine }

/** Problems with more constraints than this are solved by constraint generation (below). */
const GENERATE_ABOVE = 150;

/**
 * Solve a model. A large one is solved on a subset of its interpolation
 * constraints first (each point with the optimum and with its neighbours in
 * the order of the points), then every left-out constraint is evaluated at
 * the worst case found, the violated ones are added, and it is solved again,
 * until none is violated. That is exact, not a heuristic: the subset's value is
 * at least the full problem's (fewer constraints), and a solution of the
 * subset that satisfies every constraint is feasible for the full problem, so
 * it attains that value; the left-out constraints get multiplier 0. It makes
 * N = 50 of gradient descent a problem of ~200 constraints instead of 2,650.
 * When the subset's solution breaks left-out constraints, its optimal face is
 * searched for a point that keeps them (solveFace) before any is added. When
 * the subset's worst case is unbounded, or rounds do not settle, we solve the
 * full problem.
 */
export async function solvePep(spec: PepSpec, opts: SolveOptions = {}): Promise<PepResult> {
  const model = buildPep(spec);
  const all = model.constraints.map((_, r) => r);
  if (model.constraints.length <= GENERATE_ABOVE || opts.solver === 'sdpa') return solveScaled(model, all, opts);
  const active = new Set(initialActive(model));
  const violatedAt = (r: { G?: number[][]; f?: number[]; t?: number }, tau: number) =>
    all.filter((i) => !active.has(i) && evaluate(model.constraints[i].expr, r) > 1e-9 * Math.max(1, Math.abs(tau)));
  let total = 0;
  let scale = 1;
  for (let round = 0; round < 6 && active.size < all.length / 2; round++) {
    const list = [...active].sort((a, b) => a - b);
    const r = round === 0 ? await solveScaled(model, list, opts) : await solveAt(model, list, opts, scale);
    total += r.seconds;
    if (r.status !== 'success' && r.status !== 'partial') break; // unbounded or failed on the subset: solve the whole
    scale = r.scale ?? 1;
    let violated = violatedAt(r, r.tau);
    if (violated.length === 0) return { ...r, seconds: total };
    // A degenerate optimal face (OGM's): the interior-point solution lies inside the
    // subset's face and breaks left-out inequalities that other points of the face keep.
    // The face's smallest point (least trace G + Σ f at a measure ≥ τ(1 − 1e-7)) is the
    // low-rank worst case, which usually keeps them all. Then τ is bracketed: that
    // point is feasible for the whole problem (τ ≥ its measure) and the subset's
    // multipliers, 0 on the rest, are feasible multipliers of the whole (τ ≤ their value).
    const p = await solveFace(model, list, r, opts, scale);
    total += p.seconds;
    if (p.G) {
      const low = evaluate(model.objective, p);
      const still = violatedAt(p, r.tau);
      if (still.length === 0) {
        const high = r.yObjective ?? r.tau;
        const gap = Math.max(r.gap, relativeGap(high, low));
        return { ...r, G: p.G, f: p.f, t: p.t, gap, seconds: total };
      }
      violated = [...new Set([...violated, ...still])];
    }
    for (const i of violated) active.add(i);
  }
  const r = await solveAt(model, all, opts, scale);
  return { ...r, seconds: total + r.seconds };
}

/**
 * csdp stops when its duality gap is below 1e-8 relative to 1 + |objective|:
 * for a worst case of order 1 that is 1e-8 relative, for OGM's 3.5e-4 at N = 50
 * only 3e-5. The problem is homogeneous: multiplying every constant (R², Delta0,
 * M²) by s multiplies the worst Gram matrix, the values and τ by s and leaves
 * the multipliers as they are. So a τ far from 1 is solved again at s = 1/τ, where
 * the solver's tolerance is relative to τ itself, and read back divided by s.
 * One extra solve at most; when it fails, the first answer stands.
 */
async function solveScaled(model: PepModel, active: number[], opts: SolveOptions): Promise<PepResult> {
  const first = await solveOn(model, active, opts, 1);
  if ((first.status !== 'success' && first.status !== 'partial') || !(first.tau > SCALE_RANGE[0] && first.tau < SCALE_RANGE[1]) || (first.tau > 0.1 && first.tau < 10)) return first;
  const again = await solveOn(model, active, opts, 1 / first.tau);
  const seconds = first.seconds + again.seconds;
  return again.status === 'success' || (again.status === 'partial' && first.status === 'partial') ? { ...again, seconds } : { ...first, seconds };
}

/**
 * csdp's tolerances for performance estimation, tighter than its defaults
 * (1e-8), with its objective perturbation off: on OGM's and gradient descent's
 * problems the defaults stop 1e-7 to 1e-4 short of the closed forms (more the
 * smaller τ is next to the constants; solveScaled treats that part), these reach
 * them to ~1e-8 for about 15% more of csdp's time (docs/pep.md).
 */
export const PEP_SOLVER_TOLERANCE = 1e-10;

/** A solve at PEP_SOLVER_TOLERANCE, and at csdp's defaults when that one is not reached (partial or failed). */
async function solveTight(p: Sdp, opts: SolveOptions): Promise<SdpSolution> {
  const tight = await solveSdp(p, { tolerance: PEP_SOLVER_TOLERANCE, ...opts });
  if (tight.status !== 'partial' && tight.status !== 'failure') return tight;
  if (tight.solver !== 'csdp' || opts.tolerance !== undefined) return tight;
  const loose = await solveSdp(p, opts);
  const seconds = tight.seconds + loose.seconds;
  return loose.status === 'success' || tight.status === 'failure' ? { ...loose, seconds } : { ...tight, seconds };
}

/** A solve at the scale found before, and at scale 1 when that one does not succeed (then the scale's fault is ruled out). */
async function solveAt(model: PepModel, active: number[], opts: SolveOptions, scale: number): Promise<PepResult> {
  const r = await solveOn(model, active, opts, scale);
  if (scale === 1 || r.status === 'success') return r;
  const plain = await solveOn(model, active, opts, 1);
  return { ...(plain.status === 'success' || r.status !== 'partial' ? plain : r), seconds: r.seconds + plain.seconds };
}

/** The worst cases solved again at scale 1/τ: away from 1 by more than a factor 10, and not so near 0 that τ could be the solver's noise. */
const SCALE_RANGE = [1e-9, 1e9] as const;

/** The smallest point of the subset's optimal face (see solvePep), or no point when the solver fails. */
async function solveFace(model: PepModel, active: number[], best: PepResult, opts: SolveOptions, scale: number): Promise<{ G?: number[][]; f?: number[]; t?: number; seconds: number }> {
  const n = model.basis.length;
  const size: Affine = { G: new Map(), f: new Map(), t: 0, constant: 0 };
  for (let a = 0; a < n; a++) size.G.set(a * n + a, -1);
  for (let p = 0; p < model.nf; p++) size.f.set(p, -1);
  const floor: Affine = { G: new Map(), f: new Map(), t: -model.objective.t, constant: best.tau - 1e-7 * Math.abs(best.tau) - model.objective.constant };
  for (const [k, v] of model.objective.G) floor.G.set(k, -v);
  for (const [k, v] of model.objective.f) floor.f.set(k, -v);
  const s = await solveTight(pepSdp(model, active, { objective: size, floor }, scale), opts);
  if ((s.status !== 'success' && s.status !== 'partial') || s.solver !== 'csdp') return { seconds: s.seconds };
  return { ...primal(model, s.X, scale), seconds: s.seconds };
}

/** The Gram matrix, values and minimum of a solution, divided by the scale it was solved at. */
const primal = (model: PepModel, X: number[][][], scale: number) => ({
  G: X[0].map((row) => row.map((v) => v / scale)),
  f: X[1][0].slice(0, model.nf).map((v) => v / scale),
  t: model.hasT ? X[1][0][model.nf] / scale : undefined,
});

/** The constraints solved first: everything but interpolation, the optimum with each point, and neighbouring points. */
function initialActive(model: PepModel): number[] {
  const out: number[] = [];
  model.constraints.forEach((c, i) => {
    if (c.kind !== 'interpolation') { out.push(i); return; }
    const m = /between (\S+) and (\S+)$/.exec(c.label);
    if (!m) { out.push(i); return; }
    const pos = (label: string) => model.points.findIndex((p) => p.label === label);
    const a = pos(m[1]), b = pos(m[2]);
    if (model.points[a].f === -1 || model.points[b].f === -1 || Math.abs(a - b) === 1) out.push(i);
  });
  return out;
}

/** |a − b| relative to the larger of the two (0 when both are 0; NaN when either is). */
const relativeGap = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** A constraint's value at a solution's Gram matrix and function values (≤ 0 when satisfied). */
export function evaluate(e: Affine, r: { G?: number[][]; f?: number[]; t?: number }): number {
  const n = r.G!.length;
  let v = e.constant;
  for (const [k, c] of e.G) v += c * r.G![Math.floor(k / n)][k % n];
  for (const [p, c] of e.f) v += c * r.f![p];
  return v + e.t * (r.t ?? 0);
}

async function solveOn(model: PepModel, active: number[], opts: SolveOptions, scale: number): Promise<PepResult> {
  const s = await solveTight(pepSdp(model, active, undefined, scale), opts);
  // No multipliers (the dual is infeasible) while the Gram side is feasible: the worst case grows without end.
  const status: PepStatus = s.status === 'dual-infeasible' ? 'unbounded' : s.status === 'primal-infeasible' ? 'infeasible' : s.status;
  const message = status === 'unbounded' ? `no multipliers exist (${s.message}): the worst case is unbounded`
    : status === 'infeasible' ? `no point satisfies the constraints (${s.message})` : s.message;
  const base = { status, gap: relativeGap(s.xObjective, s.yObjective), message, solver: s.solver, seconds: s.seconds, model, scale };
  if (status !== 'success' && status !== 'partial') return { ...base, tau: NaN };
  const tau = s.xObjective / scale, yObjective = s.yObjective / scale;
  if (s.solver !== 'csdp') return { ...base, tau, yObjective };
  const { G, f, t } = primal(model, s.X, scale);
  const multipliers = new Array(model.constraints.length).fill(0);
  active.forEach((index, r) => { multipliers[index] = s.y[r]; });
  return { ...base, tau, yObjective, G, f, t, multipliers, S: s.Z[0] };
}
