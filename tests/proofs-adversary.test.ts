/**
 * Verdicts made stronger without false alarms: equalities between inner
 * products proved by bilinearity (the identity of a performance-estimation
 * certificate), literals read exactly, scalars pinned by the givens.
 */
import { describe, it, expect } from 'vitest';
import { parseProof } from '../src/proofs/parse.ts';
import { checkProof } from '../src/proofs/check.ts';
import type { FileResult, StepResult } from '../src/proofs/result.ts';

const check = (text: string, seed = 0, samples = 50): FileResult => checkProof(parseProof(text, 'p.md'), { seed, samples });
const all = (r: FileResult): StepResult[] => [...r.steps, ...(r.claim ? [r.claim] : [])];
const verdicts = (r: FileResult) => all(r).map((s) => s.verdict);

const file = (given: string[], chain: string, define: string[] = []) => `---
title: t
given:
${given.map((g) => `  - ${g}`).join('\n')}
${define.length ? `define:\n${define.map((d) => `  ${d}`).join('\n')}\n` : ''}---

\`\`\`chain
${chain}
\`\`\`
`;

describe('inner products expanded bilinearly', () => {
  it('the polarisation identity is proved, in any dimension', () => {
    const r = check(file(['u in R^d', 'v in R^d', 'c in R'], 'norm(u + c*v)^2\n  = norm(u)^2 + 2*c*dot(v, u) + c^2*dot(v, v)'));
    expect(verdicts(r)).toEqual(['proved']);
    expect(r.steps[0].message).toMatch(/inner products/);
  });

  it('through defines and gradients (a gradient step written two ways)', () => {
    const r = check(file(['L > 0', 'f: R^d -> R, L-smooth', 'w in R^d'], 'norm(w1 - w)^2 + dot(g, w1 - w)\n  = (1/L^2 - 1/L) * norm(g)^2', ['g: grad(f, w)', 'w1: w - 1/L * g']));
    expect(verdicts(r)).toEqual(['proved']);
  });

  it('a wrong expansion is refuted, never proved', () => {
    const r = check(file(['u in R^d', 'v in R^d'], 'norm(u + v)^2\n  = norm(u)^2 + norm(v)^2'));
    expect(verdicts(r)).toEqual(['refuted']);
  });

  it('a matrix in the way leaves the step sampled, not proved', () => {
    const r = check(file(['A in R^(d x d)', 'u in R^d'], 'dot(A*u, u)\n  = dot(u, A*u)'));
    expect(verdicts(r)).not.toContain('proved');
  });
});

describe('literals read exactly', () => {
  it('two integers that are the same float64 are not proved equal', () => {
    const r = check(file(['x in R'], '9007199254740993 * x\n  = 9007199254740992 * x'));
    expect(verdicts(r)).not.toContain('proved');
  });

  it('a long literal cancels with itself', () => {
    const r = check(file(['x in R'], '3848545964488417706688986990477369/16607736537503267416675500000000000 * x + x\n  = x * (1 + 3848545964488417706688986990477369/16607736537503267416675500000000000)'));
    expect(verdicts(r)).toEqual(['proved']);
  });
});

describe('scalars pinned by the givens', () => {
  it('`1 <= L <= 1` lets an identity that holds only at L = 1 be proved', () => {
    const r = check(file(['1 <= L <= 1', 'x in R'], 'L * x\n  = x'));
    expect(verdicts(r)).toEqual(['proved']);
  });

  it('without the pin it is refuted', () => {
    const r = check(file(['1 <= L <= 2', 'x in R'], 'L * x\n  = x'));
    expect(verdicts(r)).toEqual(['refuted']);
  });
});

describe('sign facts implied by the givens, certified in exact rationals', () => {
  const facts = file(['L > 0', '0 < mu <= L', '0 < gamma <= 1/L'], '1 - mu/L\n  >= 0\n  >= 0 * gamma');
  it('`1 - mu/L >= 0` under `0 < mu <= L` is certified, as is a step using `gamma <= 1/L`', () => {
    const r = check(facts);
    expect(verdicts(r)).toEqual(['certified', 'certified']);
    expect(r.steps[0].message).toMatch(/exact rationals/);
    const g = check(file(['L > 0', '0 < gamma <= 1/L'], '1 - gamma*L\n  >= 0'));
    expect(verdicts(g)).toEqual(['certified']);
  });

  it('a fact the givens do not imply is refuted, never certified (20 seeds)', () => {
    for (const seed of Array.from({ length: 20 }, (_, i) => i)) {
      const r = check(file(['L > 0', '0 < mu <= L'], '1 - 2*mu/L\n  >= 0'), seed);
      expect(verdicts(r), `seed ${seed}`).toEqual(['refuted']);
    }
  });

  it('a strict fact that fails on the boundary (mu = L) is not certified', () => {
    const r = check(file(['L > 0', '0 < mu <= L'], '1 - mu/L\n  > 0'));
    expect(verdicts(r)).not.toContain('certified');
  });
});

describe('exponentials by their integer multiples, relu by the sign the givens give', () => {
  it('exp(u)·exp(−u) = 1 inside a rational function: 1/(exp(u) + 1) = exp(−u)/(1 + exp(−u)) is proved', () => {
    const r = check(file(['u in R'], 'exp(-u)/(1 + exp(-u))\n  = 1/(exp(u) + 1)\n  = sigmoid(-u)\n  = 1 - sigmoid(u)'));
    expect(verdicts(r)).toEqual(['proved', 'proved', 'proved']);
  });
  it('exp(2u) = exp(u)² is proved; exp(2u) = exp(u) is refuted, never proved', () => {
    expect(verdicts(check(file(['u in R'], 'exp(2*u)\n  = exp(u)^2')))).toEqual(['proved']);
    expect(verdicts(check(file(['u in R'], 'exp(2*u)\n  = exp(u)')))).toEqual(['refuted']);
  });
  it('a fractional multiple stays one indeterminate: exp(u/2)² = exp(u) is not proved this way, nor refuted', () => {
    expect(verdicts(check(file(['u in R'], 'exp(u/2)^2\n  = exp(u)')))).not.toContain('refuted');
  });
  it('relu(v x) = v x where a given says v x > 0, through a derivative; not without that given', () => {
    const chain = 'diff(v*relu(v*x), v)\n  = 2*v*x';
    expect(verdicts(check(file(['-1 <= x <= 1', '-10 <= v <= 10', 'v*x > 0'], chain)))).toEqual(['proved']);
    const open = verdicts(check(file(['-1 <= x <= 1', '-10 <= v <= 10'], chain)));
    expect(open).not.toContain('proved');
  });
});
