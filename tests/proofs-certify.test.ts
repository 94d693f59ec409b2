/** Interval certification of scalar steps: true steps certified (tight ones too), false or unreadable ones never. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parse } from 'mathjs';
import { certifyScalarStep, type ScalarVariable, type Certificate } from '../src/proofs/certify.ts';
import type { Rel } from '../src/proofs/parse.ts';

const reals = (...names: string[]): ScalarVariable[] => names.map((name) => ({ name, integer: false }));
const integers = (...names: string[]): ScalarVariable[] => names.map((name) => ({ name, integer: true }));

/** `lhs REL rhs` split at its relation and given to the certifier: its certificate, its breach point, or null. */
function attempt(step: string, variables: ScalarVariable[], givens: string[] = [], maxBoxes?: number) {
  const m = /^(.*?)\s*(<=|>=|<|>)\s*(.*)$/.exec(step);
  if (!m) throw new Error(`no relation in ${step}`);
  return certifyScalarStep(parse(m[1]), m[2] as Rel, parse(m[3]), variables, givens.map((g) => parse(g)), { maxBoxes });
}
/** The certificate of a step under the givens, or null (no certificate: unsettled, or a breach found). */
function certify(step: string, variables: ScalarVariable[], givens: string[] = [], maxBoxes?: number): Certificate | null {
  const r = attempt(step, variables, givens, maxBoxes);
  return r && 'method' in r ? r : null;
}

describe('certifyScalarStep certifies true steps', () => {
  it.each([
    ['sigmoid(u) * (1 - sigmoid(u)) <= 1/4', reals('u'), []],
    ['1 - r <= exp(-r)', reals('r'), []],
    ['(1 - mu/L) <= exp(-mu/L)', reals('mu', 'L'), ['L > 0', '0 < mu <= L']],
    ['(1 - mu/L) <= exp(-mu/L)', reals('mu', 'L'), ['0 < mu <= L']],
    ['exp(x) >= 1 + x', reals('x'), []],
    ['e^x >= 1 + x', reals('x'), []],
    ['log(x) <= x - 1', reals('x'), ['x > 0']],
  ])('tight at a point: %s', (step, variables, givens) => {
    const cert = certify(step, variables, givens);
    expect(cert).not.toBeNull();
    expect(cert!.boxes).toBeLessThan(100);
    expect(cert!.method).toMatch(/^interval branch and bound over \d+ boxes/);
  });

  it.each([
    ['x^2 + 1 > 0', reals('x'), []],
    ['(a + b)^2 <= 2*a^2 + 2*b^2', reals('a', 'b'), ['-1 <= a <= 2', '-1 <= b <= 2']],
    ['2^t >= 1 + t', integers('t'), []],
    ['t^2 >= t', integers('t'), []],
    ['1/(2*L) < 1/L', reals('L'), ['L > 0']],
    ['sqrt(x) <= (1 + x)/2', reals('x'), ['x >= 0']],
    ['relu(x - 1) <= abs(x)', reals('x'), ['-3 <= x <= 5']],
  ])('%s', (step, variables, givens) => {
    expect(certify(step, variables, givens)).not.toBeNull();
  });

  it('reads exact fractions as exact', () => {
    expect(certify('1/10 + 2/10 <= 3/10', [])).not.toBeNull();
    expect(certify('3 * (1/3) >= 1', [])).not.toBeNull();
  });
});

describe('certifyScalarStep never certifies a false step', () => {
  it.each([
    // flipped and scaled versions of true steps
    ['sigmoid(u) * (1 - sigmoid(u)) >= 1/4', reals('u'), []],
    ['sigmoid(u) * (1 - sigmoid(u)) <= 0.99/4', reals('u'), []],
    ['1 - r >= exp(-r)', reals('r'), []],
    ['1 - r <= 0.99 * exp(-r)', reals('r'), []],
    ['(1 - mu/L) >= exp(-mu/L)', reals('mu', 'L'), ['0 < mu <= L']],
    ['(1 - mu/(2*L)) <= exp(-mu/L)', reals('mu', 'L'), ['0 < mu <= L']],
    // strict where the step is tight
    ['sigmoid(u) * (1 - sigmoid(u)) < 1/4', reals('u'), []],
    ['x^2 > 0', reals('x'), []],
    ['2^t > 1 + t', integers('t'), []],
    // false only in a tiny region
    ['x^2 >= 1e-6', reals('x'), []],
    ['(x - 1/3)^2 >= 1e-12', reals('x'), ['0 <= x <= 1']],
    // (x^2)^(1/2) is |x|, not x
    ['(x^2)^(1/2) <= x', reals('x'), []],
    // equal everywhere, so false when strict
    ['(1 - mu/L) < (L - mu)/L', reals('mu', 'L'), ['0 < mu <= L']],
    ['sigmoid(-u) < 1 - sigmoid(u)', reals('u'), []],
    ['exp(2*x) > exp(x)^2', reals('x'), []],
    ['x/x < 1', reals('x'), ['x > 0']],
    // constants beyond double precision
    ['1 + 10^(-20) <= 1', [], []],
    ['exp(-800) <= 0', [], []],
    ['pi <= 3.14159265358979', [], []],
    ['0.1 * 3 <= 0.3 - 10^(-17)', [], []],
  ])('%s', (step, variables, givens) => {
    expect(certify(step, variables, givens)).toBeNull();
  });

  it('tells open bounds from closed ones', () => {
    expect(certify('exp(-x) < 1', reals('x'), ['x > 0'])).not.toBeNull();
    expect(certify('exp(-x) < 1', reals('x'), ['x >= 0'])).toBeNull();
    expect(certify('log(x) < 0', reals('x'), ['0 < x < 1'])).not.toBeNull();
    expect(certify('log(x) < 0', reals('x'), ['0 < x <= 1'])).toBeNull();
    expect(certify('x * y > 0', reals('x', 'y'), ['x > 0', 'y > 0'])).not.toBeNull();
    expect(certify('x * y > 0', reals('x', 'y'), ['x > 0', 'y >= 0'])).toBeNull();
    expect(certify('t >= 2', integers('t'), ['t > 1'])).not.toBeNull();
    expect(certify('t >= 2', integers('t'), ['t > 0.99999'])).toBeNull();
  });

  it('does not certify over an empty domain', () => {
    expect(certify('x <= 0', reals('x'), ['x > 1', 'x < 0'])).toBeNull();
    expect(certify('x <= 0', reals('x', 'y'), ['y < x', 'x < y'])).toBeNull();
  });

  // random polynomials p(x, y) REL c over integer boxes, c often the largest
  // grid value (so the step is tight there): a certificate must survive an
  // exact check on a dense dyadic grid
  it('certificates of random polynomial steps survive an exact dense check', () => {
    const term = fc.record({ coef: fc.integer({ min: -3, max: 3 }), ex: fc.integer({ min: 0, max: 3 }), ey: fc.integer({ min: 0, max: 2 }) });
    const problem = fc.record({
      terms: fc.array(term, { minLength: 1, maxLength: 4 }),
      x: fc.tuple(fc.integer({ min: -2, max: 0 }), fc.integer({ min: 1, max: 2 })),
      y: fc.tuple(fc.integer({ min: -2, max: 0 }), fc.integer({ min: 1, max: 2 })),
      shift: fc.integer({ min: -1, max: 1 }),
      strict: fc.boolean(),
    });
    const DEN = 8; // grid points are k/8
    fc.assert(
      fc.property(problem, ({ terms, x, y, shift, strict }) => {
        const grid: [number, number][] = [];
        for (let i = x[0] * DEN; i <= x[1] * DEN; i++) for (let j = y[0] * DEN; j <= y[1] * DEN; j++) grid.push([i, j]);
        // p(i/DEN, j/DEN) · DEN^6, exactly
        const scaled = ([i, j]: [number, number]) =>
          terms.reduce((s, t) => s + BigInt(t.coef) * BigInt(i) ** BigInt(t.ex) * BigInt(j) ** BigInt(t.ey) * BigInt(DEN) ** BigInt(6 - t.ex - t.ey), 0n);
        const top = grid.map(scaled).reduce((a, b) => (a > b ? a : b));
        const c = top / BigInt(DEN) ** 6n + BigInt(shift);
        const lhs = terms.map((t) => `${t.coef} * x^${t.ex} * y^${t.ey}`).join(' + ');
        const cert = certifyScalarStep(parse(lhs), strict ? '<' : '<=', parse(String(c)), reals('x', 'y'),
          [parse(`${x[0]} <= x <= ${x[1]}`), parse(`${y[0]} <= y <= ${y[1]}`)], { maxBoxes: 200 });
        if (!cert) return;
        if ('point' in cert) {
          // a breach is a point of the box where the step is false (dyadic: the float sum is exact here)
          const { x: px, y: py } = cert.point;
          expect(px >= x[0] && px <= x[1] && py >= y[0] && py <= y[1]).toBe(true);
          const v = terms.reduce((s, t) => s + t.coef * px ** t.ex * py ** t.ey, 0);
          expect(strict ? v >= Number(c) : v > Number(c)).toBe(true);
          return;
        }
        const bound = c * BigInt(DEN) ** 6n;
        for (const g of grid) {
          const v = scaled(g);
          expect(strict ? v < bound : v <= bound).toBe(true);
        }
      }),
      { numRuns: 30, seed: 20261123 },
    );
  });
});

describe('certifyScalarStep gives up', () => {
  it.each([
    ['sin(x) <= 1', reals('x')],
    ['f(x) <= 1', reals('x')],
    ['x <= d', reals('x')],
    ['norm([x, 1]) >= 1', reals('x')],
    ['x % 2 <= 2', reals('x')],
  ])('on what it cannot read: %s', (step, variables) => {
    expect(certify(step, variables)).toBeNull();
  });

  it('on equalities, which are for symbolic proof', () => {
    expect(certifyScalarStep(parse('x'), '==', parse('x'), reals('x'), [])).toBeNull();
  });

  it('where a side is undefined on part of the domain', () => {
    expect(certify('sqrt(x) >= 0', reals('x'))).toBeNull();
    expect(certify('1/x^2 >= 0', reals('x'))).toBeNull();
  });

  it('when the box budget runs out', () => {
    // true, but tight along the whole quadrants x·y <= 0
    expect(certify('abs(x - y) <= abs(x) + abs(y)', reals('x', 'y'), ['-1 <= x <= 1', '-1 <= y <= 1'], 200)).toBeNull();
  });

  it('ignores givens it cannot read, which only widens the domain', () => {
    expect(certify('x^2 >= 0', reals('x'), ['norm(w) <= 1', 'x != 0'])).not.toBeNull();
  });
});
