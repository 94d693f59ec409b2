import { describe, it, expect } from 'vitest';
import { parseProof, ProofError } from '../src/proofs/parse.ts';
import { checkNames } from '../src/proofs/names.ts';
import { UsageError } from '../src/language/usage.ts';
import { PL_STEP as EXAMPLE } from './fixtures/proofs.ts';


/** The ProofError thrown by parsing and name-checking `text`. */
function failure(text: string): ProofError {
  try {
    checkNames(parseProof(text, 'p.md'));
  } catch (e) {
    expect(e).toBeInstanceOf(ProofError);
    expect(e).toBeInstanceOf(UsageError);
    return e as ProofError;
  }
  throw new Error('expected a ProofError');
}

describe('parseProof: the example of docs/proof-format.md', () => {
  const pf = parseProof(EXAMPLE, 'example.md');

  it('reads the front matter with line numbers', () => {
    expect(pf.title).toBe('Gradient descent under the PL inequality contracts the gap');
    expect(pf.source).toBe('advisor meeting notes, problem 4');
    expect(pf.given.map((g) => [g.kind, g.line])).toEqual([['constraint', 5], ['constraint', 6], ['function', 7], ['type', 8]]);
    const f = pf.given[2];
    expect(f.kind === 'function' && f.classes).toEqual([
      { text: 'L-smooth', className: 'L-smooth', constant: 'L' },
      { text: 'mu-PL', className: 'mu-PL', constant: 'mu' },
    ]);
    expect(f.kind === 'function' && f.domain).toBe('d');
    expect(pf.define.map((d) => [d.name, d.line])).toEqual([['eta', 10], ['w1', 11]]);
    expect(pf.claim?.line).toBe(12);
    expect(pf.claim?.relations).toEqual(['<=']);
    expect(pf.claim?.terms.map((t) => t.source)).toEqual(['f(w1) - fstar(f)', '(1 - mu/L) * (f(w) - fstar(f))']);
    expect(pf.names).toMatchObject({ reals: ['L', 'mu'], vectors: ['w'], functions: ['f'], defines: ['eta', 'w1'] });
  });

  it('reads the chain with line numbers, normalised relations and justifications', () => {
    expect(pf.chains).toHaveLength(1);
    const c = pf.chains[0];
    expect(c.line).toBe(17);
    expect(c.first).toMatchObject({ source: 'f(w1) - fstar(f)', line: 18 });
    expect(c.steps.map((s) => [s.line, s.relation, s.justification])).toEqual([
      [19, '<=', 'L-smooth'], [20, '==', 'algebra'], [21, '<=', 'mu-PL'], [22, '==', 'algebra'],
    ]);
    expect(c.steps[0].expr.node.type).toBe('OperatorNode');
    expect(c.composed).toBe('<=');
  });

  it('keeps the prose', () => {
    expect(pf.prose).toEqual([{ line: 15, text: 'One gradient step with step size $\\eta = 1/L$. By the descent lemma:' }]);
  });

  it('passes the name check', () => {
    expect(() => checkNames(pf)).not.toThrow();
  });

  it('normalises ≤ ≥ and composes strict relations', () => {
    const p = parseProof('---\ntitle: t\ngiven:\n  - x in R\n---\n```chain\nx^2 + 1\n≥ x^2 + 1/2\n> x^2   # drop\n```\n', 'q.md');
    expect(p.chains[0].steps.map((s) => s.relation)).toEqual(['>=', '>']);
    expect(p.chains[0].composed).toBe('>');
  });

  it('parses the other declarations and sequences', () => {
    const p = parseProof(`---
title: types
given:
  - t in N
  - u, v in R^n
  - X in R^(n x d)
  - A in PSD^d
  - g: R -> R, convex, G-Lipschitz
  - G >= 0
  - 0 <= x <= 1
define:
  "w(0)": 1
  "w(k+1)": w(k) / 2
samples: 300
tolerance: 1e-8
---
`, 'types.md');
    expect(p.given.map((g) => g.kind)).toEqual(['type', 'type', 'type', 'type', 'function', 'constraint', 'constraint']);
    expect(p.given[1]).toMatchObject({ names: ['u', 'v'], type: 'vector', dims: ['n'] });
    expect(p.given[2]).toMatchObject({ type: 'matrix', dims: ['n', 'd'] });
    expect(p.given[3]).toMatchObject({ type: 'PSD', dims: ['d', 'd'] });
    expect(p.given[4]).toMatchObject({ domain: 'scalar' });
    expect(p.names).toMatchObject({ integers: ['t'], reals: ['G', 'x'], matrices: ['X', 'A'], sequences: ['w'] });
    const w = p.define[0];
    expect(w.kind === 'sequence' && [w.bases[0].line, w.step?.line, w.step?.variable, w.step?.offset]).toEqual([12, 13, 'k', 1]);
    expect([p.samples, p.tolerance]).toEqual([300, 1e-8]);
  });
});

describe('parseProof: malformed files name file:line', () => {
  const withGiven = (given: string, rest = '') => `---\ntitle: t\ngiven:\n${given}\n${rest}---\n`;

  it('bad YAML', () => {
    const e = failure('---\ntitle: t\ngiven:\n  - L > 0\n   - x: [1\n---\n');
    expect(e.message).toMatch(/^p\.md:\d+: invalid YAML/);
    expect(e.line).toBeGreaterThanOrEqual(4);
  });
  it('no front matter, missing title, unknown key', () => {
    expect(failure('# hello\n').message).toMatch(/^p\.md:1: .*front matter/);
    expect(failure('---\nsource: x\n---\n').message).toMatch(/^p\.md:1: .*title/);
    const e = failure('---\ntitle: t\ngivne:\n  - L > 0\n---\n');
    expect(e.message).toMatch(/^p\.md:3: unknown front-matter key 'givne' \(did you mean: given\?\)/);
  });
  it('a given that is not a declaration', () => {
    expect(failure(withGiven('  - L > 0\n  - hello world')).message).toMatch(/^p\.md:5: "hello world" is not a declaration/);
  });
  it('unknown class lists the valid ones', () => {
    const e = failure(withGiven('  - L > 0\n  - f: R^d -> R, L-smoth'));
    expect(e.message).toMatch(/^p\.md:5: unknown class 'L-smoth'/);
    expect(e.message).toContain('C-smooth, C-strongly-convex, C-PL, C-Lipschitz');
  });
  it('a class constant that is not declared', () => {
    expect(failure(withGiven('  - L > 0\n  - f: R^d -> R, M-smooth')).message).toMatch(/^p\.md:5: the constant 'M' .* not a declared scalar/);
  });
  it('an expression mathjs cannot parse', () => {
    expect(failure(withGiven('  - L > 0', 'define:\n  a: (L + \n')).message).toMatch(/^p\.md:6: cannot parse/);
  });
  it('undeclared name, with suggestions', () => {
    const e = failure(EXAMPLE.replace('w1: w - eta * grad(f, w)', 'w1: w - etta * grad(f, w)'));
    expect(e.message).toMatch(/^p\.md:11: undeclared name 'etta' \(did you mean: eta/);
    const e2 = failure(EXAMPLE.replace('- fstar(f) - mu/L * (f(w)', '- fstar(f) - mu/LL * (f(w)'));
    expect(e2.message).toMatch(/^p\.md:21: undeclared name 'LL'/);
  });
  it('a non-function called, a function used as a value, grad of a non-function', () => {
    expect(failure(EXAMPLE.replace('eta: 1/L', 'eta: 1/L(w)')).message).toMatch(/^p\.md:10: L is a real scalar, not a function/);
    expect(failure(EXAMPLE.replace('eta: 1/L', 'eta: 1/f')).message).toMatch(/^p\.md:10: f is a function, used here as a value/);
    expect(failure(EXAMPLE.replace('w1: w - eta * grad(f, w)', 'w1: w - eta * grad(w, w)')).message).toMatch(/^p\.md:11: the first argument of grad must be a declared function/);
  });
  it('a define that uses a later one', () => {
    expect(failure(EXAMPLE.replace('eta: 1/L', 'eta: 1/L + norm(w1)')).message).toMatch(/^p\.md:10: 'w1' is defined below/);
  });
  it('a chain mixing <= and >=', () => {
    const e = failure(EXAMPLE.replace('   = (1 - mu/L) * (f(w) - fstar(f))', '  >= (1 - mu/L) * (f(w) - fstar(f))'));
    expect(e.message).toMatch(/^p\.md:22: this chain mixes <= \(line 19\) and >=/);
  });
  it('an empty chain, a relation with no right side, a line without a relation', () => {
    expect(failure('---\ntitle: t\n---\ntext\n```chain\n```\n').message).toMatch(/^p\.md:5: empty chain/);
    expect(failure('---\ntitle: t\ngiven:\n  - x in R\n---\n```chain\nx\n<=   # nothing\n```\n').message).toMatch(/^p\.md:8: the relation <= has no right side/);
    expect(failure('---\ntitle: t\ngiven:\n  - x in R\n---\n```chain\nx\nx + 1\n```\n').message).toMatch(/^p\.md:8: each line after the first starts with a relation/);
  });
  it('a claim that is not one relation', () => {
    expect(failure('---\ntitle: t\ngiven:\n  - x in R\nclaim: x + 1\n---\n').message).toMatch(/^p\.md:5: the claim must be one relation/);
  });
});
