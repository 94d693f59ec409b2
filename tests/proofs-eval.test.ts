import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseProof } from '../src/proofs/parse.ts';
import { checkNames } from '../src/proofs/names.ts';
import { Evaluator, EvalError, type Value } from '../src/proofs/evaluate.ts';
import { familyById, type Instance } from '../src/classes/index.ts';

const quad = (): Instance => familyById('quadratic')!.instantiate({ dim: 2, eigenvalues: [1, 4], rotationSeed: null, xstar: [1, 2], x0: [0, 0], fstar: 0.5 });

const FILE = `---
title: evaluator fixture
given:
  - L > 0
  - 0 < mu <= L
  - f: R^d -> R, L-smooth, mu-PL
  - w in R^d
  - T in N
  - u in R
  - v in R
  - x in R
define:
  eta: 1/L
  w1: w - eta * grad(f, w)
  "z(0)": w
  "z(k+1)": z(k) - eta * grad(f, z(k))
  s: sigmoid(u)
  h: relu(v * x) * v
claim: f(w1) - fstar(f) <= (1 - mu/L) * (f(w) - fstar(f))
---

\`\`\`chain
f(w1) - fstar(f)
  <= f(w) - fstar(f) + dot(grad(f, w), w1 - w) + L/2 * norm(w1 - w)^2   # L-smooth
   = f(w) - fstar(f) - 1/(2*L) * norm(grad(f, w))^2                     # algebra
\`\`\`
`;

const pf = parseProof(FILE, 'fixture.md');
const at = (values: Record<string, number | number[]>) => new Evaluator(pf, { values: { d: 2, ...values }, functions: { f: quad() } });
const num = (v: Value) => v as number;

describe('Evaluator on a quadratic witness', () => {
  it('the fixture passes the name check', () => expect(() => checkNames(pf)).not.toThrow());

  it('f, grad, hess, fstar, xstar, dot, norm, lambda_max', () => {
    const ev = at({ L: 4, mu: 1, w: [0, 0], T: 3, u: 0, v: 1, x: 1 });
    // f(w) = ½ (1·1² + 4·2²) + 0.5 = 9
    expect(ev.evaluate('f(w)')).toBeCloseTo(9, 12);
    expect(ev.evaluate('grad(f, w)')).toEqual([-1, -8]);
    expect(ev.evaluate('hess(f, w)')).toEqual([[1, 0], [0, 4]]);
    expect(ev.evaluate('fstar(f)')).toBe(0.5);
    expect(ev.evaluate('xstar(f)')).toEqual([1, 2]);
    expect(ev.evaluate('dot(grad(f, w), [1, 1])')).toBe(-9);
    expect(ev.evaluate('norm(grad(f, w))')).toBeCloseTo(Math.sqrt(65), 12);
    expect(ev.evaluate('lambda_max(hess(f, w)) + lambda_min(hess(f, w))')).toBeCloseTo(5, 12);
    expect(ev.evaluate('d + exp(0) + max(1, 2)')).toBe(5);
  });

  it('defines, the claim and every chain side', () => {
    const ev = at({ L: 4, mu: 1, w: [0, 0], T: 3, u: 0, v: 1, x: 1 });
    expect(ev.evaluate('eta')).toBe(0.25);
    expect(ev.evaluate('w1')).toEqual([0.25, 2]);
    const [lhs, rhs] = pf.claim!.terms.map((t) => num(ev.evaluate(t)));
    expect(lhs).toBeLessThanOrEqual(rhs);
    const chain = pf.chains[0];
    const sides = [chain.first, ...chain.steps.map((s) => s.expr)].map((e) => num(ev.evaluate(e)));
    expect(sides[0]).toBeLessThanOrEqual(sides[1] + 1e-12);
    expect(sides[1]).toBeCloseTo(sides[2], 12); // the algebra step is an identity
    // f(w1) = ½(0.75² + 4·0²) + 0.5
    expect(sides[0]).toBeCloseTo(0.5 * 0.75 ** 2, 12);
  });

  it('the claim holds on random points (property)', () => {
    fc.assert(fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (a, b) => {
      const ev = at({ L: 4, mu: 1, w: [a, b], T: 0, u: 0, v: 1, x: 1 });
      const [lhs, rhs] = pf.claim!.terms.map((t) => num(ev.evaluate(t)));
      return lhs <= rhs * (1 + 1e-12) + 1e-12;
    }), { seed: 42, numRuns: 100 });
  });

  it('a sequence matches a hand loop, and sumover', () => {
    const ev = at({ L: 4, mu: 1, w: [3, -1], T: 7, u: 0, v: 1, x: 1 });
    const inst = quad();
    let z = [3, -1];
    const hand: number[][] = [z];
    for (let k = 0; k < 7; k++) {
      const g = inst.grad(z);
      z = z.map((zi, i) => zi - 0.25 * g[i]);
      hand.push(z);
    }
    const got = ev.evaluate('z(T)') as number[];
    expect(got[0]).toBeCloseTo(hand[7][0], 14);
    expect(got[1]).toBeCloseTo(hand[7][1], 14);
    const sum = hand.reduce((s, p) => s + inst.value(p), 0);
    expect(ev.evaluate('sumover(k, 0, T, f(z(k)))')).toBeCloseTo(sum, 12);
    expect(ev.evaluate('sumover(k, 1, 4, k^2)')).toBe(30);
    expect(ev.evaluate('minover(k, 0, T, f(z(k)))')).toBeCloseTo(inst.value(hand[7]), 12);
    expect(ev.evaluate('maxover(k, 0, T, f(z(k)))')).toBeCloseTo(inst.value(hand[0]), 12);
    expect(ev.evaluate('sumover(k, 0, 1, z(k))')).toEqual([hand[0][0] + hand[1][0], hand[0][1] + hand[1][1]]);
    expect(() => ev.evaluate('z(-1)')).toThrow(EvalError);
    expect(() => ev.evaluate('z(1.5)')).toThrow(/integer/);
  });

  it('diff(sigmoid(u), u) = sigmoid(u)(1 - sigmoid(u)), also through a define', () => {
    for (const u of [-3, -0.5, 0, 0.7, 4]) {
      const ev = at({ L: 4, mu: 1, w: [0, 0], T: 0, u, v: 1, x: 1 });
      const s = 1 / (1 + Math.exp(-u));
      expect(ev.evaluate('diff(sigmoid(u), u)')).toBeCloseTo(s * (1 - s), 14);
      expect(ev.evaluate('diff(s, u)')).toBeCloseTo(s * (1 - s), 14);
      expect(ev.evaluate('diff(s^2 + L*u, u)')).toBeCloseTo(2 * s * s * (1 - s) + 4, 13);
    }
  });

  it('diff(relu(v*x)*v, v) piecewise by the sign at the point', () => {
    for (const [v, x] of [[2, 3], [-2, 3], [2, -3], [-2, -3], [0.5, 0]]) {
      const ev = at({ L: 4, mu: 1, w: [0, 0], T: 0, u: 0, v, x });
      const expected = v * x > 0 ? 2 * v * x : 0;
      expect(ev.evaluate('diff(relu(v*x)*v, v)')).toBeCloseTo(expected, 14);
      expect(ev.evaluate('diff(h, v)')).toBeCloseTo(expected, 14);
      expect(ev.evaluate('diff(relu(v*x)*v, x)')).toBeCloseTo(v * x > 0 ? v * v : 0, 14);
    }
  });

  it('diff treats terms free of the variable as constants', () => {
    const ev = at({ L: 4, mu: 1, w: [0, 0], T: 2, u: 2, v: 1, x: 1 });
    expect(ev.evaluate('diff(f(w) * u^2 + norm(z(T)), u)')).toBeCloseTo(9 * 4, 12);
  });

  it('evaluation errors name file:line', () => {
    const bad = parseProof('---\ntitle: t\ngiven:\n  - w in R^d\ndefine:\n  a: w + [1, 2, 3]\n---\n', 'bad.md');
    const ev = new Evaluator(bad, { values: { d: 2, w: [1, 2] }, functions: {} });
    expect(() => ev.evaluate(bad.define[0].kind === 'value' ? bad.define[0].expr : '')).toThrow(/^bad\.md:6: cannot evaluate/);
  });
});
