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
import { solveSdp, type SolveOptions, type SolveStatus, type SolverName } from './solver.ts';
import { buildPep, type Affine, type PepModel, type PepSpec } from './model.ts';

export interface PepResult {
  /** The worst case; NaN unless status is success or partial. */
  tau: number;
  status: SolveStatus;
  /** The solver's relative duality gap. */
  gap: number;
  message: string;
  solver: SolverName;
  seconds: number;
  model: PepModel;
  /** The worst Gram matrix and function values (f − f* per value index). */
  G?: number[][];
  f?: number[];
  /** One multiplier per constraint of the model (same order), and the PSD matrix S. */
  multipliers?: number[];
  S?: number[][];
}

/** The SDP of a model, with the variable numbering (G_ab for a ≤ b, then f, then t). */
export function pepSdp(model: PepModel): { sdp: Sdp; gIndex: (a: number, b: number) => number; fIndex: (p: number) => number; tIndex: number } {
  const n = model.basis.length;
  const gVars: number[] = [];
  const gPos = new Map<number, number>();
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) { gPos.set(a * n + b, gVars.length); gVars.push(a * n + b); }
  const nG = gVars.length;
  const fIndex = (p: number) => nG + p;
  const tIndex = nG + model.nf;
  const nVars = nG + model.nf + (model.hasT ? 1 : 0);
  const linear = (e: Affine): Map<number, number> => {
    const out = new Map<number, number>();
    for (const [k, v] of e.G) out.set(gPos.get(k)!, v);
    for (const [p, v] of e.f) out.set(fIndex(p), v);
    if (e.t) out.set(tIndex, e.t);
    return out;
  };
  const c = new Array(nVars).fill(0);
  for (const [v, k] of linear(model.objective)) c[v] = -k; // maximise the measure = minimise its negative
  const entries: SdpEntry[] = [];
  for (const key of gVars) {
    const a = Math.floor(key / n), b = key % n;
    entries.push({ matrix: gPos.get(key)! + 1, block: 1, i: a + 1, j: b + 1, value: 1 });
  }
  model.constraints.forEach((con, r) => {
    // expr ≤ 0 as the diagonal entry −expr(y) = Σ y_v (−k_v) − constant ≥ 0
    for (const [v, k] of linear(con.expr)) entries.push({ matrix: v + 1, block: 2, i: r + 1, j: r + 1, value: -k });
    if (con.expr.constant !== 0) entries.push({ matrix: 0, block: 2, i: r + 1, j: r + 1, value: con.expr.constant });
  });
  return {
    sdp: { c, blocks: [{ size: n, diagonal: false }, { size: model.constraints.length, diagonal: true }], entries },
    gIndex: (a, b) => gPos.get(Math.min(a, b) * n + Math.max(a, b))!,
    fIndex,
    tIndex,
  };
}

export async function solvePep(spec: PepSpec, opts: SolveOptions = {}): Promise<PepResult> {
  const model = buildPep(spec);
  const { sdp, gIndex, fIndex } = pepSdp(model);
  const s = await solveSdp(sdp, opts);
  const base = { status: s.status, gap: s.gap, message: s.message, solver: s.solver, seconds: s.seconds, model };
  if (s.status !== 'success' && s.status !== 'partial') return { ...base, tau: NaN };
  const tau = -s.yObjective;
  if (s.solver !== 'csdp') return { ...base, tau };
  const n = model.basis.length;
  const G = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => s.y[gIndex(a, b)]));
  const f = Array.from({ length: model.nf }, (_, p) => s.y[fIndex(p)]);
  return { ...base, tau, G, f, multipliers: s.X[1][0], S: s.X[0] };
}
