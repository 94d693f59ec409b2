/**
 * src/pep/interpolant.ts against an earlier version of itself (default: the
 * one before its loop reused its vectors), bit for bit: the interpolating functions of tests/pep-worst.test.ts's data
 * (smooth witnesses, broken data) and of the worst cases of solved problems
 * (gd, heavy ball, Nesterov, subgradient, proximal gradient's f), the simplex
 * QP as maxAffineProx.ts builds it, and projectSimplex, each evaluated at the
 * same random points: values, gradients, gaps, weights and nearest minimisers
 * compared with Object.is (so −0 and NaN count). Prints the mismatches (exit 1
 * when there is one) and the CPU seconds of both versions.
 *   npx tsx bench/pep-interpolant.ts [GIT-REF]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeRng, type Rng } from '../src/numeric/rng.ts';
import { dot } from '../src/numeric/linalg.ts';
import * as now from '../src/pep/interpolant.ts';
import type { InterpolationData } from '../src/pep/interpolant.ts';
import type { PepClass } from '../src/pep/model.ts';
import { runPep } from '../src/pep/run.ts';
import { worstData } from '../src/pep/worst.ts';
import { compositeWorstData } from '../src/pep/compositeWorst.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// default: the last version before its loop reused its vectors (this file's commit's parent)
const ref = process.argv[2] ?? '41f1248fde4fab851954321537b41648834d8aa7';
// the earlier version, its imports pointed back at this checkout's sources
const source = execFileSync('git', ['show', `${ref}:src/pep/interpolant.ts`], { cwd: ROOT, encoding: 'utf8' })
  .replace(/from '\.\.\/numeric\//g, `from '${pathToFileURL(join(ROOT, 'src/numeric')).href}/`)
  .replace(/from '\.\//g, `from '${pathToFileURL(join(ROOT, 'src/pep')).href}/`);
const file = join(mkdtempSync(join(tmpdir(), 'bench-pep-interpolant-')), 'interpolant.ts');
writeFileSync(file, source);
const before = (await import(pathToFileURL(file).href)) as typeof now;

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const gauss = (rng: Rng, d: number) => Array.from({ length: d }, () => rng.normal());

/** Each case: a class, its constants, data, and the spread of the points to evaluate at. */
interface Case { name: string; cls: PepClass; c: { L?: number; mu?: number; M?: number }; data: InterpolationData; spread: number }
const cases: Case[] = [];

// tests/pep-worst.test.ts's smooth witnesses: (μ/2)‖x‖² + Huber(⟨a, x⟩), and the broken data
function witness(L: number, mu: number, tau: number, a: number[]) {
  const ell = L - mu;
  const value = (x: number[]) => { const s = dot(a, x), m = Math.min(tau, Math.max(-tau, s)); return (mu / 2) * dot(x, x) + ell * (m * m / 2 + tau * Math.max(0, Math.abs(s) - tau)); };
  const grad = (x: number[]) => { const s = dot(a, x), m = Math.min(tau, Math.max(-tau, s)); return x.map((v, k) => mu * v + ell * m * a[k]); };
  return { value, grad };
}
const sample = (fn: ReturnType<typeof witness>, rng: Rng, d: number, n: number, spread: number): InterpolationData => {
  const xs = [new Array(d).fill(0), ...Array.from({ length: n }, () => gauss(rng, d).map((v) => v * spread))];
  return { x: xs, g: xs.map(fn.grad), f: xs.map(fn.value) };
};
for (const [cls, L, mu] of [['smooth-convex', 2, 0], ['smooth-strongly-convex', 2, 0.3], ['smooth-strongly-convex', 1, 0.9]] as const) {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const rng = makeRng(seed);
    const a = gauss(rng, 3), na = Math.sqrt(dot(a, a));
    cases.push({ name: `${cls} L=${L} mu=${mu} seed ${seed}`, cls, c: { L, mu }, data: sample(witness(L, mu, 0.5, a.map((v) => v / na)), rng, 3, 7, 2), spread: 2 });
  }
}
{
  const rng = makeRng(5);
  const data = sample(witness(1, 0, 0.5, [1, 0]), rng, 2, 5, 2);
  data.f[2] -= 0.1;
  cases.push({ name: 'broken data', cls: 'smooth-convex', c: { L: 1 }, data, spread: 2 });
}
// the worst cases of solved problems (csdp), as pep-worst and pep-composite-worst run them
for (const [target, set, N] of [['gd', {}, 3], ['heavy-ball', {}, 3], ['nesterov', {}, 4], ['nesterov-constant-momentum', { mu: 0.1 }, 4], ['subgradient', {}, 3], ['gd-convex-tight', { h: 1 }, 10]] as const) {
  const r = await runPep({ target, set, steps: N });
  const d = worstData(r.result);
  cases.push({ name: `${target} N=${N} worst`, cls: r.spec.cls, c: r.spec.constants, data: { x: d.x, g: d.g, f: d.f }, spread: 1 });
}
for (const N of [1, 2, 3]) {
  const r = await runPep({ target: 'proximal-gd', set: { L: 2, R: 1.5 }, steps: N });
  const d = compositeWorstData(r.result);
  if (d.f) cases.push({ name: `proximal-gd N=${N} worst f`, cls: r.spec.cls, c: r.spec.constants, data: d.f, spread: 1.5 });
  cases.push({ name: `proximal-gd N=${N} worst h`, cls: 'convex', c: {}, data: d.h, spread: 1.5 });
}

/** Everything a version computes on the cases, as one flat list of numbers. */
function outputs(lib: typeof now): number[] {
  const out: number[] = [];
  const put = (xs: ArrayLike<number>) => { for (let i = 0; i < xs.length; i++) out.push(xs[i]); };
  for (const k of cases) {
    const rng = makeRng(7);
    const fn = lib.interpolant(k.cls, k.c, k.data);
    const d = k.data.x[0].length;
    for (let i = 0; i < 200; i++) {
      const p = gauss(rng, d).map((v) => v * k.spread * 1.5);
      const e = fn.evaluate(p);
      out.push(e.value, e.gap); put(e.grad);
      if (fn.nearestMinimiser) put(fn.nearestMinimiser(p));
    }
    for (const xi of k.data.x) { const e = fn.evaluate(xi); out.push(e.value, e.gap); put(e.grad); }
    // the simplex QP as maxAffineProx.ts builds it for the data's pieces, at three steps
    for (const gamma of [0.1, 1, 5]) {
      const a = k.data.f.map((f, i) => f - dot(k.data.g[i], k.data.x[i]));
      const qp = lib.smoothConvex(1 / gamma, { x: k.data.g.map((s) => s.map((v) => gamma * v)), g: k.data.g.map(() => new Array(d).fill(0)), f: a.map((ai) => -ai) }, d);
      for (let i = 0; i < 20; i++) { const r = qp(gauss(rng, d).map((v) => 3 * v)); out.push(r.value, r.gap); put(r.grad); put(r.weights); }
    }
  }
  const rng = makeRng(11);
  for (let i = 0; i < 2000; i++) {
    const v = gauss(rng, 1 + (i % 9)).map((x, j) => (j % 4 === 3 ? 0 : j % 4 === 2 ? -0 : x));
    put(lib.projectSimplex(v));
  }
  return out;
}

let t = cpu();
const old = outputs(before);
const oldSeconds = cpu() - t;
t = cpu();
const cur = outputs(now);
const curSeconds = cpu() - t;
let mismatches = old.length === cur.length ? 0 : 1;
for (let i = 0; i < Math.min(old.length, cur.length); i++) {
  if (!Object.is(old[i], cur[i])) {
    if (mismatches < 10) console.log(`MISMATCH at ${i}: ${old[i]} vs ${cur[i]}`);
    mismatches++;
  }
}
console.log(`${cases.length} interpolants and their simplex QPs, projectSimplex on 2000 vectors: ${cur.length} numbers (${old.length} from ${ref.slice(0, 7)}), ${mismatches} mismatches (Object.is); CPU ${oldSeconds.toFixed(2)} s ${ref.slice(0, 7)}, ${curSeconds.toFixed(2)} s now`);
if (mismatches) process.exit(1);
