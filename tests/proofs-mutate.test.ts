import { describe, it, expect } from 'vitest';
import { parse } from 'mathjs';
import { FileChecker } from '../src/proofs/check.ts';
import { parseExpr, parseProof, type Expr, type Rel } from '../src/proofs/parse.ts';
import { fileMutants, mutateProof, stepMutants, type Mutant, type MutationOperator } from '../src/proofs/mutate.ts';

const expr = (source: string, line = 7) => parseExpr(source, line, 'p.md');
const mutantsOf = (rhs: string, relation: Rel = '<=', sequences: string[] = []) => stepMutants(expr('x'), relation, expr(rhs), 7, sequences);
/** `relation rhs` of each mutant made by `operator`. */
const made = (ms: Mutant[], operator: MutationOperator) => ms.filter((m) => m.operator === operator).map((m) => `${m.relation} ${m.rhs.source}`);

describe('stepMutants', () => {
  it('flips each relation, and == both ways', () => {
    const flips = (rel: Rel) => made(mutantsOf('y', rel), 'flip-relation');
    expect(flips('<=')).toEqual(['>= y']);
    expect(flips('<')).toEqual(['> y']);
    expect(flips('>=')).toEqual(['<= y']);
    expect(flips('>')).toEqual(['< y']);
    // an equality is not flipped to a strict relation: a sampled check compares < like <= up to rounding
    expect(flips('==')).toEqual([]);
  });

  it('keeps the right side of a relation mutant as written', () => {
    const rhs = expr('L/2 * y');
    const [flip] = stepMutants(expr('x'), '<=', rhs, 7);
    expect(flip.rhs).toBe(rhs);
  });

  it('doubles and halves a constant factor, and moves an exponent by one', () => {
    const ms = mutantsOf('L/2 * norm(v)^2');
    expect(made(ms, 'scale-constant')).toEqual(['<= L / 4 * norm(v) ^ 2', '<= L / 1 * norm(v) ^ 2']);
    expect(ms.filter((m) => m.operator === 'scale-constant').map((m) => m.description)).toEqual(['L / 2 → L / 4', 'L / 2 → L / 1']);
    expect(made(ms, 'change-exponent')).toEqual(['<= L / 2 * norm(v) ^ 3', '<= L / 2 * norm(v) ^ 1']);
    expect(ms.find((m) => m.operator === 'change-exponent')!.description).toBe('norm(v) ^ 2 → norm(v) ^ 3');
  });

  it('moves a symbolic exponent by one, folding its constant', () => {
    expect(made(mutantsOf('(1 - mu/L)^(k+1)'), 'change-exponent')).toEqual(['<= (1 - mu / L) ^ (k + 2)', '<= (1 - mu / L) ^ k']);
    expect(made(mutantsOf('q^T'), 'change-exponent')).toEqual(['<= q ^ (T + 1)', '<= q ^ (T - 1)']);
  });

  it('drops each term of a sum, keeping the others\' signs', () => {
    const ms = mutantsOf('a - b + c', '==');
    expect(made(ms, 'drop-term')).toEqual(['== -b + c', '== a + c', '== a - b']);
    expect(ms.filter((m) => m.operator === 'drop-term').map((m) => m.description)).toEqual(['drop a', 'drop - b', 'drop + c']);
  });

  it('drops a term inside brackets, and the brackets when one term is left', () => {
    expect(made(mutantsOf('c * (a + b + d)'), 'drop-term')).toEqual(['<= c * (b + d)', '<= c * (a + d)', '<= c * (a + b)']);
    expect(made(mutantsOf('(1 - mu/L) * g'), 'drop-term')).toEqual(['<= -(mu / L) * g', '<= 1 * g']);
  });

  it('swaps the sign of each binary sum and removes a unary minus', () => {
    expect(made(mutantsOf('a - b + c'), 'swap-sign')).toEqual(['<= a + b + c', '<= a - b - c']);
    expect(made(mutantsOf('exp(-t) * y'), 'swap-sign')).toEqual(['<= exp(t) * y']);
  });

  it('leaves sumover bounds, its index, sequence indices, matrix indices and diff\'s variable alone', () => {
    const ms = mutantsOf('sumover(k, 1, T - 1, 3 * w(k + 1)) + v[2] + diff(x^2, x)', '<=', ['w']);
    for (const { rhs: { source } } of ms.filter((m) => m.relation === '<=')) {
      if (source.includes('sumover')) expect(source).toContain('sumover(k, 1, T - 1, ');
      if (source.includes('w(')) expect(source).toContain('w(k + 1)');
      if (source.includes('v[')) expect(source).toContain('v[2]');
      if (source.includes('diff')) expect(source).toMatch(/diff\(x \^ \d, x\)/);
    }
    expect(made(ms, 'scale-constant')).toEqual([
      '<= sumover(k, 1, T - 1, 6 * w(k + 1)) + v[2] + diff(x ^ 2, x)',
      '<= sumover(k, 1, T - 1, 1.5 * w(k + 1)) + v[2] + diff(x ^ 2, x)',
    ]);
  });

  it('does not scale exponents (they are moved by change-exponent)', () => {
    expect(made(mutantsOf('x^2'), 'scale-constant')).toEqual([]);
  });

  it('gives texts that parse back to the same tree, with the step\'s line, and no duplicates or no-ops', () => {
    for (const rhs of ['L/2 * norm(v)^2', 'a - b + c', '-(2*x) + 3', 'f(w) - fstar(f) - 1/(2*L) * norm(grad(f, w))^2', '(1 - mu/L)^(k+1) * (f(w) - fstar(f))', 'x - x + 0 * y']) {
      const ms = mutantsOf(rhs);
      const keys = ms.map((m) => `${m.relation} ${m.rhs.source}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).not.toContain(`<= ${parse(rhs).toString()}`);
      for (const m of ms) {
        expect(m.line).toBe(7);
        expect(m.rhs.line).toBe(7);
        if (m.relation !== '<=') continue; // a relation mutant keeps the right side as written
        expect(m.rhs.source).toBe(m.rhs.node.toString());
        expect(parse(m.rhs.source).equals(m.rhs.node)).toBe(true);
      }
    }
  });

  it('skips a scaled zero (same text as the original)', () => {
    expect(made(mutantsOf('y + 0'), 'scale-constant')).toEqual([]);
  });
});

const PROOF = `---
title: one step
given:
  - L > 0
  - x in R
define:
  "w(0)": x
  "w(k+1)": w(k) / 2
claim: x^2 <= x^2 + L
---

\`\`\`chain
x^2
  <= x^2 + L        # L > 0
   = L + x^2        # algebra
  <= 2 * w(0)^2 + L # w(0) = x
\`\`\`
`;

describe('fileMutants', () => {
  it('mutates the claim and every chain step, each against the previous expression of its chain', () => {
    const pf = parseProof(PROOF, 'p.md');
    const ms = fileMutants(pf);
    expect([...new Set(ms.map((m) => m.line))]).toEqual([9, 14, 15, 16]);
    const onLine = (line: number) => ms.filter((m) => m.line === line);
    expect(onLine(9).every((m) => m.lhs === pf.claim!.terms[0])).toBe(true);
    expect(onLine(14).every((m) => m.lhs === pf.chains[0].first)).toBe(true);
    expect(onLine(15).every((m) => m.lhs === pf.chains[0].steps[0].expr)).toBe(true);
    expect(onLine(16).every((m) => m.lhs === pf.chains[0].steps[1].expr)).toBe(true);
    // the sequence's index is left alone; its factor is not
    expect(made(onLine(16), 'scale-constant')).toEqual(['<= 4 * w(0) ^ 2 + L', '<= 1 * w(0) ^ 2 + L']);
  });
});

describe('mutateProof', () => {
  it('counts refuted mutants as killed and leaves implied ones out of the score', () => {
    const pf = parseProof(PROOF, 'p.md');
    const report = mutateProof(pf, { seed: 3, samples: 60 });
    const result = (line: number, description: string) => report.results.find((r) => r.line === line && r.description === description)!;
    expect(result(16, '2 * w(0) ^ 2 → 4 * w(0) ^ 2').verdict).not.toBe('refuted');
    expect(result(16, '2 * w(0) ^ 2 → 4 * w(0) ^ 2').implied).toBe(true);
    // true, but stronger than the step: a survivor the checker could not be expected to kill, yet not implied
    expect(result(16, '2 * w(0) ^ 2 → 1 * w(0) ^ 2')).toMatchObject({ implied: false });
    expect(result(16, '<= → >=')).toMatchObject({ verdict: 'refuted', implied: false });
    const killed = report.results.filter((r) => r.verdict === 'refuted').length;
    const implied = report.results.filter((r) => r.implied).length;
    expect(report).toMatchObject({ file: 'p.md', mutants: report.results.length, killed, implied, errors: 0 });
    expect(report.score).toBeCloseTo(killed / (report.mutants - implied));
  });
});
