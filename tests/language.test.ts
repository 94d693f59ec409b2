/**
 * The closed expression language: of everything mathjs exports, only the
 * listed functions and constants are accepted in a proof file; each closed
 * instance refuses the functions that parse, evaluate, configure or draw at
 * random; the corpus stays well inside the depth and size limits.
 */
import { describe, expect, it } from 'vitest';
import * as mathjs from 'mathjs';
import { readdirSync, readFileSync } from 'node:fs';
import { parseProof, ProofError } from '../src/proofs/parse.ts';
import { checkNames } from '../src/proofs/names.ts';
import { CONSTANTS, FORMAT_FUNCTIONS, MATH_FUNCTIONS, closedMath, checkLanguage } from '../src/language/expression.ts';
import { EXPRESSION_DEPTH, EXPRESSION_NODES } from '../src/language/limits.ts';

/** A file whose one step calls `name` with `args` arguments (each L), or uses it as a value. */
const fileUsing = (use: string) => `---\ntitle: t\ngiven:\n  - L > 0\n  - f: R -> R, L-smooth\n  - h: R^d -> R, convex\n---\n\`\`\`chain\nL\n  <= L + 0 * ${use}\n\`\`\`\n`;
const accepted = (use: string): boolean => {
  try {
    checkNames(parseProof(fileUsing(use), 'p.md'));
    return true;
  } catch (e) {
    if (e instanceof ProofError) return false;
    throw e;
  }
};
const argsFor = (name: string, n: number) => (Object.hasOwn(FORMAT_FUNCTIONS, name) && ['grad', 'hess', 'fstar', 'xstar'].includes(name)
  ? ['f', 'L'].slice(0, n)
  : name === 'prox' ? ['h', 'L', 'L']
  : ['sumover', 'minover', 'maxover'].includes(name) ? ['k', '1', '2', 'k']
    : name === 'diff' ? ['L^2', 'L'] : Array.from({ length: n }, () => 'L')).join(', ');

describe('the language is closed', () => {
  const exported = Object.keys(mathjs).filter((k) => /^[a-z]/.test(k));
  const functions = exported.filter((k) => typeof (mathjs as Record<string, unknown>)[k] === 'function');

  it('accepts a call of every listed function, and no other function mathjs exports', () => {
    const passed = functions.filter((name) => {
      const counts = (MATH_FUNCTIONS[name] ?? FORMAT_FUNCTIONS[name] ?? [1]).map((c) => (c === Infinity ? 2 : c));
      return counts.some((n) => accepted(`${name}(${argsFor(name, n)})`));
    });
    const listed = functions.filter((n) => Object.hasOwn(MATH_FUNCTIONS, n) || Object.hasOwn(FORMAT_FUNCTIONS, n));
    expect(passed.sort()).toEqual(listed.sort());
    // the dangerous ones are among those refused
    for (const n of ['config', 'import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'random', 'pickRandom', 'typeOf', 'format', 'print']) {
      expect(passed).not.toContain(n);
    }
    // and every listed one is something mathjs or the format really has
    for (const n of Object.keys(MATH_FUNCTIONS)) expect(functions).toContain(n);
    for (const n of Object.keys(FORMAT_FUNCTIONS)) expect(accepted(`${n}(${argsFor(n, FORMAT_FUNCTIONS[n][0])})`)).toBe(true);
  });

  it('accepts the listed constants as values and no other name mathjs exports', () => {
    const values = exported.filter((k) => typeof (mathjs as Record<string, unknown>)[k] !== 'function');
    const passed = values.filter((name) => accepted(name));
    expect(passed.sort()).toEqual(values.filter((v) => (CONSTANTS as readonly string[]).includes(v)).sort());
    for (const c of CONSTANTS) expect(accepted(c)).toBe(true);
  });

  it('gives each file an instance in which the dangerous functions throw', () => {
    const a = closedMath();
    for (const name of ['config', 'import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'random']) {
      expect(() => (a.math as unknown as Record<string, (...x: unknown[]) => unknown>)[name]('1')).toThrow(/not part of the proof language/);
    }
    // what the checker kept aside still works
    expect(a.parse('2 * x').compile().evaluate({ x: 3 })).toBe(6);
    expect(a.derivative(a.parse('x^2'), 'x').toString()).toBe('2 * x');
    // and an expression meets the throwers too, whether or not derivative was built
    for (const c of [a, closedMath()]) {
      for (const text of ['evaluate("1")', 'simplify("x")', 'rationalize("x")', 'resolve(x)', 'config({})', 'random()']) {
        expect(() => c.parse(text).compile().evaluate({ x: 1 })).toThrow(/not part of the proof language/);
      }
    }
  });

  it('keeps its settings readable to the functions it builds after it is closed, though config cannot be called', () => {
    // max and compare are built at first use, after the instance is closed: they must compare with the
    // configured relative tolerance (1e-12), not mathjs's fallback when none is readable (1e-8)
    const c = closedMath();
    const at = (text: string) => c.parse(text).compile().evaluate({});
    expect(at('max(1, 1 + 5e-9)')).toBe(1 + 5e-9);
    expect(at('min(1 + 5e-9, 1)')).toBe(1);
    expect(at('compare(1 + 1e-10, 1)')).toBe(1);
    // arrays stay plain arrays, as configured
    expect(at('[1, 2] * 2')).toEqual([2, 4]);
    expect(() => at('config({relTol: 0.5})')).toThrow(/not part of the proof language/);
  });

  it("counts a file's own calls of the matrix builders, not the inner ones of pow, inv and round", () => {
    // derivative (built at first use) is not built here: inv must not wait for it
    const m = closedMath({ elements: 3 });
    const at = (text: string) => m.parse(text).compile().evaluate({});
    expect(() => at('identity(2)')).toThrow(/4 entries, more than the budget of 3/);
    expect(at('inv([[1, 2], [3, 4]])').valueOf()).toEqual([[-2, 1], [1.5, -0.5]]);
    expect(at('[[1, 2], [3, 4]]^0').valueOf()).toEqual([[1, 0], [0, 1]]);
    expect(at('round(0, [1, 2])').valueOf()).toEqual([0, 0]);
  });

  it('holds the matrix builders to the element budget', () => {
    const m = closedMath({ elements: 100 }).math;
    expect((m.ones as (a: number, b: number) => number[][])(10, 10)).toHaveLength(10);
    expect(() => (m.ones as (a: number, b: number) => unknown)(10, 11)).toThrow(/110 entries, more than the budget of 100/);
    expect(() => (m.identity as (a: number) => unknown)(11)).toThrow(/121 entries/);
  });

  it('refuses deep and large expressions without recursing, and the proofs stay far inside the limits', () => {
    let deep: mathjs.MathNode = new mathjs.SymbolNode('x');
    for (let i = 0; i < 20_000; i++) deep = new mathjs.OperatorNode('+', 'add', [deep, new mathjs.SymbolNode('x')]);
    expect(() => checkLanguage(deep)).toThrow(/nested more than 100 deep/);
    let depth = 0, nodes = 0;
    for (const f of readdirSync('proofs').filter((n) => n.endsWith('.md'))) {
      const pf = parseProof(readFileSync(`proofs/${f}`, 'utf8'), f);
      const exprs = [...pf.chains.flatMap((c) => [c.first, ...c.steps.map((s) => s.expr)]), ...pf.define.flatMap((d) => (d.kind === 'value' ? [d.expr] : [...d.bases.map((b) => b.expr), ...(d.step ? [d.step.expr] : [])]))];
      for (const e of exprs) {
        let count = 0;
        const walk = (n: mathjs.MathNode, level: number): void => { count++; depth = Math.max(depth, level); n.forEach((c) => walk(c, level + 1)); };
        walk(e.node, 1);
        nodes = Math.max(nodes, count);
      }
    }
    expect(depth).toBeLessThan(EXPRESSION_DEPTH / 3);
    expect(nodes).toBeLessThan(EXPRESSION_NODES / 10);
  });
});
