/**
 * compileNumeric (src/language/numeric.ts) must give mathjs's own value or
 * error for every expression and scope: the catalogue's statements (both
 * sides of every part, and their magnitudes) at random scopes of positive,
 * negative, zero and huge numbers, and hand-picked cases where JavaScript's
 * Math and mathjs part ways (complex results, matrices, functions in the
 * scope, unknown names).
 */
import { describe, expect, it } from 'vitest';
import { parse, type MathNode } from 'mathjs';
import { compileNumeric } from '../src/language/numeric.ts';
import { magnitudeOf, parseStatement, symbolsOf } from '../src/language/statement.ts';
import { THEOREMS } from '../src/theorems/index.ts';
import { makeRng } from '../src/numeric/rng.ts';

type Outcome = { value: string; type: string } | { error: string };

function outcome(f: () => unknown): Outcome {
  try {
    const v = f();
    return { value: Object.is(v, -0) ? '-0' : String(v), type: typeof v };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Both evaluators on the same scope (fresh copies: neither may see what the other did). */
function agree(node: MathNode, scopes: readonly Record<string, unknown>[]): void {
  const reference = node.compile();
  const compiled = compileNumeric(node);
  for (const scope of scopes) {
    expect([node.toString(), outcome(() => compiled.evaluate({ ...scope }))]).toEqual([node.toString(), outcome(() => reference.evaluate({ ...scope }))]);
  }
}

describe('expressions compiled for numbers give mathjs\'s values', () => {
  it('on every side of every catalogue statement, and its magnitude, at random scopes', () => {
    const rng = makeRng(1);
    const pick = () => {
      const u = rng.next();
      return u < 0.1 ? 0 : u < 0.2 ? -rng.uniform(0, 3) : u < 0.25 ? 1e300 * rng.uniform(1, 10) : rng.uniform(0, 5);
    };
    let sides = 0;
    for (const th of THEOREMS) {
      for (const part of parseStatement(th.statement).parts) {
        for (const side of [part.lhs, part.rhs, magnitudeOf(part.lhs)]) {
          const names = [...symbolsOf(side)];
          const scopes = Array.from({ length: 20 }, () => Object.fromEntries(names.map((n) => [n, pick()])));
          agree(side, scopes);
          sides++;
        }
      }
    }
    expect(sides).toBeGreaterThan(60);
  });

  it('where Math and mathjs differ: complex results, matrices, scope functions, unknown names, constants', () => {
    const cases: [string, Record<string, unknown>[]][] = [
      ['sqrt(x)', [{ x: 4 }, { x: -1 }, { x: 0 }]],
      ['x ^ (1/3)', [{ x: 8 }, { x: -8 }]],
      ['log(x) + log1p(x) + exp(x)', [{ x: 2 }, { x: -0.5 }, { x: -2 }, { x: 0 }]],
      ['x / y - y / x', [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: -1, y: 0 }]],
      ['-x * 0', [{ x: 3 }]],
      ['pi * t + e^t - tau', [{ t: 2 }, { t: 2, pi: 3 }]],
      ['max(a, b) + min(a, b) + abs(a - b)', [{ a: 1, b: 1 + 1e-15 }, { a: -1, b: 2 }]],
      ['norm(x)^2 + square(c) + cube(c)', [{ x: [3, 4], c: 2 }, { x: 5, c: -1 }]],
      ['f(x) + exp(x)', [{ x: 1, f: (v: number) => 2 * v }]],
      ['exp(x)', [{ x: 1, exp: (v: number) => v }]],
      ['x + unknown', [{ x: 1 }]],
      ['x + y', [{ x: 1, y: true }, { x: 1, y: '2' }, { x: [1, 2], y: [3, 4] }]],
      ['(1 - g * mu) ^ t * D0', [{ g: 0.1, mu: 1, t: 100, D0: 3 }, { g: 30, mu: 1, t: 1.5, D0: 1 }]],
    ];
    for (const [text, scopes] of cases) agree(parse(text), scopes);
  });

  it('keeps giving mathjs\'s values when an expression is never a number (it stops trying the closures)', () => {
    const node = parse('x * 2');
    agree(node, Array.from({ length: 40 }, (_, i) => ({ x: [i, 1] })).concat([{ x: 3 } as never]));
  });
});
