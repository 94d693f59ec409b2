/**
 * Proofs from the certificate for composite problems F = f + h (methods with
 * prox): `boundlab pep proximal-gd --proof` at N = 1, 2 writes a proof
 * whose constant is the published worst case up to the rounding margin and
 * that `boundlab check` finds valid, its certificate identity proved exactly;
 * the same proof with one multiplier 1% larger is refuted at that identity;
 * the proximal point method and FISTA get valid proofs too. Small sample
 * counts; no wall time asserted. N = 3 (34 steps, each certified through
 * csdp: about a minute of CPU) is in bench/pep-proof.ts, which
 * checks the same things at N = 1, 2, 3.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainHere } from './fixtures/main-here.ts';
import { writeProof } from './fixtures/pep-proof.ts';
import { perturbWeight } from './fixtures/perturb-weight.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `boundlab ARGS` in this process (no test here is about the process; bench/pep-in-process.ts compares with a spawn)
const cli = (args: string[]) => mainHere(args, { cwd: ROOT });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const TIMEOUT = 900_000;
const dir = mkdtempSync(join(tmpdir(), 'pep-composite-proof-'));

/** Write the proof, check it, and return the check's file result. */
async function proveAndCheck(method: string, N: number, worst: number) {
  const { file, ...r } = await writeProof(dir, method, N);
  expect(r.code, r.err).toBe(0);
  const j = JSON.parse(r.out);
  // the proof's constant is the worst case up to the margin left for rounding
  expect(j.proof.bound).toBeGreaterThanOrEqual(worst * (1 - 1e-8));
  expect(rel(j.proof.bound, worst)).toBeLessThan(1e-5);
  const c = await cli(['check', file, '--samples', '20', '--json']);
  expect(c.code, c.err).toBe(0);
  const f = JSON.parse(c.out).files[0];
  expect(f.verdict).toBe('valid');
  expect(f.claim.established).toBe(true);
  // the certificate's identity between inner products is proved exactly, not only sampled
  expect(f.steps.filter((s: { relation: string }) => s.relation === '==').map((s: { verdict: string }) => s.verdict)).toEqual(['proved']);
  return { file, text: readFileSync(file, 'utf8') };
}

describe('composite proofs from the certificate', () => {
  // Taylor–Hendrickx–Glineur 2018 (JOTA): proximal gradient with step 1/L on F = f + h, f convex L-smooth,
  // h closed convex: F(x_N) − F* ≤ L R²/(4N), attained.
  for (const N of [1, 2]) {
    it(`proximal gradient N = ${N}: the generated proof states its prox steps and is valid under boundlab check`, { timeout: TIMEOUT }, async () => {
      const { text } = await proveAndCheck('proximal-gd', N, 1 / (4 * N));
      expect(text).toMatch(/^  - h: R\^d -> R, convex$/m);
      expect(text).toMatch(/^  xs: xstar\(f \+ h\)$/m);
      expect(text.match(/^  p\d+: prox\(h, 1, v\d+\)$/gm)).toHaveLength(N);
    });
  }

  it('the same proof with one multiplier perturbed is refuted at the identity', { timeout: TIMEOUT }, async () => {
    const text = readFileSync((await writeProof(dir, 'proximal-gd', 2)).file, 'utf8');
    // a subgradient inequality of h, its weight times 1.01
    const P = /^  (P\d+): h\(/m.exec(text)![1];
    const perturbed = perturbWeight(text, P);
    const bad = join(dir, 'proximal-gd2-perturbed.md');
    writeFileSync(bad, perturbed);
    const c = await cli(['check', bad, '--samples', '20', '--json']);
    expect(c.code).toBe(1);
    const f = JSON.parse(c.out).files[0];
    expect(f.verdict).toBe('refuted');
    expect(f.steps.filter((s: { verdict: string }) => s.verdict === 'refuted').map((s: { relation: string }) => s.relation)).toEqual(['==']);
  });

  // Güler 1991, tight by Taylor–Hendrickx–Glineur 2017: the proximal point method with step γ = 1,
  // h(x_N) − h* ≤ R²/(4γN); FISTA's first step is a proximal gradient step (its momentum is 0): L R²/4.
  it('the proximal point method N = 2 and FISTA N = 1 get valid proofs', { timeout: TIMEOUT }, async () => {
    await proveAndCheck('proximal-point', 2, 1 / 8);
    await proveAndCheck('fista', 1, 1 / 4);
  });
});
