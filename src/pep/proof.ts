/**
 * A proof from the dual certificate of a performance estimation problem.
 *
 * The multipliers λ_r ≥ 0 of the interpolation inequalities P_r ≥ 0, z_p ≥ 0
 * of f(y_p) − f* ≥ 0 and T of the initial condition say that
 *   measure + Σ λ_r P_r + Σ z_p (f(y_p) − f*) = T‖x_0 − x*‖² − Σ_k d_k‖u_k‖²
 * for every function and start, with d_k ≥ 0: so measure ≤ T‖x_0 − x*‖².
 * The solver's multipliers are floats; we solve the problem with a small
 * margin (model.ts `margin`), so that rounding them to rationals keeps the
 * PSD part positive definite, then compute everything again in exact rational
 * arithmetic (the proof checker's BigInt fractions): the PSD matrix S from
 * the rounded multipliers, its LDLᵀ factors (every pivot must be > 0, and
 * Σ d_k u_k u_kᵀ must equal S exactly), and each z_p ≥ 0. Only then is the
 * proof file written: one chain step per weighted inequality, the identity,
 * and the sum-of-squares step, which `boundlab check` checks step by step.
 */
import { q, qAdd, qMul, type Q } from '../numeric/rational.ts';
import { UsageError } from '../language/usage.ts';
import { buildPep, type PepModel, type PepSpec } from './model.ts';
import { solvePep } from './solve.ts';
import type { SolveOptions } from './solver.ts';

const ZERO = q(0n);
const neg = (a: Q): Q => q(-a.n, a.d);
const sub = (a: Q, b: Q): Q => qAdd(a, neg(b));
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
const isZero = (a: Q) => a.n === 0n;
const positive = (a: Q) => a.n > 0n;

/** A float as the exact rational it is (a binary fraction). */
export function exactRational(x: number): Q {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  let k = 0n, v = x;
  while (!Number.isInteger(v)) { v *= 2; k++; }
  return q(BigInt(v), 2n ** k);
}

/** A float rounded to a rational with denominator 10^digits. */
const rounded = (x: number, digits = 12): Q => q(BigInt(Math.round(x * 10 ** digits)), 10n ** BigInt(digits));

const text = (a: Q): string => (a.d === 1n ? `${a.n}` : `(${a.n}/${a.d})`);

export interface PepProof {
  /** The proof file's text. */
  markdown: string;
  /** The constant of the claim measure ≤ T‖x_0 − x*‖², exactly and as a float; τ for comparison. */
  T: Q;
  bound: number;
  tau: number;
  /** Multipliers kept (nonzero), and the LDLᵀ pivots of S. */
  multipliers: { label: string; value: Q }[];
  pivots: Q[];
}

const MEASURE_TEXT = { 'f-gap': (y: string) => `f(${y}) - fs`, dist2: (y: string) => `norm(${y} - xs)^2`, 'grad-norm2': (y: string) => `norm(grad(f, ${y}))^2` } as const;

/** Solve with a margin, round, verify exactly, and write the proof; a usage error when the problem is outside what is written here. */
export async function pepProof(spec: PepSpec, title: string, opts: SolveOptions = {}): Promise<PepProof> {
  // the proof states ∇f(x*) as it is, so the model keeps it as an unknown (model.ts keepGstar)
  spec = { ...spec, keepGstar: true };
  if (spec.cls !== 'smooth-convex' && spec.cls !== 'smooth-strongly-convex' && spec.cls !== 'convex') throw new UsageError(`pep --proof: proofs are written for smooth-convex and smooth-strongly-convex (with or without a proximal term h), and convex h through prox alone, not ${spec.cls}`);
  if (buildPep(spec).points.some((p) => p.label.startsWith('q'))) throw new UsageError('pep --proof: the last iterate is not the output of a prox step, so h needs a subgradient there that no step of the method gives; proofs of composite methods are written when x_N = prox(h, γ, v)');
  if (spec.init.length !== 1 || spec.init[0].kind !== 'dist2') throw new UsageError('pep --proof: proofs are written for the initial condition dist2 (‖x_0 − x*‖² ≤ R²)');
  if (!(spec.measure in MEASURE_TEXT)) throw new UsageError(`pep --proof: proofs are written for the measures ${Object.keys(MEASURE_TEXT).join(', ')}`);
  const plain = await solvePep(spec, opts);
  if (plain.status !== 'success') throw new UsageError(`pep --proof: the problem is ${plain.status}${plain.message ? ` (${plain.message})` : ''}: no certificate to write`);
  const margin = 1e-6 * Math.max(plain.tau, 1e-12);
  const r = await solvePep({ ...spec, margin }, opts);
  if (r.status !== 'success' || !r.multipliers) throw new UsageError(`pep --proof: the problem with a margin is ${r.status}: no certificate to write`);
  const model = buildPep(spec); // without the margin: the identity is about the measure itself
  // Multipliers far below the largest are the interior point's residue: leave them out for a
  // shorter proof when the exact check still passes, else keep every one above rounding.
  const top = Math.max(...r.multipliers);
  let cert: Certificate | undefined;
  for (const drop of [1e-3 * top, 1e-5 * top, 1e-7 * top, 1e-11]) {
    try {
      cert = exactCertificate(model, r.multipliers, drop);
      break;
    } catch (e) {
      if (!(e instanceof UsageError) || drop === 1e-11) throw e;
    }
  }
  if (!cert) throw new Error('internal: no certificate');
  return { ...cert, markdown: proofMarkdown(model, cert, title, plain.tau), tau: plain.tau, bound: Number(cert.T.n) / Number(cert.T.d) };
}

interface Certificate {
  T: Q;
  /** Per constraint index: its rational multiplier (interpolation ones only; zero ones left out). */
  lambda: Map<number, Q>;
  /** Per function-value index: z_p ≥ 0. */
  z: Q[];
  /** S = Σ_k d_k u_k u_kᵀ: pivots d_k and the rows u_k (over the basis). */
  pivots: Q[];
  rows: Q[][];
  multipliers: { label: string; value: Q }[];
}

/** The rational certificate: round the multipliers, compute S and z exactly, factor S; throws when it does not verify. */
export function exactCertificate(model: PepModel, solved: readonly number[], drop = 1e-11): Certificate {
  const n = model.basis.length;
  const lambda = new Map<number, Q>();
  let T: Q | undefined;
  model.constraints.forEach((c, i) => {
    const v = solved[i];
    if (c.kind === 'init') T = rounded(Math.max(0, v));
    else if (c.kind === 'interpolation' && v > drop) lambda.set(i, rounded(v));
    else if (c.kind === 'measure') throw new UsageError('pep --proof: a minimum over iterates is not written as a proof here');
  });
  if (!T) throw new Error('no initial condition in the model');
  // measure + Σ λ P + z·f = T G_00 − ⟨S, G⟩ with P = −expr: S = T E_00 − M(measure) + Σ λ M(expr), z = −(measure_f − Σ λ expr_f).
  const S: Q[][] = Array.from({ length: n }, () => new Array(n).fill(ZERO));
  const z: Q[] = new Array(model.nf).fill(ZERO);
  const addAffine = (e: PepModel['objective'], s: Q) => {
    for (const [key, v] of e.G) {
      const a = Math.floor(key / n), b = key % n;
      const c = qMul(s, exactRational(v));
      if (a === b) S[a][a] = qAdd(S[a][a], c);
      else { const h = div(c, q(2n)); S[a][b] = qAdd(S[a][b], h); S[b][a] = qAdd(S[b][a], h); }
    }
    for (const [p, v] of e.f) z[p] = qAdd(z[p], qMul(s, exactRational(v)));
  };
  S[0][0] = T;
  addAffine(model.objective, q(-1n));
  for (const [i, l] of lambda) addAffine(model.constraints[i].expr, l);
  for (let p = 0; p < model.nf; p++) {
    if (!positive(z[p]) && !isZero(z[p])) throw new UsageError(`pep --proof: the rounded multipliers leave a negative coefficient on the value at ${model.points.find((pt) => pt.f === p)?.label}: the certificate does not verify`);
  }
  // LDLᵀ in exact arithmetic: every pivot > 0 (a zero pivot is allowed only with a zero column).
  const pivots: Q[] = [];
  const Lm: Q[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? q(1n) : ZERO)));
  for (let k = 0; k < n; k++) {
    let d = S[k][k];
    for (let j = 0; j < k; j++) d = sub(d, qMul(qMul(Lm[k][j], Lm[k][j]), pivots[j]));
    pivots.push(d);
    for (let i = k + 1; i < n; i++) {
      let v = S[i][k];
      for (let j = 0; j < k; j++) v = sub(v, qMul(qMul(Lm[i][j], Lm[k][j]), pivots[j]));
      if (isZero(d)) {
        if (!isZero(v)) throw new UsageError('pep --proof: the PSD part of the rounded certificate is singular with a nonzero column: it does not verify');
        Lm[i][k] = ZERO;
      } else Lm[i][k] = div(v, d);
    }
    if (!positive(d) && !isZero(d)) throw new UsageError(`pep --proof: the PSD part of the rounded certificate has a negative pivot (${Number(d.n) / Number(d.d)}): it does not verify`);
  }
  // u_k = column k of L: Σ_k d_k u_k u_kᵀ must be S exactly.
  const rows = pivots.map((_, k) => Array.from({ length: n }, (_, a) => Lm[a][k]));
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    let v = ZERO;
    pivots.forEach((d, k) => { v = qAdd(v, qMul(d, qMul(rows[k][a], rows[k][b]))); });
    if (!isZero(sub(v, S[a][b]))) throw new Error('internal: LDLᵀ does not reproduce S');
  }
  const multipliers = [...lambda].map(([i, value]) => ({ label: model.constraints[i].label, value }));
  return { T, lambda, z, pivots, rows, multipliers };
}

/** A point's function: f, or the proximal term h of a composite problem (the only function of the proximal point method). */
const fnOf = (model: PepModel, p: PepModel['points'][number]) => (p.fn === 'h' || (p.fn === undefined && model.spec.cls === 'convex') ? 'h' : 'f');

function proofMarkdown(model: PepModel, cert: Certificate, title: string, tau: number): string {
  const { spec, points } = model;
  const L = exactRational(spec.constants.L!);
  const mu = exactRational(spec.constants.mu ?? 0);
  const strongly = spec.cls === 'smooth-strongly-convex';
  const hasF = points.some((p) => fnOf(model, p) === 'f');
  const hasH = points.some((p) => fnOf(model, p) === 'h');
  const composite = hasF && hasH;
  const n = model.basis.length;
  const same = (a: readonly number[], b: readonly number[]) => a.every((v, j) => v === b[j]);
  // a prox output's own column: its subgradient s, with coefficient −γ in its position
  const own = (i: number) => points[i].g.findIndex((v) => v === 1);
  const isProx = (i: number) => fnOf(model, points[i]) === 'h' && points[i].f >= 0;
  // names by position: the optimum is xs; a prox output p_k; a gradient point y_k, or the prox output at its position
  const names: string[] = [];
  const gradNames: string[] = [];
  let yk = 0, pk = 0;
  points.forEach((p, i) => {
    const fn = fnOf(model, p);
    if (p.f === -1) {
      names.push('xs');
      gradNames.push(fn === 'f' && composite ? 'gs' : '');
    } else if (fn === 'h') {
      names.push(`p${pk}`);
      gradNames.push(`s${pk++}`);
    } else {
      const twin = points.findIndex((q, j) => j !== i && isProx(j) && same(q.x, p.x));
      names.push(twin >= 0 ? `p${points.slice(0, twin).filter((_, j) => isProx(j)).length}` : `y${yk}`);
      gradNames.push(`g${yk++}`);
    }
  });
  // basis column c as a vector expression: x0 − x*, or the (sub)gradient of the point that owns it
  const owner = Array.from({ length: n }, (_, c) => points.findIndex((p) => p.g[c] === 1));
  const column = (c: number) => (c === 0 ? '(w - xs)' : gradNames[owner[c]]);
  const combo = (coeffs: readonly Q[]) => {
    const terms = coeffs.map((v, c) => (isZero(v) ? '' : `${text(v)} * ${column(c)}`)).filter(Boolean);
    return terms.length ? terms.join(' + ') : '0 * w';
  };
  const gradOf = (i: number) => (points[i].g.every((v) => v === 0) ? '0 * w' : combo(points[i].g.map(exactRational)));
  const valueOf = (i: number) => {
    const fn = fnOf(model, points[i]);
    return points[i].f === -1 && !composite ? 'fs' : `${fn}(${names[i]})`;
  };
  // defines in an order where every name is defined before it is used
  const define: string[] = [composite ? '  xs: xstar(f + h)' : `  xs: xstar(${hasF ? 'f' : 'h'})`];
  if (!composite) define.push(`  fs: fstar(${hasF ? 'f' : 'h'})`);
  const known = new Set<number>([0]);
  if (composite) { define.push('  gs: grad(f, xs)'); known.add(owner.findIndex((o, c) => c > 0 && points[o]?.f === -1)); }
  const pending = points.map((_, i) => i).filter((i) => points[i].f >= 0);
  const written = new Set<string>(['xs']);
  while (pending.length) {
    const k = pending.findIndex((i) => points[i].x.every((v, c) => v === 0 || known.has(c) || (isProx(i) && c === own(i))));
    if (k < 0) throw new Error('internal: the points of the problem cannot be ordered');
    const i = pending.splice(k, 1)[0];
    const x = points[i].x.map(exactRational);
    if (isProx(i)) {
      // x⁺ = v − γs: the input v is the position with the step's own column left out
      const c = own(i);
      const gamma = neg(x[c]);
      if (!positive(gamma)) throw new Error('internal: a prox step of a nonpositive length');
      const v = x.slice();
      v[c] = ZERO;
      define.push(`  v${names[i].slice(1)}: xs + ${combo(v)}`);
      define.push(`  ${names[i]}: prox(h, ${text(gamma)}, v${names[i].slice(1)})`);
      define.push(`  ${gradNames[i]}: (v${names[i].slice(1)} - ${names[i]}) / ${text(gamma)}`);
      known.add(c);
    } else {
      if (!written.has(names[i])) define.push(`  ${names[i]}: xs + ${combo(x)}`);
      define.push(`  ${gradNames[i]}: grad(f, ${names[i]})`);
      known.add(own(i));
    }
    written.add(names[i]);
  }
  const pointOf = (label: string) => points.findIndex((p) => p.label === label);
  const steps: string[] = [];
  let k = 0;
  for (const [i, l] of cert.lambda) {
    const m = /between (\S+) and (\S+)$/.exec(model.constraints[i].label)!;
    const a = pointOf(m[1]), b = pointOf(m[2]);
    k++;
    const dx = `${names[a]} - ${names[b]}`;
    if (fnOf(model, points[a]) === 'h') {
      // P ≥ 0: h_a − h_b − ⟨s_b, x_a − x_b⟩ with s_b a subgradient of h at x_b
      define.push(`  P${k}: ${valueOf(a)} - ${valueOf(b)} - dot(${gradOf(b)}, ${dx})`);
      steps.push(`${text(l)} * P${k}|h convex: subgradient inequality between ${names[a]} and ${names[b]} (P${k} >= 0)`);
      continue;
    }
    // P ≥ 0: f_a − f_b − ⟨g_b, x_a − x_b⟩ − c(‖g_a − g_b‖²/L + μ‖x_a − x_b‖² − 2μ/L⟨g_a − g_b, x_a − x_b⟩), c = 1/(2(1 − μ/L))
    const c = text(div(q(1n), qMul(q(2n), sub(q(1n), div(mu, L)))));
    const dg = `${gradOf(a)} - (${gradOf(b)})`;
    const curvature = strongly
      ? `${c} * (norm(${dg})^2 / L + mu * norm(${dx})^2 - 2 * mu / L * dot(${dg}, ${dx}))`
      : `1 / (2 * L) * norm(${dg})^2`;
    define.push(`  P${k}: ${valueOf(a)} - ${valueOf(b)} - dot(${gradOf(b)}, ${dx}) - ${curvature}`);
    steps.push(`${text(l)} * P${k}|${strongly ? 'mu-strongly convex' : 'convex'}, L-smooth: interpolation inequality between ${names[a]} and ${names[b]} (P${k} >= 0)`);
  }
  // z_p multiplies the unknown of value p: φ(y) − φ* alone, φ(y) − φ(x*) − ⟨∇φ(x*), y − x*⟩ in a composite problem (≥ 0 by convexity)
  cert.z.forEach((v, p) => {
    if (isZero(v)) return;
    const i = points.findIndex((pt) => pt.f === p);
    const fn = fnOf(model, points[i]);
    const star = points.findIndex((pt) => pt.f === -1 && fnOf(model, pt) === fn);
    if (!composite) steps.push(`${text(v)} * (${valueOf(i)} - fs)|${fn} >= ${fn}star at ${names[i]}`);
    else steps.push(`${text(v)} * (${valueOf(i)} - ${valueOf(star)} - dot(${gradOf(star)}, ${names[i]} - xs))|${fn} convex: above its tangent at xs, at ${names[i]}`);
  });
  const lastName = model.lastPoint > 0 ? names[model.lastPoint] : 'xN';
  if (model.lastPoint <= 0) define.push(`  xN: xs + ${combo(model.last.map(exactRational))}`);
  const measure = composite && spec.measure === 'f-gap'
    ? `f(${lastName}) + h(${lastName}) - f(xs) - h(xs)`
    : MEASURE_TEXT[spec.measure as keyof typeof MEASURE_TEXT](lastName).replace(/^f\(/, `${hasF ? 'f' : 'h'}(`);
  const squares = cert.pivots.map((d, j) => (isZero(d) ? '' : `${text(d)} * norm(${combo(cert.rows[j])})^2`)).filter(Boolean);
  const lines = [measure];
  let acc = measure;
  for (const s of steps) {
    const [term, why] = s.split('|');
    acc = `${acc} + ${term}`;
    lines.push(`  <= ${acc}   # ${why}`);
  }
  const T = text(cert.T);
  lines.push(`   = ${T} * norm(w - xs)^2 - (${squares.join(' + ') || '0'})   # the certificate's identity (S = LDLᵀ, checked exactly)`);
  lines.push(`  <= ${T} * norm(w - xs)^2   # a sum of squares with positive weights is >= 0`);
  const given: string[] = [];
  if (hasF) {
    given.push(`  - ${text(L)} <= L <= ${text(L)}`);
    if (strongly) given.push(`  - ${text(mu)} <= mu <= ${text(mu)}`);
    given.push(`  - f: R^d -> R, ${strongly ? 'mu-strongly-convex, ' : 'convex, '}L-smooth`);
  }
  if (hasH) given.push('  - h: R^d -> R, convex');
  given.push('  - w in R^d');
  const Tf = Number(cert.T.n) / Number(cert.T.d);
  const what = composite
    ? `The problem is composite, F = f + h with h reached through its proximal map:
xs is a minimiser of F (so −∇f(xs) is a subgradient of h there), each prox step
x⁺ = prox(h, γ, v) comes with its subgradient s = (v − x⁺)/γ of h at x⁺, and
the points y0, y1, … are where the method calls the gradient of f (and its last
iterate), all written over x0 − x* = w − xs and the (sub)gradients before them.
Each P is an interpolation inequality of f, or a subgradient inequality of h,
between two of them, so P ≥ 0 for every pair of functions of the classes;`
    : hasH
      ? `The points p0, p1, … are the proximal steps p = prox(h, γ, v), each with its
subgradient s = (v − p)/γ of h at p, written over x0 − x* = w − xs and the
subgradients before them. Each P is a subgradient inequality of h between two
of them, so P ≥ 0 for every closed convex h;`
      : `The points y0, y1, … are where the method
calls the gradient (and its last iterate), written over x0 − x* = w − xs and the
gradients before them, with the step sizes used. Each P is an interpolation
inequality of the class between two of them, so P ≥ 0 for every function of the
class;`;
  return `---
title: ${title}
source: boundlab pep, the dual certificate of the performance estimation problem (csdp), its multipliers rounded to rationals and the identity verified in exact rational arithmetic
given:
${given.join('\n')}
define:
${define.join('\n')}
claim: ${measure} <= ${T} * norm(w - xs)^2
---

# ${title}

Generated by \`boundlab pep --proof\`. ${what}
adding them with nonnegative weights (the solver's dual multipliers,
rounded to rationals) only increases the right side. The sum is then, as an
identity between inner products, T‖w − x*‖² minus a weighted sum of squares
(the exact LDLᵀ factors of the certificate's PSD matrix, all weights > 0), so

  measure ≤ T‖x0 − x*‖², T = ${Tf.toPrecision(12)}.

The worst case the solver found is τ = ${tau.toPrecision(12)}; T exceeds it by the margin left for rounding.

\`\`\`chain
${lines.join('\n')}
\`\`\`
`;
}
