/**
 * Certification of a scalar proof step `lhs REL rhs` over its whole declared
 * domain, by interval branch and bound.
 *
 * The step becomes h ≤ 0 (or h < 0) with h = lhs − rhs (or rhs − lhs), over a
 * box of variable ranges cut down by the givens. A box is settled when the
 * interval enclosure of h is below zero; when h is monotone in some variables
 * (the sign of a partial derivative, shown by its enclosure or by one more
 * monotonicity step), so that the face it increases towards suffices; or when
 * h is concave on the box and its tangent plane at the centre is below zero.
 * Otherwise the box is split. A box where some given is certainly false is
 * dropped. Unbounded ranges are split geometrically (0, 1, 2, 4, ...).
 *
 * Soundness: every enclosure contains every value the expression takes on the
 * box. Endpoints are rounded outward with `nextafter` (the `interval-arithmetic`
 * package) only when a result is inexact (error-free transformations tell), so
 * a step tight at a point such as u = 0 can be shown there; exp and log are
 * widened by two ulps (V8's are faithful, within one). An interval also
 * records which ends are never reached, so that 1/L is defined for L > 0 and
 * log(x) for x > 0. An expression must be defined on the whole box: sqrt or
 * log of a possibly negative number, or a division by a possibly zero one,
 * leaves the box unsettled.
 *
 * Constants: a literal that parses to an integer below 2^53 is exact (write
 * 1/4, not 0.25, for an exact quarter); any other literal, pi and e are the
 * two doubles around them. A literal the double cannot tell from an integer
 * (17 digits, or one that underflows to 0 such as 1e-400) is taken as that
 * integer.
 *
 * mathjs `simplify` gives a second enclosure of h and of its first
 * derivatives where the first leaves the sign open (it cancels -1/L + 1/L),
 * with its unsound rule (x^a)^b → x^(ab) removed, functions renamed so that it
 * cannot fold them into floats, and its result kept only if every constant in
 * it is an integer.
 */
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { math } from '../language/mathjs.ts';
import type * as IntervalArithmetic from 'interval-arithmetic';
import type { Rel } from './parse.ts';

/**
 * interval-arithmetic's outward rounding, loaded at the first certificate, not
 * at every start of a check (most files certify no scalar step); required as
 * CommonJS, which it is, in a third of the time an import takes.
 */
let rounding: typeof IntervalArithmetic.round | undefined;
const round = () => (rounding ??= (createRequire(import.meta.url)('interval-arithmetic') as typeof IntervalArithmetic).round);

const { ConstantNode, FunctionNode, OperatorNode, SymbolNode } = math;

export interface ScalarVariable { name: string; integer: boolean }
export interface CertifyOptions { maxBoxes?: number }
export interface Certificate { boxes: number; method: string }
/** A point of the domain at which the enclosure shows the step false (integral where it must be). */
export interface Breach { point: Record<string, number> }

const DEFAULT_MAX_BOXES = 20_000;

/**
 * lhs REL rhs for every assignment of the variables satisfying every
 * constraint; a Breach when a point of the domain certainly breaks it (the
 * caller confirms it with the file's tolerance: the constraints read here
 * may be fewer than the givens); null when it can show neither (never a
 * wrong "yes"). Both sides
 * must be defined on the whole domain, up to points that simplification
 * removes (x/x at x = 0). Constraints it cannot read are left out, which only
 * makes the domain larger.
 */
export function certifyScalarStep(
  lhs: MathNode, rel: Rel, rhs: MathNode, variables: ScalarVariable[], constraints: MathNode[], opts: CertifyOptions = {},
): Certificate | Breach | null {
  if (rel === '==') return null;
  const ctx: Context = { index: new Map(variables.map((v, i) => [v.name, i])), constants: new Map() };
  let h: Fn;
  try {
    const [small, large] = rel === '<=' || rel === '<' ? [lhs, rhs] : [rhs, lhs];
    h = new Fn(new OperatorNode('-', 'subtract', [prepare(small, ctx), prepare(large, ctx)]), ctx, 0);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  const problem: Problem = {
    h,
    strict: rel === '<' || rel === '>',
    integer: variables.map((v) => v.integer),
    comparisons: constraints.flatMap((c) => readComparisons(c, ctx)),
  };
  const out = branchAndBound(problem, opts.maxBoxes ?? DEFAULT_MAX_BOXES);
  return out && 'breach' in out ? { point: Object.fromEntries(variables.map((v, i) => [v.name, out.breach[i]])) } : out;
}

// ---------------------------------------------------------------------------
// Intervals

/** An interval of the extended reals; an open end is a bound the values never reach. */
interface Range { lo: number; hi: number; loOpen: boolean; hiOpen: boolean }

/** Lower and upper doubles around an exact result; `exact` when both are the result itself. */
interface Bounds { down: number; up: number; exact: boolean }

function range(lo: number, hi: number, loOpen = false, hiOpen = false): Range {
  // -0 would turn 1/x into -Infinity; infinite ends are never reached
  return { lo: lo === 0 ? 0 : lo, hi: hi === 0 ? 0 : hi, loOpen: loOpen || lo === -Infinity, hiOpen: hiOpen || hi === Infinity };
}

const point = (v: number): Range => range(v, v);
const ZERO = point(0);
const ONE = point(1);
const isPoint = (r: Range) => r.lo === r.hi && !r.loOpen && !r.hiOpen;
const isPositive = (r: Range) => r.lo > 0 || (r.lo === 0 && r.loOpen && r.hi > 0);
const isNegative = (r: Range) => r.hi < 0 || (r.hi === 0 && r.hiOpen && r.lo < 0);

/** Values below zero (strictly when `strict`). */
const below = (r: Range, strict: boolean) => r.hi < 0 || (r.hi === 0 && (!strict || r.hiOpen));

// round.safePrev(Infinity) is Infinity; a lower bound of an overflowed result is the largest double
const prev = (v: number) => (v === Infinity ? Number.MAX_VALUE : round().safePrev(v));
const next = (v: number) => (v === -Infinity ? -Number.MAX_VALUE : round().safeNext(v));
const exactly = (v: number): Bounds => ({ down: v, up: v, exact: true });
const oneStep = (v: number): Bounds => ({ down: prev(v), up: next(v), exact: false });

/** Bounds of the exact result v + err (err NaN when unknown): v itself bounds it on the side err points away from. */
function around(v: number, err: number): Bounds {
  if (err === 0) return exactly(v);
  if (err > 0) return { down: v, up: next(v), exact: false };
  if (err < 0) return { down: prev(v), up: v, exact: false };
  return oneStep(v);
}

function sum(a: number, b: number): Bounds {
  const s = a + b;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return exactly(s);
  if (!Number.isFinite(s)) return oneStep(s);
  const bv = s - a;
  return around(s, (a - (s - bv)) + (b - bv)); // TwoSum: the exact error of a + b
}

const SPLITTER = 134217729; // 2^27 + 1
const BIG = 2 ** 990, TINY = 2 ** -900;
/** a·b − p exactly (Dekker's TwoProduct), or NaN where its splitting could overflow or underflow. */
function productError(a: number, b: number, p: number): number {
  if (!(Math.abs(a) < BIG && Math.abs(b) < BIG && Math.abs(p) < BIG && Math.abs(p) > TINY)) return NaN;
  const ca = SPLITTER * a, cb = SPLITTER * b;
  const a1 = ca - (ca - a), b1 = cb - (cb - b);
  const a2 = a - a1, b2 = b - b1;
  return a2 * b2 - (((p - a1 * b1) - a2 * b1) - a1 * b2);
}

function product(a: number, b: number): Bounds {
  if (a === 0 || b === 0) return exactly(0); // also 0·∞: the limit along a zero edge
  const p = a * b;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return exactly(p);
  if (!Number.isFinite(p) || p === 0) return oneStep(p);
  return around(p, productError(a, b, p));
}

function quotient(a: number, b: number): Bounds {
  const q = a / b;
  if (!Number.isFinite(q) || q === 0) return oneStep(q);
  const p = q * b;
  return p === a && productError(q, b, p) === 0 ? exactly(q) : oneStep(q);
}

function root(a: number): Bounds {
  const s = Math.sqrt(a);
  if (a === 0 || a === Infinity) return exactly(s);
  const p = s * s;
  return p === a && productError(s, s, p) === 0 ? exactly(s) : { down: Math.max(0, prev(s)), up: next(s), exact: false };
}

// two steps: V8's exp and log are faithful (within one ulp), the second is margin
function expOf(a: number): Bounds {
  if (a === 0 || !Number.isFinite(a)) return exactly(Math.exp(a));
  const r = Math.exp(a);
  return { down: Math.max(0, prev(prev(r))), up: next(next(r)), exact: false };
}

function logOf(a: number): Bounds {
  if (a === 1 || a === 0 || a === Infinity) return exactly(Math.log(a));
  const r = Math.log(a);
  return { down: prev(prev(r)), up: next(next(r)), exact: false };
}

/** A range through an increasing function given by its bounds at a point. */
function increasing(x: Range, f: (a: number) => Bounds): Range {
  const lo = f(x.lo), hi = f(x.hi);
  return range(lo.down, hi.up, x.loOpen || !lo.exact, x.hiOpen || !hi.exact);
}

/** One corner of a two-argument operation: its bounds and whether the box reaches it exactly. */
interface Corner { down: number; up: number; reached: boolean }

function hull(corners: Corner[]): Range {
  let lo = Infinity, hi = -Infinity, loReached = false, hiReached = false;
  for (const c of corners) {
    if (c.down < lo) [lo, loReached] = [c.down, c.reached];
    else if (c.down === lo) loReached ||= c.reached;
    if (c.up > hi) [hi, hiReached] = [c.up, c.reached];
    else if (c.up === hi) hiReached ||= c.reached;
  }
  return range(lo, hi, !loReached, !hiReached);
}

function add(x: Range, y: Range): Range {
  const lo = sum(x.lo, y.lo), hi = sum(x.hi, y.hi);
  return range(lo.down, hi.up, x.loOpen || y.loOpen || !lo.exact, x.hiOpen || y.hiOpen || !hi.exact);
}

const neg = (x: Range): Range => range(-x.hi, -x.lo, x.hiOpen, x.loOpen);

function productCorner(a: number, aOpen: boolean, b: number, bOpen: boolean): Corner {
  const p = product(a, b);
  const reached = a === 0 && b === 0 ? !aOpen || !bOpen : a === 0 ? !aOpen : b === 0 ? !bOpen : !aOpen && !bOpen && p.exact;
  return { down: p.down, up: p.up, reached };
}

/**
 * x·y is bilinear: its extremes are at corners, or along an edge where one
 * factor is 0 (then the edge is reached when that 0 is).
 */
function mul(x: Range, y: Range): Range {
  return hull([
    productCorner(x.lo, x.loOpen, y.lo, y.loOpen),
    productCorner(x.lo, x.loOpen, y.hi, y.hiOpen),
    productCorner(x.hi, x.hiOpen, y.lo, y.loOpen),
    productCorner(x.hi, x.hiOpen, y.hi, y.hiOpen),
  ]);
}

/** a/b as a corner, with its limits: b → 0+ gives ±∞, b → ∞ gives 0; null for ∞/∞ (bounded by the corners next to it). */
function quotientCorner(a: number, aOpen: boolean, b: number, bOpen: boolean): Corner | null {
  if (a === 0) return { down: 0, up: 0, reached: !aOpen };
  if (b === 0) return { down: a * Infinity, up: a * Infinity, reached: false };
  if (b === Infinity) return Number.isFinite(a) ? { down: 0, up: 0, reached: false } : null;
  if (!Number.isFinite(a)) return { down: a, up: a, reached: false };
  const q = quotient(a, b);
  return { down: q.down, up: q.up, reached: !aOpen && !bOpen && q.exact };
}

/** x/y where y keeps one sign on the box (else undefined there); monotone in each argument. */
function div(x: Range, y: Range): Range | null {
  if (isNegative(y)) return div(neg(x), neg(y));
  if (!isPositive(y)) return null;
  const corners = [
    quotientCorner(x.lo, x.loOpen, y.lo, y.loOpen),
    quotientCorner(x.lo, x.loOpen, y.hi, y.hiOpen),
    quotientCorner(x.hi, x.hiOpen, y.lo, y.loOpen),
    quotientCorner(x.hi, x.hiOpen, y.hi, y.hiOpen),
  ];
  return hull(corners.filter((c): c is Corner => c !== null));
}

/** Bounds of a^n for a ≥ 0 and an integer n ≥ 1, by squaring with lower and upper chains. */
function powerOf(a: number, n: number): Bounds {
  let down = 1, up = 1, exact = true, baseDown = a, baseUp = a;
  for (let k = n; ; ) {
    if (k % 2 === 1) {
      const d = product(down, baseDown), u = product(up, baseUp);
      [down, up, exact] = [Math.max(0, d.down), u.up, exact && d.exact && u.exact && baseDown === baseUp];
    }
    k = Math.floor(k / 2);
    if (k === 0) return { down, up, exact };
    const d = product(baseDown, baseDown), u = product(baseUp, baseUp);
    [baseDown, baseUp] = [Math.max(0, d.down), u.up];
  }
}

function powInt(x: Range, n: number): Range | null {
  if (n === 0) return ONE;
  if (n < 0) {
    const p = powInt(x, -n);
    return p && div(ONE, p);
  }
  const odd = n % 2 === 1;
  if (x.lo >= 0) return increasing(x, (a) => powerOf(a, n));
  if (x.hi <= 0) {
    const m = increasing(neg(x), (a) => powerOf(a, n));
    return odd ? neg(m) : m;
  }
  const m = powerOf(-x.lo, n), p = powerOf(x.hi, n);
  const [mOpen, pOpen] = [x.loOpen || !m.exact, x.hiOpen || !p.exact];
  if (odd) return range(-m.up, p.up, mOpen, pOpen);
  const top = Math.max(m.up, p.up);
  return range(0, top, false, (m.up < top || mOpen) && (p.up < top || pOpen));
}

const exp = (x: Range): Range => increasing(x, expOf);
const log = (x: Range): Range | null => (isPositive(x) ? increasing(x, logOf) : null);
const sqrt = (x: Range): Range | null => (x.lo >= 0 ? increasing(x, root) : null);

function pow(x: Range, y: Range): Range | null {
  if (isPoint(y) && Number.isInteger(y.lo)) return powInt(x, y.lo);
  if (isPoint(y) && y.lo === 0.5) return sqrt(x);
  if (isPositive(x)) return exp(mul(y, log(x)!));
  if (x.lo === 0 && !x.loOpen && isPositive(y)) {
    // 0^y = 0 for y > 0
    if (x.hi === 0) return ZERO;
    const r = pow({ ...x, loOpen: true }, y);
    return r && range(0, r.hi, false, r.hiOpen);
  }
  return null;
}

function abs(x: Range): Range {
  if (x.lo >= 0) return x;
  if (x.hi <= 0) return neg(x);
  const m = Math.max(-x.lo, x.hi);
  return range(0, m, false, (-x.lo < m || x.loOpen) && (x.hi < m || x.hiOpen));
}

function min(x: Range, y: Range): Range {
  const lo = Math.min(x.lo, y.lo), hi = Math.min(x.hi, y.hi);
  return range(lo, hi, (x.lo > lo || x.loOpen) && (y.lo > lo || y.loOpen), (x.hi === hi && x.hiOpen) || (y.hi === hi && y.hiOpen));
}

const max = (x: Range, y: Range): Range => neg(min(neg(x), neg(y)));

/** sigmoid(a) = 1/(1 + exp(-a)), enclosed; its limits 0 and 1 at ∓∞ are never reached. */
function sigmoidAt(a: number): Bounds {
  if (!Number.isFinite(a)) return { down: a < 0 ? 0 : 1, up: a < 0 ? 0 : 1, exact: false };
  const r = div(ONE, add(ONE, exp(point(-a))))!;
  return { down: r.lo, up: r.hi, exact: !r.loOpen && !r.hiOpen };
}

const sigmoid = (x: Range): Range => increasing(x, sigmoidAt);

function intersect(r: Range, s: Range): Range {
  const lo = Math.max(r.lo, s.lo), hi = Math.min(r.hi, s.hi);
  if (lo > hi) return r;
  return range(lo, hi, (r.lo === lo && r.loOpen) || (s.lo === lo && s.loOpen), (r.hi === hi && r.hiOpen) || (s.hi === hi && s.hiOpen));
}

// ---------------------------------------------------------------------------
// Expressions

/** An expression outside what this module can enclose (vectors, declared functions, unknown names). */
class Unsupported extends Error {}

interface Context {
  /** variable name → position in a box */
  index: Map<string, number>;
  /** names standing for inexact constants (literals, pi, e) → their enclosures */
  constants: Map<string, Range>;
}

type Enclosure = (box: readonly Range[]) => Range | null;

const nameOf = (n: MathNode) => (n as unknown as { name: string }).name;
const argsOf = (n: MathNode) => (n as unknown as { args: MathNode[] }).args;
const fnOf = (n: MathNode) => (n as unknown as { fn: string | MathNode }).fn;

const FUNCTIONS: Record<string, { arity: [number, number]; apply: (args: Range[]) => Range | null }> = {
  exp: { arity: [1, 1], apply: ([x]) => exp(x) },
  log: {
    arity: [1, 2],
    apply: ([x, base]) => {
      const l = log(x);
      if (!base) return l;
      const lb = log(base);
      return l && lb && div(l, lb);
    },
  },
  sqrt: { arity: [1, 1], apply: ([x]) => sqrt(x) },
  abs: { arity: [1, 1], apply: ([x]) => abs(x) },
  min: { arity: [1, Infinity], apply: (xs) => xs.reduce(min) },
  max: { arity: [1, Infinity], apply: (xs) => xs.reduce(max) },
  sigmoid: { arity: [1, 1], apply: ([x]) => sigmoid(x) },
  relu: { arity: [1, 1], apply: ([x]) => max(x, ZERO) },
};

const OPERATORS: Record<string, (args: Range[]) => Range | null> = {
  add: (xs) => xs.reduce(add),
  subtract: ([x, y]) => add(x, neg(y)),
  multiply: (xs) => xs.reduce(mul),
  divide: ([x, y]) => div(x, y),
  pow: ([x, y]) => pow(x, y),
  unaryMinus: ([x]) => neg(x),
  unaryPlus: ([x]) => x,
};

/** The enclosure of an integer literal, or the two doubles around any other one. */
function literal(v: unknown): Range {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Unsupported();
  return Number.isSafeInteger(v) ? point(v) : range(prev(v), next(v), true, true);
}

/**
 * The step's own tree in the form every later stage reads: parentheses
 * dropped, supported operations only, and each inexact constant (a
 * non-integer literal, pi, e) a fresh name, so symbolic steps cannot fold it.
 */
function prepare(node: MathNode, ctx: Context): MathNode {
  const constant = (r: Range): MathNode => {
    let name = `k__${ctx.constants.size}`;
    while (ctx.index.has(name) || ctx.constants.has(name)) name += '_';
    ctx.constants.set(name, r);
    return new SymbolNode(name);
  };
  const walk = (n: MathNode): MathNode => {
    switch (n.type) {
      case 'ParenthesisNode':
        return walk((n as unknown as { content: MathNode }).content);
      case 'ConstantNode': {
        const r = literal((n as unknown as { value: unknown }).value);
        return isPoint(r) ? new ConstantNode(r.lo) : constant(r);
      }
      case 'SymbolNode': {
        const name = nameOf(n);
        if (ctx.index.has(name)) return new SymbolNode(name);
        if (name === 'pi') return constant(range(prev(Math.PI), next(Math.PI), true, true));
        if (name === 'e') return constant(range(prev(Math.E), next(Math.E), true, true));
        throw new Unsupported();
      }
      case 'OperatorNode': {
        const fn = fnOf(n) as string;
        if (!(fn in OPERATORS)) throw new Unsupported();
        const [base] = argsOf(n);
        // e^u is exp(u) exactly, which keeps e^0 = 1 exact where the enclosure of e would not
        if (fn === 'pow' && base.type === 'SymbolNode' && nameOf(base) === 'e' && !ctx.index.has('e')) return new FunctionNode('exp', [walk(argsOf(n)[1])]);
        const args = argsOf(n).map(walk);
        if (fn === 'unaryPlus') return args[0];
        return new OperatorNode((n as unknown as { op: string }).op as '+', fn as 'add', args);
      }
      case 'FunctionNode': {
        const f = fnOf(n) as MathNode;
        const name = f.type === 'SymbolNode' ? nameOf(f) : '';
        const spec = FUNCTIONS[name];
        const args = argsOf(n);
        if (!spec || args.length < spec.arity[0] || args.length > spec.arity[1]) throw new Unsupported();
        return new FunctionNode(name, args.map(walk));
      }
      default:
        throw new Unsupported();
    }
  };
  return walk(node);
}

/** An enclosure function for a prepared tree (or one mathjs derived from it); null results mean "not defined on the whole box". */
function compile(node: MathNode, ctx: Context): Enclosure {
  const checked = (r: Range | null): Range | null =>
    r && !Number.isNaN(r.lo) && !Number.isNaN(r.hi) && r.lo !== Infinity && r.hi !== -Infinity && r.lo <= r.hi ? r : null;
  const lift = (args: MathNode[], apply: (xs: Range[]) => Range | null): Enclosure => {
    const parts = args.map((a) => compile(a, ctx));
    return (box) => {
      const xs: Range[] = [];
      for (const p of parts) {
        const r = p(box);
        if (!r) return null;
        xs.push(r);
      }
      return checked(apply(xs));
    };
  };
  switch (node.type) {
    case 'ParenthesisNode':
      return compile((node as unknown as { content: MathNode }).content, ctx);
    case 'ConstantNode': {
      const r = literal((node as unknown as { value: unknown }).value);
      return () => r;
    }
    case 'SymbolNode': {
      const name = nameOf(node);
      const i = ctx.index.get(name);
      if (i !== undefined) return (box) => box[i];
      const c = ctx.constants.get(name);
      if (c) return () => c;
      throw new Unsupported();
    }
    case 'OperatorNode': {
      const op = OPERATORS[fnOf(node) as string];
      if (!op) throw new Unsupported();
      return lift(argsOf(node), op);
    }
    case 'FunctionNode': {
      const f = fnOf(node) as MathNode;
      const spec = FUNCTIONS[f.type === 'SymbolNode' ? nameOf(f) : ''];
      const args = argsOf(node);
      if (!spec || args.length < spec.arity[0] || args.length > spec.arity[1]) throw new Unsupported();
      return lift(args, spec.apply);
    }
    default:
      throw new Unsupported();
  }
}

let sigmoidFormula: MathNode | undefined;

/** sigmoid written out, for mathjs to differentiate. */
function forDerivative(node: MathNode): MathNode {
  return node.transform((n) => {
    if (n.type !== 'FunctionNode' || nameOf(fnOf(n) as MathNode) !== 'sigmoid') return n;
    const u = forDerivative(argsOf(n)[0]);
    sigmoidFormula ??= math.parse('1 / (1 + exp(-(U__)))');
    return sigmoidFormula.transform((m) => (m.type === 'SymbolNode' && nameOf(m) === 'U__' ? u : m));
  });
}

const isIntegerLiteral = (n: MathNode): boolean =>
  (n.type === 'ConstantNode' && Number.isSafeInteger((n as unknown as { value: unknown }).value)) ||
  (n.type === 'OperatorNode' && fnOf(n) === 'unaryMinus' && isIntegerLiteral(argsOf(n)[0]));
const isPower = (n: MathNode) => n.type === 'OperatorNode' && fnOf(n) === 'pow';

/** (x^a)^k → x^(a·k) for an integer k: an identity wherever the left side is defined. */
function powerOfPower(node: MathNode): MathNode {
  return node.transform((n) => {
    if (!isPower(n) || !isPower(argsOf(n)[0]) || !isIntegerLiteral(argsOf(n)[1])) return n;
    const [[x, a], k] = [argsOf(argsOf(n)[0]), argsOf(n)[1]];
    return new OperatorNode('^', 'pow', [x, new OperatorNode('*', 'multiply', [a, k])]);
  });
}

// mathjs's (x^a)^b → x^(ab) is false for x < 0 ((x^2)^(1/2) is |x|), so it takes integer b only.
// The other power rules only change where a side is defined (x^a·x^b → x^(a+b) at x = 0), and a
// side undefined on a box settles nothing.
// (built at the first simplify: mathjs builds simplify, and its many dependencies, when first used)
const safeRules = (): unknown[] => (math.simplify as unknown as { rules: unknown[] }).rules.map((r) =>
  typeof r === 'object' && r && /^\(n \^ n1\) \^ n2 ->/.test((r as { s?: string }).s ?? '') ? powerOfPower : r,
);
let SAFE_RULES: unknown[] | undefined;
const OPAQUE = '__fn_';
// simplify takes tens of milliseconds on small trees; larger ones are left as they are
const MAX_SIMPLIFY_NODES = 40;
// simplify repeats its rules until a form recurs, which a growing form never does
const MAX_SIMPLIFY_ROUNDS = 30;
const MAX_SIMPLIFIED_NODES = 200;

class SimplifyDiverged extends Error {}

/** A rule that stops simplify once it has run too many rounds or the form has grown too large. */
function simplifyGuard(): (n: MathNode) => MathNode {
  let rounds = 0;
  return (n) => {
    if (++rounds > MAX_SIMPLIFY_ROUNDS || n.filter(() => true).length > MAX_SIMPLIFIED_NODES) throw new SimplifyDiverged();
    return n;
  };
}

/**
 * mathjs simplify of a prepared tree, or null. Functions are renamed while it
 * runs so it cannot evaluate them (exp(-800) would fold to the integer 0);
 * integer arithmetic folds into exact fractions; a result with any
 * non-integer constant came from a float fold and is refused.
 */
function simplified(node: MathNode): MathNode | null {
  const key = node.toString();
  if (!simplifiedCache.has(key)) {
    if (simplifiedCache.size >= MAX_CACHED) simplifiedCache.clear();
    simplifiedCache.set(key, node.filter(() => true).length > MAX_SIMPLIFY_NODES ? null : simplifiedUncached(node));
  }
  return simplifiedCache.get(key)!;
}

// steps recur (a claim and its chain, the mutants of a step); inexact constants are
// names, so a cached result holds whatever they stand for
const simplifiedCache = new Map<string, MathNode | null>();
const MAX_CACHED = 1000;

function simplifiedUncached(node: MathNode): MathNode | null {
  const rename = (n: MathNode, from: (s: string) => string | null): MathNode =>
    n.transform((m) => {
      if (m.type !== 'FunctionNode') return m;
      const name = from(nameOf(fnOf(m) as MathNode));
      return name === null ? m : new FunctionNode(name, argsOf(m).map((a) => rename(a, from)));
    });
  let out: MathNode;
  try {
    const opaque = rename(node, (s) => OPAQUE + s);
    SAFE_RULES ??= safeRules();
    out = math.simplify(opaque, [...SAFE_RULES, simplifyGuard()] as never, {}, { exactFractions: true, fractionsLimit: Infinity } as never);
  } catch {
    return null;
  }
  let clean = true;
  out.traverse((m) => {
    if (m.type === 'ConstantNode' && !Number.isSafeInteger((m as unknown as { value: unknown }).value)) clean = false;
    if (m.type === 'FunctionNode' && !nameOf(fnOf(m) as MathNode).startsWith(OPAQUE)) clean = false;
  });
  return clean ? rename(out, (s) => (s.startsWith(OPAQUE) ? s.slice(OPAQUE.length) : null)) : null;
}

interface Enclosed { range: Range | null; defined: boolean }

/** h, or one of its partial derivatives (of order `order`), with lazily derived partials. */
class Fn {
  private readonly raw: Enclosure;
  private simple: Enclosure | null | undefined;
  private readonly partials = new Map<number, Fn | null>();
  private last: { box: Range[]; result: Enclosed } | null = null;

  constructor(readonly node: MathNode, private readonly ctx: Context, readonly order: number) {
    this.raw = compile(node, ctx);
  }

  /**
   * The direct enclosure, tightened by the simplified one when the sign is
   * still open; `defined` when the direct tree is defined on the whole box (it
   * is then continuous there).
   */
  enclose(box: readonly Range[]): Enclosed {
    // the tests of one box ask for the same enclosures several times
    const last = this.last;
    if (last && last.box.length === box.length && last.box.every((x, i) => x === box[i])) return last.result;
    const r = this.raw(box);
    // mathjs simplify takes tens of milliseconds: only when the direct enclosure leaves the sign open
    const signKnown = r && (r.lo > 0 || r.hi < 0 || (r.lo === 0 && r.loOpen) || (r.hi === 0 && r.hiOpen));
    const s = signKnown ? null : (this.simplifiedEnclosure()?.(box) ?? null);
    const result = r ? { range: s ? intersect(r, s) : r, defined: true } : { range: s, defined: false };
    this.last = { box: box.slice(), result };
    return result;
  }

  /** ∂/∂(variable i), or null when mathjs cannot differentiate (min, max, relu). */
  partial(i: number): Fn | null {
    if (!this.partials.has(i)) {
      const name = [...this.ctx.index].find(([, j]) => j === i)![0];
      let d: Fn | null = null;
      try {
        d = new Fn(math.derivative(forDerivative(this.node), name, { simplify: false }), this.ctx, this.order + 1);
      } catch {
        d = null;
      }
      this.partials.set(i, d);
    }
    return this.partials.get(i)!;
  }

  private simplifiedEnclosure(): Enclosure | null {
    if (this.simple === undefined) {
      this.simple = null;
      if (this.order <= 1) {
        const s = simplified(this.node);
        if (s && s.toString() !== this.node.toString()) {
          try {
            this.simple = compile(s, this.ctx);
          } catch (e) {
            if (!(e instanceof Unsupported)) throw e;
          }
        }
      }
    }
    return this.simple;
  }
}

// ---------------------------------------------------------------------------
// Constraints

/** A given as `diff ≤ 0` (`< 0` when strict), and the bounds it puts on the bare variables among its sides. */
interface Comparison {
  diff: Enclosure;
  strict: boolean;
  bounds: { variable: number; side: 'upper' | 'lower'; value: Enclosure }[];
}

const COMPARE: Record<string, { flip: boolean; strict: boolean }> = {
  smaller: { flip: false, strict: true },
  smallerEq: { flip: false, strict: false },
  larger: { flip: true, strict: true },
  largerEq: { flip: true, strict: false },
};

/** The comparisons of one given over the variables; the parts it cannot read are left out. */
function readComparisons(node: MathNode, ctx: Context): Comparison[] {
  const pairs: [MathNode, string, MathNode][] = [];
  if (node.type === 'RelationalNode') {
    const r = node as unknown as { conditionals: string[]; params: MathNode[] };
    r.conditionals.forEach((op, i) => pairs.push([r.params[i], op, r.params[i + 1]]));
  } else if (node.type === 'OperatorNode') {
    const args = argsOf(node);
    pairs.push([args[0], fnOf(node) as string, args[1]]);
  }
  const bareVariable = (n: MathNode, other: MathNode) =>
    n.type === 'SymbolNode' && ctx.index.has(nameOf(n)) && !other.filter((m) => m.type === 'SymbolNode' && nameOf(m) === nameOf(n)).length;
  const out: Comparison[] = [];
  for (const [a, op, b] of pairs) {
    const kinds = op === 'equal' ? [COMPARE.smallerEq, COMPARE.largerEq] : COMPARE[op] ? [COMPARE[op]] : [];
    for (const { flip, strict } of kinds) {
      const [small, large] = flip ? [b, a] : [a, b];
      try {
        const p = prepare(small, ctx), q = prepare(large, ctx);
        const bounds: Comparison['bounds'] = [];
        if (bareVariable(p, q)) bounds.push({ variable: ctx.index.get(nameOf(p))!, side: 'upper', value: compile(q, ctx) });
        if (bareVariable(q, p)) bounds.push({ variable: ctx.index.get(nameOf(q))!, side: 'lower', value: compile(p, ctx) });
        out.push({ diff: compile(new OperatorNode('-', 'subtract', [p, q]), ctx), strict, bounds });
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
      }
    }
  }
  return out;
}

const isEmpty = (r: Range) => r.lo > r.hi || (r.lo === r.hi && (r.loOpen || r.hiOpen));

/**
 * The box cut down by the bounds the givens put on bare variables (integer
 * variables to integers); null when nothing is left.
 */
function contract(box: Range[], comparisons: Comparison[], integer: boolean[]): Range[] | null {
  let out = box;
  for (let pass = 0; pass <= box.length; pass++) {
    let changed = false;
    for (const { bounds, strict } of comparisons) {
      for (const bound of bounds) {
        const v = bound.value(out);
        if (!v) continue;
        const i = bound.variable, r = out[i];
        let next: Range;
        if (bound.side === 'upper') {
          let hi = v.hi, open = strict || v.hiOpen;
          if (integer[i] && Number.isFinite(hi)) [hi, open] = [open && Number.isInteger(hi) ? hi - 1 : Math.floor(hi), false];
          if (!(hi < r.hi || (hi === r.hi && open && !r.hiOpen))) continue;
          next = range(r.lo, hi, r.loOpen, open);
        } else {
          let lo = v.lo, open = strict || v.loOpen;
          if (integer[i] && Number.isFinite(lo)) [lo, open] = [open && Number.isInteger(lo) ? lo + 1 : Math.ceil(lo), false];
          if (!(lo > r.lo || (lo === r.lo && open && !r.loOpen))) continue;
          next = range(lo, r.hi, open, r.hiOpen);
        }
        if (isEmpty(next)) return null;
        out = out === box ? box.slice() : out;
        out[i] = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return out;
}

function certainlyFalse(c: Comparison, box: readonly Range[]): boolean {
  const d = c.diff(box);
  return !!d && (d.lo > 0 || (d.lo === 0 && (c.strict || d.loOpen)));
}

function certainlyTrue(c: Comparison, box: readonly Range[]): boolean {
  const d = c.diff(box);
  return !!d && below(d, c.strict);
}

// ---------------------------------------------------------------------------
// Search

interface Problem {
  /** show h ≤ 0 (< 0 when strict) */
  h: Fn;
  strict: boolean;
  integer: boolean[];
  comparisons: Comparison[];
}

type Method = 'enclosure' | 'monotonicity' | 'concavity';
type Sign = 1 | -1;

/** Highest derivative order used: h'' is only enclosed, never reduced further. */
const MAX_ORDER = 2;
const MAX_CONCAVE_VARIABLES = 4;

function signed(e: Enclosed, sign: Sign): Enclosed {
  return { range: e.range && (sign > 0 ? e.range : neg(e.range)), defined: e.defined };
}

/**
 * sign·fn ≤ 0 (< 0 when strict) on the whole box, without splitting it. On a
 * face reached by monotonicity, the direct tree must be defined there, so that
 * fn is continuous up to it.
 */
function settle(fn: Fn, sign: Sign, box: Range[], strict: boolean, onFace: boolean): Method | null {
  const { range: r, defined } = signed(fn.enclose(box), sign);
  if (r && below(r, strict) && (defined || !onFace)) return onFace ? 'monotonicity' : 'enclosure';
  if (!defined || fn.order >= MAX_ORDER) return null;
  const face = box.slice();
  let reduced = false;
  box.forEach((x, i) => {
    if (isPoint(x)) return;
    const s = slope(fn, sign, i, box);
    if (s > 0 && Number.isFinite(x.hi)) [face[i], reduced] = [point(x.hi), true];
    else if (s < 0 && Number.isFinite(x.lo)) [face[i], reduced] = [point(x.lo), true];
  });
  if (reduced) return settle(fn, sign, face, strict, true);
  return fn.order === 0 && concaveBelow(fn, sign, box, strict) ? 'concavity' : null;
}

/** +1 when sign·fn is nondecreasing in variable i over the box, -1 when nonincreasing, 0 when unknown. */
function slope(fn: Fn, sign: Sign, i: number, box: Range[]): number {
  const d = fn.partial(i);
  if (!d) return 0;
  const { range: r, defined } = signed(d.enclose(box), sign);
  if (!defined || !r) return 0;
  if (r.lo >= 0) return 1;
  if (r.hi <= 0) return -1;
  if (settle(d, sign, box, false, false)) return -1;
  if (settle(d, sign === 1 ? -1 : 1, box, false, false)) return 1;
  return 0;
}

/**
 * A concave function lies below its tangent plane: when the Hessian of
 * sign·fn is negative semidefinite on the box (Gershgorin rows), the plane at
 * the centre bounds it on the whole box.
 */
function concaveBelow(fn: Fn, sign: Sign, box: Range[], strict: boolean): boolean {
  const free = box.flatMap((x, i) => (isPoint(x) ? [] : [i]));
  if (free.length === 0 || free.length > MAX_CONCAVE_VARIABLES) return false;
  if (free.some((i) => !Number.isFinite(box[i].lo) || !Number.isFinite(box[i].hi))) return false;
  const grads = free.map((i) => fn.partial(i));
  if (grads.some((g) => !g || !g.enclose(box).defined)) return false;
  for (const [a, ga] of grads.entries()) {
    let row = ZERO;
    for (const [b, j] of free.entries()) {
      const { range: r, defined } = signed(ga!.partial(j)?.enclose(box) ?? { range: null, defined: false }, sign);
      if (!defined || !r) return false;
      row = add(row, a === b ? point(r.hi) : point(Math.max(-r.lo, r.hi)));
    }
    if (row.hi > 0) return false;
  }
  const centre = box.map((x) => (isPoint(x) ? x : point(x.lo / 2 + x.hi / 2)));
  const { range: hc, defined } = signed(fn.enclose(centre), sign);
  if (!hc || !defined) return false;
  let bound = hc;
  for (const [a, i] of free.entries()) {
    const { range: g, defined: gDefined } = signed(grads[a]!.enclose(centre), sign);
    if (!g || !gDefined) return false;
    bound = add(bound, mul(g, add(box[i], neg(centre[i]))));
  }
  return below(bound, strict);
}

/** A point of the box (closed, integral where it must be) to test for a counterexample; null for an unbounded side. */
function representative(x: Range, integer: boolean): number | null {
  if (Number.isFinite(x.lo) && Number.isFinite(x.hi)) return integer ? Math.floor(x.lo / 2 + x.hi / 2) : x.lo / 2 + x.hi / 2;
  if (Number.isFinite(x.lo) && !x.loOpen) return x.lo;
  if (Number.isFinite(x.hi) && !x.hiOpen) return x.hi;
  return Number.isFinite(x.lo) || Number.isFinite(x.hi) ? null : 0;
}

/**
 * Whether the centre or a corner of the box satisfies the givens and
 * certainly breaks the step (that point), or leaves it undefined (true): then
 * no split can help. False when neither.
 */
function refuted(p: Problem, box: Range[]): number[] | boolean {
  const centre = box.map((x, i) => representative(x, p.integer[i]));
  if (centre.some((v) => v === null)) return false;
  const candidates = [centre as number[]];
  const free = box.flatMap((x, i) => (isPoint(x) ? [] : [i]));
  if (free.length <= 3) {
    for (let mask = 0; mask < 1 << free.length; mask++) {
      const corner = box.map((x) => x.lo);
      let closed = true;
      free.forEach((i, k) => {
        const x = box[i];
        const [v, open] = mask & (1 << k) ? [x.hi, x.hiOpen] : [x.lo, x.loOpen];
        corner[i] = v;
        closed &&= !open;
      });
      if (closed) candidates.push(corner);
    }
  }
  let undefinedSomewhere = false;
  for (const c of candidates) {
    const at = c.map(point);
    if (!p.comparisons.every((cmp) => certainlyTrue(cmp, at))) continue;
    const { range: r, defined } = p.h.enclose(at);
    // undefined at a point of the domain: no box around it can be settled
    if (!r) { undefinedSomewhere = true; continue; }
    if (defined && (r.lo > 0 || (r.lo === 0 && (p.strict || r.loOpen)))) return c;
  }
  return undefinedSomewhere;
}

/** A split point of a finite real range without 0 inside: the shortest dyadic in its middle half (steps are often tight at such points). */
function splitPoint(lo: number, hi: number): number {
  const w = hi - lo;
  if (!Number.isFinite(w)) return lo / 2 + hi / 2;
  const [a, b] = [lo + w / 4, hi - w / 4];
  for (let unit = 2 ** Math.ceil(Math.log2(w)); unit > 0; unit /= 2) {
    const c = Math.ceil(a / unit) * unit;
    if (c <= b) return c;
  }
  return lo / 2 + hi / 2;
}

/** Two halves of one variable's range: split at 0 when inside, else bisected, or a chunk [a, a + max(1, a)] cut off an unbounded side. */
function splitRange(x: Range, integer: boolean): [Range, Range] | null {
  const { lo, hi } = x;
  if (lo === hi) return null;
  if (integer) {
    const m = Number.isFinite(hi) ? Math.floor(lo / 2 + hi / 2) : lo + Math.max(1, Math.abs(lo));
    if (!(m >= lo && m < hi) || m + 1 > 2 ** 53) return null;
    return [range(lo, m), range(m + 1, hi, false, x.hiOpen)];
  }
  let m: number;
  if (lo < 0 && hi > 0) m = 0;
  else if (hi === Infinity) m = lo + Math.max(1, lo);
  else if (lo === -Infinity) m = hi - Math.max(1, -hi);
  else m = splitPoint(lo, hi);
  if (!(m > lo && m < hi)) return null;
  return [range(lo, m, x.loOpen, false), range(m, hi, false, x.hiOpen)];
}

/**
 * Split the variable along which h varies most (|∂h/∂x| times width, the
 * "smear"; an unbounded side counts as the chunk it would lose), widest first
 * on ties.
 */
function split(p: Problem, box: Range[]): Range[][] | null {
  const width = (x: Range) =>
    Number.isFinite(x.lo) && Number.isFinite(x.hi) ? x.hi - x.lo : Number.isFinite(x.lo) ? Math.max(1, Math.abs(x.lo)) : Number.isFinite(x.hi) ? Math.max(1, Math.abs(x.hi)) : Infinity;
  const scored = box.flatMap((x, i) => {
    if (isPoint(x)) return [];
    const d = p.h.partial(i)?.enclose(box).range;
    const slopeSize = d ? Math.max(Math.abs(d.lo), Math.abs(d.hi)) : Infinity;
    const w = width(x);
    return [{ i, smear: slopeSize === 0 ? 0 : slopeSize * w, w }];
  });
  scored.sort((a, b) => b.smear - a.smear || b.w - a.w);
  for (const { i } of scored) {
    const halves = splitRange(box[i], p.integer[i]);
    if (halves) return halves.map((half) => box.map((x, j) => (j === i ? half : x)));
  }
  return null;
}

function branchAndBound(p: Problem, maxBoxes: number): Certificate | { breach: number[] } | null {
  const start = contract(p.integer.map((int) => (int ? range(0, Infinity) : range(-Infinity, Infinity))), p.comparisons, p.integer);
  if (!start) return null;
  const stack = [start];
  const settledBy: Record<Method, number> = { enclosure: 0, monotonicity: 0, concavity: 0 };
  let boxes = 0;
  while (stack.length) {
    if (++boxes > maxBoxes) return null;
    const box = contract(stack.pop()!, p.comparisons, p.integer);
    if (!box || p.comparisons.some((c) => certainlyFalse(c, box))) continue;
    const method = settle(p.h, 1, box, p.strict, false);
    if (method) {
      settledBy[method]++;
      continue;
    }
    const breach = refuted(p, box);
    if (Array.isArray(breach)) return { breach };
    if (breach) return null;
    const parts = split(p, box);
    if (!parts) return null;
    stack.push(...parts.reverse());
  }
  const settled = Object.values(settledBy).reduce((a, b) => a + b, 0);
  // every box dropped by the givens: a vacuous domain is not a certificate
  if (settled === 0) return null;
  const by = (Object.entries(settledBy) as [Method, number][]).filter(([, n]) => n > 0).map(([m, n]) => `${m} ${n}`);
  return { boxes, method: `interval branch and bound over ${boxes} boxes (settled by ${by.join(', ')})` };
}
