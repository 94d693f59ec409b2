/**
 * Distillation into a linear student (Phuong and Lampert, ICML 2019): a
 * linear teacher w* gives soft labels p_i = σ(w*·x_i); a linear student w
 * trained by gradient descent from w = 0 on the mean cross-entropy to those
 * labels converges to ŵ = P w*, the projection of w* onto the span of the
 * training inputs (n < d). Checked as a bound at every step of real
 * TensorFlow.js runs:
 *   ‖w_t − ŵ‖² ≤ (1 − μ/L)^t ‖w_0 − ŵ‖²,
 * our derivation for gradient descent with step 1/L on a convex L-smooth
 * function that is μ-strongly convex on the affine set the iterates never
 * leave (w_0 + span X): L = λmax(XᵀX)/(4n) since σ′ ≤ 1/4, and
 * μ = σ′(Z) λ⁺min(XᵀX)/n with Z = max_i |w*·x_i| + ‖x_i‖·‖w_0 − ŵ‖, because
 * the iterates stay in the ball of radius ‖w_0 − ŵ‖ around ŵ (gradient
 * descent with step ≤ 2/L is Fejér monotone towards any minimiser) where
 * |w·x_i| ≤ Z. A planted target (w* itself, not its projection) breaks it.
 */
import { tf } from '../../engine/backend.ts';
import { eigenvalues, mat, matMul, matVec, solveSPD, transpose, type Mat } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import type { SeriesPoint } from '../../experiments/series.ts';
import { boundStatement, checkBoundAtSize, resolved, type BoundTrace } from '../bound.ts';
import { replicateSeed } from '../fit.ts';
import type { LawOptions, LawResult } from '../types.ts';
import { DISTILLATION_DEFAULTS } from './defaults.ts';

const SOURCE = 'Phuong and Lampert 2019 (ICML), Towards understanding knowledge distillation (the linear student converges to the projection of the teacher onto the span of the data); the rate is our derivation (see docs/laws.md)';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const sigmoidSlope = (z: number) => { const s = sigmoid(z); return s * (1 - s); };
const norm = (v: ArrayLike<number>) => { let s = 0; for (let i = 0; i < v.length; i++) s += v[i] * v[i]; return Math.sqrt(s); };
const distance = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2; return Math.sqrt(s); };

/** One distillation instance: inputs X (n × d), teacher w*, soft labels, the projection ŵ and the constants of the bound. */
export interface DistillationInstance { X: Mat; teacher: Float64Array; labels: Float64Array; projection: Float64Array; L: number; mu: number }

export function distillationInstance(n: number, d: number, teacherScale: number, seed: number): DistillationInstance {
  const rng = makeRng(seed);
  const X = mat(n, d, Float64Array.from({ length: n * d }, () => rng.normal() / Math.sqrt(d)));
  const teacher = Float64Array.from({ length: d }, () => teacherScale * rng.normal());
  const z = matVec(X, teacher);
  const labels = Float64Array.from(z, sigmoid);
  // ŵ = Xᵀ (X Xᵀ)⁻¹ X w*: the point of the span with the teacher's logits on every x_i.
  const gramRows = matMul(X, transpose(X));
  const projection = Float64Array.from(matVec(transpose(X), solveSPD(gramRows, z)));
  const spectrum = eigenvalues(gramRows); // the nonzero eigenvalues of XᵀX (n < d, full row rank)
  const radius = norm(projection); // ‖w_0 − ŵ‖ with w_0 = 0
  let Z = 0;
  for (let i = 0; i < n; i++) Z = Math.max(Z, Math.abs(z[i]) + norm(X.data.subarray(i * d, (i + 1) * d)) * radius);
  return { X, teacher, labels, projection, L: spectrum[n - 1] / (4 * n), mu: (sigmoidSlope(Z) * spectrum[0]) / n };
}

/** Gradient descent with step 1/L on the mean soft-label cross-entropy, every instance a row of one batch; returns w_t per step. */
export function distil(instances: readonly DistillationInstance[], steps: number): Float64Array[][] {
  const S = instances.length, { rows: n, cols: d } = instances[0].X;
  const X = tf.tensor3d(Float32Array.from(instances.flatMap((s) => [...s.X.data])), [S, n, d]);
  const p = tf.tensor3d(Float32Array.from(instances.flatMap((s) => [...s.labels])), [S, n, 1]);
  const gammaOverN = tf.tensor3d(Float32Array.from(instances.map((s) => 1 / (s.L * n))), [S, 1, 1]);
  let w = tf.zeros([S, d, 1]) as tf.Tensor3D;
  const trace: Float64Array[][] = instances.map(() => []);
  const record = (t: tf.Tensor3D) => { const v = t.dataSync(); for (let s = 0; s < S; s++) trace[s].push(Float64Array.from(v.subarray(s * d, (s + 1) * d))); };
  record(w);
  for (let k = 0; k < steps; k++) {
    // ∇ (1/n) Σ_i [softplus(z_i) − p_i z_i] = (1/n) Xᵀ (σ(Xw) − p)
    const next = tf.tidy(() => tf.sub(w, tf.mul(gammaOverN, tf.matMul(X, tf.sub(tf.sigmoid(tf.matMul(X, w)), p), true, false))) as tf.Tensor3D);
    w.dispose();
    w = next;
    record(w);
  }
  tf.dispose([X, p, gammaOverN, w]);
  return trace;
}

export interface DistillationOptions extends LawOptions { /** Measure the distance to w* instead of P w* (a planted wrong limit). */ plantTeacherAsLimit?: boolean }

export async function distillationCheck(opts: DistillationOptions = {}): Promise<LawResult> {
  const t0 = performance.now();
  const D = DISTILLATION_DEFAULTS;
  const samples = opts.sizes ?? D.samples;
  const seedCount = opts.seeds ?? D.seeds;
  const seed = opts.seed ?? 0;
  const { d, teacherScale, decay } = D;
  const u = 2 ** -24;
  const bySize = [];
  const rows: Record<string, number>[] = [];
  const ratioPoints: SeriesPoint[] = [];
  for (const n of samples) {
    opts.onProgress?.(`n = ${n}`);
    const instances = Array.from({ length: seedCount }, (_, s) => distillationInstance(n, d, teacherScale, replicateSeed(seed, s, n)));
    const rate = Math.min(...instances.map((s) => s.mu / s.L));
    const steps = Math.ceil(decay / rate);
    const runs = distil(instances, steps);
    const traces: BoundTrace[] = instances.map((inst, s) => {
      const target = opts.plantTeacherAsLimit ? inst.teacher : inst.projection;
      const measured = Float64Array.from(runs[s], (w) => distance(w, target) ** 2);
      const q = 1 - inst.mu / inst.L;
      const bound = Float64Array.from(measured, (_, k) => q ** k * measured[0]);
      // float32 iterates: a rounding of ~2u‖w‖ per step, contracted by √q per step, settles below 2u‖w‖/(1 − √q) ≤ 4u‖w‖L/μ;
      // doubled for the gradient's own rounding. On the squared distance: 2·e·dist + e².
      const e = (8 * u * norm(inst.projection) * inst.L) / inst.mu;
      const floor = Float64Array.from(measured, (m) => 2 * e * Math.sqrt(m) + e * e);
      return { seed: replicateSeed(seed, s, n), measured, bound, floor };
    });
    bySize.push(checkBoundAtSize(n, traces));
    const last = runs.map((r) => r[r.length - 1]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    rows.push({
      n,
      steps,
      rate,
      toProjection: mean(instances.map((inst, s) => distance(last[s], inst.projection) / norm(inst.projection))),
      toTeacher: mean(instances.map((inst, s) => distance(last[s], inst.teacher) ** 2 / norm(inst.teacher) ** 2)),
      expected: 1 - n / d,
    });
    const every = Math.max(1, Math.floor(steps / 150));
    for (let k = 0; k <= steps; k += every) {
      const shown = traces.filter((t) => resolved(t, k));
      if (shown.length) ratioPoints.push({ x: k, y: Math.max(...shown.map((t) => t.measured[k] / t.bound[k])), series: `n = ${n}` });
    }
    await new Promise((r) => setImmediate(r));
  }
  const limit = opts.plantTeacherAsLimit ? 'w^*' : '\\hat w = P_X w^*';
  const statement = boundStatement({
    id: 'distilled-student-limit',
    claim: `Gradient descent from $w_0 = 0$ with step $1/L$ on the soft-label cross-entropy: $\\|w_t - ${limit}\\|^2 \\le (1 - \\mu/L)^t\\, \\|w_0 - ${limit}\\|^2$ at every step, every training set size`,
    source: SOURCE,
    bySize,
    holdsFrom: Math.min(...samples),
    sizeName: 'n',
  });
  return {
    law: 'distillation',
    title: 'Distillation into a linear student converges to the teacher projected onto the data',
    seed,
    settings: { 'training set sizes n': samples.join(', '), seeds: seedCount, d, 'teacher scale': teacherScale },
    setup: `Inputs $x_i \\sim N(0, I_{${d}}/${d})$, $i = 1, \\dots, n$ with $n < d$; a linear teacher $w^* \\sim N(0, ${teacherScale ** 2} I)$ gives soft labels $p_i = \\sigma(w^{*\\top} x_i)$. The student $w$ starts at $0$ and takes full-batch gradient steps of size $1/L$ on $\\frac1n \\sum_i [\\log(1 + e^{z_i}) - p_i z_i]$, $z_i = w^\\top x_i$, with TensorFlow.js (float32; every seed one row of a batch). Phuong and Lampert show the limit is $\\hat w = X^\\top (X X^\\top)^{-1} X w^*$, the projection of the teacher onto the span of the inputs. The rate is ours: $L = \\lambda_{\\max}(X^\\top X)/(4n)$ and $\\mu = \\sigma'(Z)\\, \\lambda^+_{\\min}(X^\\top X)/n$ with $Z = \\max_i |w^{*\\top} x_i| + \\|x_i\\| \\|\\hat w\\|$, the least curvature on the ball the iterates never leave. Steps: until the bound has fallen by $e^{${decay}}$ for the slowest seed. A step counts as a violation only beyond a float32 floor ($4u\\|\\hat w\\| L/\\mu$, doubled, on the distance).`,
    statements: [statement],
    figures: [{
      id: 'distillation-bound',
      title: 'Measured ‖w_t − ŵ‖² over the bound, worst seed, per n',
      points: ratioPoints,
      plot: { xLabel: 'step t', yLabel: 'measured / bound', log: true, references: [{ label: 'bound', y: 1 }] },
      caption: 'Steps where some seed’s bound is above its float32 floor (the ratio is taken over those seeds). Below 1: the bound holds. The student approaches ŵ far faster than the worst-case rate μ/L, which uses the least curvature in the whole ball.',
    }],
    table: {
      columns: [
        { id: 'n', label: 'n', numeric: true },
        { id: 'steps', label: 'steps', numeric: true },
        { id: 'rate', label: 'min μ/L', numeric: true },
        { id: 'toProjection', label: '‖w_T − ŵ‖/‖ŵ‖', numeric: true },
        { id: 'toTeacher', label: '‖w_T − w*‖²/‖w*‖²', numeric: true },
        { id: 'expected', label: '1 − n/d', numeric: true },
      ],
      rows,
      caption: `Means over ${seedCount} seeds. The last two columns: the student ends as far from the teacher as the projection is, whose expected squared relative distance is 1 − n/d for Gaussian inputs (a uniformly random n-dimensional span).`,
    },
    findings: [`Worst measured/bound over every seed and every step where the bound is above the float32 floor: ${Math.max(...bySize.map((b) => b.worstRatio)).toPrecision(3)}.`],
    data: { bySize, rows },
    seconds: (performance.now() - t0) / 1000,
  };
}
