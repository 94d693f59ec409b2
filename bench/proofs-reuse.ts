/**
 * The checker's re-use (src/proofs/reuse.ts, REUSE.on) changes no result: every
 * file of proofs/ and its wrong twins (tests/fixtures/proof-twins.ts) at several
 * seeds, as the corpus test checks them (default samples, proofs on) and as the
 * seed test does (50 samples, sampling only); every .md of tests/fixtures/hostile
 * (checkFile, as a run of `boundlab check`); and the mutation report of every
 * corpus file (mutants are mostly refuted). Each is
 * checked with REUSE off and then on, and the two JSON results are compared
 * field by field (everything but the `seconds` a check took, and the column at
 * which the YAML parser of a hostile file ran out of stack: it moves from call
 * to call with REUSE off too). Prints the counts
 * and the CPU seconds of both ways; exit 1 on any difference. Also: the corpus
 * and twins checked with `shrink: false` give the results of a shrinking check
 * but for the counterexamples, and exactlyPsd agrees with the LDLᵀ in reduced
 * fractions it replaced on 20000 random symmetric rational matrices.
 *
 *   npx tsx bench/proofs-reuse.ts            (BOUNDLAB_REUSE_SEEDS=N for more seeds; 3 by default)
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof, type CheckOptions } from '../src/proofs/check.ts';
import type { FileResult } from '../src/proofs/result.ts';
import { checkFile } from '../src/proofs/file.ts';
import { mutateProof } from '../src/proofs/mutate.ts';
import { REUSE } from '../src/proofs/reuse.ts';
import { exactlyPsd } from '../src/proofs/interpolation.ts';
import { makeRng } from '../src/numeric/rng.ts';
import type { Q } from '../src/numeric/rational.ts';
import { TWINS, makeTwin } from '../tests/fixtures/proof-twins.ts';

const ROOT = join(import.meta.dirname, '..');
const SEEDS = Array.from({ length: Number(process.env.BOUNDLAB_REUSE_SEEDS ?? 3) }, (_, i) => i);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Every leaf of a JSON value by its path, `seconds` left out (a timing, not a result). */
function leaves(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (v && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    out.set(path, Array.isArray(v) ? `array(${v.length})` : `object(${Object.keys(v).sort().join(',')})`);
    for (const [k, x] of entries) if (k !== 'seconds') leaves(x, `${path}.${k}`, out);
  } else {
    // the YAML parser's stack overflow (a hostile file) stops at a column that depends on the stack's depth at the call
    const text = typeof v === 'string' ? v.replace(/\(column \d+\): Maximum call stack size exceeded/, '(column …): Maximum call stack size exceeded') : v;
    out.set(path, JSON.stringify(text) ?? 'undefined');
  }
  return out;
}

let unshrunk = 0, unshrunkDiffer = 0;
let cases = 0, fields = 0, differing = 0, offSeconds = 0, onSeconds = 0;
const verdicts = new Map<string, number>();
function compare(label: string, run: () => unknown) {
  const both = [false, true].map((on) => {
    REUSE.on = on;
    const t = cpu();
    let r: unknown;
    try { r = run(); } catch (e) { r = { threw: (e as Error).message }; }
    if (on) onSeconds += cpu() - t; else offSeconds += cpu() - t;
    return leaves(JSON.parse(JSON.stringify(r)));
  });
  cases++;
  const keys = new Set([...both[0].keys(), ...both[1].keys()]);
  const diffs = [...keys].filter((k) => both[0].get(k) !== both[1].get(k));
  fields += keys.size;
  const verdict = both[0].get('.verdict') ?? (both[0].has('.score') ? 'mutation report' : 'other');
  verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
  if (diffs.length) {
    differing++;
    console.log(`${label}: ${diffs.length} fields differ, e.g. ${diffs.slice(0, 3).map((k) => `${k}: ${both[0].get(k)} vs ${both[1].get(k)}`).join('; ')}`);
  }
}

const corpus = readdirSync(join(ROOT, 'proofs')).filter((f) => f.endsWith('.md')).sort();
for (const name of corpus) {
  const text = readFileSync(join(ROOT, 'proofs', name), 'utf8');
  const files = [{ what: 'as written', text }, ...(TWINS[name] ?? []).map((t) => ({ what: `twin "${t.what}"`, text: makeTwin(text, t, name).text }))];
  for (const f of files) {
    const check = (opts: CheckOptions) => () => checkProof(parseProof(f.text, `proofs/${name}`), opts);
    compare(`${name} ${f.what} corpus options`, check({ seed: 20240611 }));
    for (const seed of SEEDS) {
      compare(`${name} ${f.what} seed ${seed}, 50 samples, sampling only`, check({ seed, samples: 50, prove: false }));
      compare(`${name} ${f.what} seed ${seed}, default options`, check({ seed }));
    }
  }
  compare(`${name} mutation report`, () => mutateProof(parseProof(text, name), { seed: 20261123 }));
  // `shrink: false` (mutation testing, the seed test) gives the same result but the counterexamples
  for (const f of files) {
    for (const seed of SEEDS) {
      const opts = { seed, samples: 50, prove: false };
      const [a, b] = [true, false].map((shrink) => checkProof(parseProof(f.text, `proofs/${name}`), { ...opts, shrink }));
      const strip = (r: FileResult) => leaves(JSON.parse(JSON.stringify({ ...r, steps: r.steps.map(({ counterexample: _c, ...rest }) => rest), claim: r.claim && { ...r.claim, counterexample: undefined } })));
      const [la, lb] = [strip(a), strip(b)];
      unshrunk++;
      const diffs = [...new Set([...la.keys(), ...lb.keys()])].filter((k) => la.get(k) !== lb.get(k));
      if (diffs.length) { unshrunkDiffer++; console.log(`${name} ${f.what} seed ${seed}: shrink false differs at ${diffs.slice(0, 3).join(', ')}`); }
    }
  }
}
const hostile = join(ROOT, 'tests', 'fixtures', 'hostile');
for (const name of readdirSync(hostile).filter((f) => f.endsWith('.md')).sort()) {
  for (const seed of SEEDS) compare(`hostile/${name} seed ${seed}`, () => checkFile(join(hostile, name), { seed }));
}
REUSE.on = true;

// exactlyPsd (fraction-free) against the LDLᵀ in reduced fractions it replaced, on symmetric rational
// matrices of every kind it meets: PSD of full and low rank (zero pivots), barely not PSD, indefinite
const lowest = (n: bigint, d: bigint): Q => { if (d < 0n) { n = -n; d = -d; } let a = n < 0n ? -n : n, b = d; while (b) [a, b] = [b, a % b]; const g = a || 1n; return { n: n / g, d: d / g }; };
function psdByFractions(S: Q[][]): boolean {
  const A = S.map((row) => row.slice());
  for (let k = 0; k < A.length; k++) {
    const d = A[k][k];
    if (d.n < 0n) return false;
    if (d.n === 0n) { for (let i = k + 1; i < A.length; i++) if (A[i][k].n !== 0n) return false; continue; }
    for (let i = k + 1; i < A.length; i++) {
      if (A[i][k].n === 0n) continue;
      const l = lowest(A[i][k].n * d.d, A[i][k].d * d.n);
      for (let j = k + 1; j < A.length; j++) A[i][j] = lowest(A[i][j].n * l.d * A[k][j].d - l.n * A[k][j].n * A[i][j].d, A[i][j].d * l.d * A[k][j].d);
    }
  }
  return true;
}
const rng = makeRng(20261204);
const rational = () => lowest(BigInt(Math.round((rng.next() - 0.5) * 40)), BigInt(1 + Math.floor(rng.next() * 12)));
let matrices = 0, psdDiffer = 0, psd = 0;
for (let t = 0; t < 20000; t++) {
  const n = 1 + (t % 9), rank = t % 3 === 0 ? Math.max(0, n - 1 - (t % 4)) : n;
  const B = Array.from({ length: rank }, () => Array.from({ length: n }, rational));
  const S: Q[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let x: Q = { n: 0n, d: 1n };
    for (const row of B) x = lowest(x.n * row[i].d * row[j].d + row[i].n * row[j].n * x.d, x.d * row[i].d * row[j].d);
    return x;
  }));
  const kind = t % 5;
  if (kind === 1) { const i = t % n; S[i][i] = lowest(S[i][i].n * 1000n - S[i][i].d, S[i][i].d * 1000n); } // a hair below
  if (kind === 2) { const i = t % n, j = (t + 1) % n; const e = rational(); S[i][j] = lowest(S[i][j].n * e.d + e.n * S[i][j].d, S[i][j].d * e.d); S[j][i] = S[i][j]; } // off-diagonal nudged
  const a = exactlyPsd(S), b = psdByFractions(S);
  matrices++;
  if (a) psd++;
  if (a !== b) psdDiffer++;
}
console.log(`exactlyPsd: ${matrices} matrices (${psd} PSD), ${psdDiffer} verdicts differ from the LDLᵀ in fractions`);
if (psdDiffer) process.exitCode = 1;

console.log(`${cases} results compared (${fields} fields): ${differing} differ between REUSE off and on`);
console.log(`${unshrunk} checks with shrink: false (50 samples, sampling only): ${unshrunkDiffer} differ from the shrunk ones but for the counterexamples`);
if (unshrunkDiffer) process.exitCode = 1;
console.log(`by verdict (REUSE off): ${[...verdicts].map(([v, k]) => `${v} ${k}`).join(', ')}`);
console.log(`CPU seconds: off ${offSeconds.toFixed(1)}, on ${onSeconds.toFixed(1)} (ratio ${(onSeconds / offSeconds).toFixed(3)})`);
if (differing) process.exitCode = 1;
