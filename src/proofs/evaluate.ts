/**
 * Float64 evaluation of a proof file's expressions at one assignment: numbers
 * for scalars, arrays for vectors and matrices, and a witness Instance for
 * every declared function. Built-ins are bound to the witness; defines are
 * evaluated lazily in order (memoised); sequences by memoised recurrence,
 * bottom-up from their base cases; `diff(expr, x)` substitutes defines,
 * sigmoid and relu (piecewise, by the sign at the point) and differentiates
 * symbolically with mathjs before evaluating.
 */
import type { MathNode, EvalFunction } from 'mathjs';
import { math } from '../language/mathjs.ts';
import type { Instance } from '../classes/types.ts';
import { BUILTINS } from '../language/builtins.ts';
import type { ProofFile, Expr, Define } from './parse.ts';
import { closedMath, FORMAT_FUNCTIONS, type ClosedMath } from '../language/expression.ts';
import { DEFAULT_LIMITS, Deadline, TimedOut, type Limits } from '../language/limits.ts';
import { derivativeOf, type DerivativeMath } from './derivative.ts';
import { isProximal } from './proximal.ts';

/** A value of the language: a scalar, a vector or a matrix. */
export type Value = number | number[] | number[][];

/** Values of the declared names at which a file's expressions are evaluated. */
export interface Assignment {
  /** scalars (and the dimension symbols d, n), vectors, matrices */
  values: Record<string, number | number[] | Float64Array | number[][]>;
  /** the witness of each declared function */
  functions: Record<string, Instance>;
}

/** Evaluation failed (wrong shapes, a missing Hessian, a sequence index out of range). */
export class EvalError extends Error {
  /** `atAPoint`: false when the expression fails wherever it is evaluated (a message then names no point) */
  constructor(readonly file: string, readonly line: number, readonly detail: string, readonly atAPoint = true) {
    super(`${file}:${line}: ${detail}`);
  }
}

/** An error of the expression itself, not of the point it was evaluated at (messages name no point). */
export class NotAtAPoint extends Error {}

type RawFn = ((args: MathNode[], m: unknown, scope: MapLike) => unknown) & { rawArgs?: boolean };

/** The magnitude of diff(e, x) (see tolerance.ts): the magnitude of the derivative's own expression at the point. */
export const DIFF_MAGNITUDE = 'diff_magnitude__';
const RAW_NAMES = ['sumover', 'minover', 'maxover', 'diff', DIFF_MAGNITUDE, 'fstar', 'xstar'];

/**
 * One file's closed mathjs instance (see src/language/expression.ts), the
 * budgets its evaluation is held to, and its compiled expressions. A file
 * gets its own, so nothing one file evaluates can reach another's.
 */
export class FileLanguage {
  readonly closed: ClosedMath;
  private readonly bySource = new Map<string, EvalFunction>();
  private readonly byNode = new WeakMap<MathNode, EvalFunction>();
  private readonly parsed = new Map<string, MathNode>();
  readonly sigmoidPositive: MathNode;
  readonly sigmoidNegative: MathNode;
  /**
   * The magnitude transform of the tolerance model, set by the checker: a
   * derivative rounds at the size of its own expression's terms, which only
   * the evaluator sees (it depends on the branch of relu and sigmoid).
   */
  magnitudeOf: ((node: MathNode) => MathNode) | undefined;
  /** what `diff` needs of the closed instance */
  readonly differentiation: DerivativeMath;

  constructor(readonly limits: Readonly<Limits> = DEFAULT_LIMITS, readonly deadline: Deadline = Deadline.none()) {
    // raw-argument placeholders: the real ones live in each scope
    const placeholder: RawFn = () => { throw new Error('raw built-in called outside a proof scope'); };
    placeholder.rawArgs = true;
    // the scope binds every format function; those mathjs also has (dot, norm) are set aside as well,
    // since compiling a call reads the instance's function first (is it raw?), which would build
    // mathjs's own for nothing (norm: with its eigenvalue solver, a tenth of a second)
    const shadowed = () => { throw new Error('built-in called outside a proof scope'); };
    this.closed = closedMath(limits, {
      ...Object.fromEntries(Object.keys(FORMAT_FUNCTIONS).filter((n) => n in math).map((n) => [n, shadowed])),
      ...Object.fromEntries(RAW_NAMES.map((n) => [n, placeholder])),
    });
    // 1/(1+e^-u) squares e^-u in its derivative: below 0 the other form cannot overflow
    this.sigmoidPositive = this.parse('1 / (1 + exp(-(U__)))');
    this.sigmoidNegative = this.parse('exp(U__) / (1 + exp(U__))');
    // derivative is built at the first diff (closedMath)
    const closed = this.closed;
    this.differentiation = { derivative: (node, x, options) => closed.derivative(node, x, options), ConstantNode: closed.math.ConstantNode as unknown as DerivativeMath['ConstantNode'] };
  }

  /** Derivatives by the node differentiated and the variable and branches at the point: the same at every sample of a branch. */
  readonly derivatives = new WeakMap<MathNode, Map<string, { tree: MathNode; deriv: EvalFunction; magnitude?: EvalFunction; consts: [string, EvalFunction][] }>>();

  /** Entries of the values this file's evaluators keep (defines, sequence terms), at every sample. */
  private retained = 0;

  /**
   * Counts a value an evaluator keeps against the file's memory budget (ten
   * times the element budget): a define of ones(1000, 1000) kept at each of
   * 200 samples, or a sequence of matrices, would otherwise fill the memory.
   */
  hold<V extends Value>(v: V): V {
    this.retained += typeof v === 'number' ? 1 : Array.isArray(v[0]) ? v.length * (v[0] as number[]).length : v.length;
    const cap = 10 * this.limits.elements;
    if (this.retained > cap) {
      throw new Error(`the values kept while checking this file (defines and sequence terms, at every sample) exceed ${cap} entries, ten times the element budget (raise it with --limit elements=N)`);
    }
    return v;
  }

  parse(source: string): MathNode {
    let n = this.parsed.get(source);
    if (!n) { n = this.closed.parse(source); this.parsed.set(source, n); }
    return n;
  }
  compileSource(source: string): EvalFunction {
    let c = this.bySource.get(source);
    if (!c) { c = this.parse(source).compile(); this.bySource.set(source, c); }
    return c;
  }
  compileNode(node: MathNode): EvalFunction {
    let c = this.byNode.get(node);
    if (!c) { c = node.compile(); this.byNode.set(node, c); }
    return c;
  }
}

/** The language of a file whose Evaluator was built without one (tests, direct API use): default budgets, no deadline. */
const defaultLanguages = new WeakMap<ProofFile, FileLanguage>();
function defaultLanguage(file: ProofFile): FileLanguage {
  let l = defaultLanguages.get(file);
  if (!l) { l = new FileLanguage(); defaultLanguages.set(file, l); }
  return l;
}

interface MapLike {
  get(k: string): unknown;
  has(k: string): boolean;
  keys(): Iterable<string>;
}

/** A scope chain for mathjs: own values, lazily computed ones (memoised), then the parent. */
class Scope implements MapLike {
  private own = new Map<string, unknown>();
  private computing = new Set<string>();
  constructor(private parent?: MapLike, private lazy?: Map<string, () => unknown>) {}
  has(k: string): boolean { return this.own.has(k) || !!this.lazy?.has(k) || !!this.parent?.has(k); }
  get(k: string): unknown {
    if (this.own.has(k)) return this.own.get(k);
    const make = this.lazy?.get(k);
    if (make) {
      if (this.computing.has(k)) throw new Error(`'${k}' depends on itself`);
      this.computing.add(k);
      try {
        const v = make();
        this.own.set(k, v);
        return v;
      } finally {
        this.computing.delete(k);
      }
    }
    return this.parent?.get(k);
  }
  set(k: string, v: unknown): this { this.own.set(k, v); return this; }
  keys(): IterableIterator<string> {
    return new Set([...this.own.keys(), ...(this.lazy?.keys() ?? []), ...(this.parent ? this.parent.keys() : [])]).values();
  }
  delete(k: string): boolean { return this.own.delete(k); }
  clear(): void { this.own.clear(); }
  forEach(cb: (v: unknown, k: string, m: this) => void): void { for (const k of this.keys()) cb(this.get(k), k, this); }
  *entries(): IterableIterator<[string, unknown]> { for (const k of this.keys()) yield [k, this.get(k)]; }
  [Symbol.iterator]() { return this.entries(); }
  get size(): number { return [...this.keys()].length; }
}


/** A mathjs result as a Value (complex with an imaginary part → NaN). */
export function toValue(r: unknown): Value {
  if (typeof r === 'number') return r;
  if (typeof r === 'boolean') return r ? 1 : 0;
  if (Array.isArray(r)) return r.map((x) => toValue(x)) as Value;
  if (r && typeof r === 'object') {
    if ('toArray' in r && typeof (r as { toArray: unknown }).toArray === 'function') return toValue((r as { toArray(): unknown }).toArray());
    if ('re' in r && 'im' in r) return (r as { im: number }).im === 0 ? (r as { re: number }).re : NaN;
    if ('toNumber' in r && typeof (r as { toNumber: unknown }).toNumber === 'function') return (r as { toNumber(): number }).toNumber();
    if (typeof (r as { valueOf(): unknown }).valueOf() === 'number') return (r as { valueOf(): number }).valueOf();
  }
  throw new Error(`not a number, vector or matrix: ${String(r)}`);
}

const plainVec = (x: unknown): number[] => {
  const v = toValue(x);
  if (typeof v === 'number') return [v];
  if (Array.isArray(v[0])) throw new Error('expected a vector, got a matrix');
  return v as number[];
};

const elementwise = (fn: (u: number) => number) => (u: unknown): Value => {
  const v = toValue(u);
  const map = (a: Value): Value => (typeof a === 'number' ? fn(a) : (a as Value[]).map(map) as Value);
  return map(v);
};
export const sigmoid = (u: number): number => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));
export const relu = (u: number): number => (u > 0 ? u : 0);

/** Loop iterations between two looks at the deadline. */
const POLL = 1024;

/** Evaluates the expressions of one file at one assignment. Caches defines and sequences. */
export class Evaluator {
  readonly scope: Scope;
  private seqCache = new Map<string, Value[]>();
  /** Scalar values by source text: the middle sides of a chain are each evaluated for two steps (errors are not kept). */
  private readonly numbers = new Map<string, number>();
  private fnInfo = new WeakMap<object, { name: string; inst: Instance; scalar: boolean }>();
  private valueDefines = new Map<string, Define & { kind: 'value' }>();

  readonly lang: FileLanguage;

  constructor(readonly file: ProofFile, readonly assignment: Assignment, lang?: FileLanguage) {
    this.lang = lang ?? defaultLanguage(file);
    const root = new Scope();
    for (const [k, v] of Object.entries(assignment.values)) {
      root.set(k, v instanceof Float64Array ? Array.from(v) : v);
    }
    const scalarDomain = new Set(file.given.filter((g) => g.kind === 'function' && g.domain === 'scalar').map((g) => (g as { name: string }).name));
    for (const name of file.names.functions) {
      const inst = assignment.functions[name];
      if (!inst) throw new Error(`no witness for the declared function ${name}`);
      const scalar = scalarDomain.has(name);
      const f = (x: unknown) => inst.value(plainVec(x));
      this.fnInfo.set(f, { name, inst, scalar });
      root.set(name, f);
    }
    this.installBuiltins(root);
    const lazy = new Map<string, () => unknown>();
    for (const d of file.define) {
      if (d.kind === 'value') {
        this.valueDefines.set(d.name, d);
        lazy.set(d.name, () => {
          try {
            return this.lang.hold(this.evalExpr(d.expr, this.scope));
          } catch (e) {
            // said where it happened: the step that uses the define names its own line
            if (e instanceof EvalError && e.line === d.line && !e.detail.startsWith('in the define')) {
              throw new EvalError(e.file, e.line, `in the define of ${d.name} (line ${d.line}): ${e.detail}`, e.atAPoint);
            }
            throw e;
          }
        });
      } else {
        const seq = d;
        lazy.set(d.name, () => (k: unknown) => this.sequence(seq.name, toValue(k) as number));
      }
    }
    this.scope = new Scope(root, lazy);
  }

  /** Evaluate an expression of the file (or source text) in float64. */
  evaluate(e: Expr | string, extra?: Record<string, unknown>): Value {
    const source = typeof e === 'string' ? e : e.source;
    if (!extra) {
      const known = this.numbers.get(source);
      if (known !== undefined) return known;
    }
    const expr: Expr = typeof e === 'string' ? { source: e, node: this.lang.parse(e), line: 0 } : e;
    let scope: MapLike = this.scope;
    if (extra) {
      const s = new Scope(this.scope);
      for (const [k, v] of Object.entries(extra)) s.set(k, v);
      scope = s;
    }
    const v = this.evalExpr(expr, scope);
    if (!extra && typeof v === 'number') this.numbers.set(source, v);
    return v;
  }

  private evalExpr(expr: Expr, scope: MapLike): Value {
    try {
      return toValue(this.lang.compileSource(expr.source).evaluate(scope as unknown as Map<string, unknown>));
    } catch (err) {
      if (err instanceof EvalError || err instanceof TimedOut) throw err;
      throw new EvalError(this.file.file, expr.line, `cannot evaluate "${expr.source}": ${(err as Error).message}`, !(err instanceof NotAtAPoint));
    }
  }

  /** Term n of a sequence, by recurrence from its base cases (memoised). */
  sequence(name: string, index: number): Value {
    const def = this.file.define.find((d) => d.name === name);
    if (!def || def.kind !== 'sequence') throw new Error(`${name} is not a sequence`);
    const n = Math.round(index);
    if (!(Math.abs(index - n) <= 1e-9 * Math.max(1, Math.abs(index))) || n < 0) {
      throw new Error(`${name}(${index}): the index of a sequence must be an integer >= 0`);
    }
    const limit = this.lang.limits.index;
    if (n > limit) throw new Error(`${name}(${n}): index above the budget of ${limit} (raise it with --limit index=N)`);
    let cache = this.seqCache.get(name);
    if (!cache) { cache = []; this.seqCache.set(name, cache); }
    for (let m = cache.length; m <= n; m++) {
      if (m % POLL === 0) this.lang.deadline.check();
      const base = def.bases.find((b) => b.index === m);
      if (base) { cache.push(this.lang.hold(this.evalExpr(base.expr, this.scope))); continue; }
      const step = def.step;
      const k = m - (step?.offset ?? 0);
      if (!step || k < 0) throw new Error(`${name}(${m}) is not defined: add a base case "${name}(${m})"`);
      cache.push(this.lang.hold(this.evalExpr(step.expr, new Scope(this.scope).set(step.variable, k))));
    }
    return cache[n];
  }

  /** The witness behind a declared function's value in the scope (for rounding magnitudes). */
  instanceOf(fn: unknown): Instance | undefined {
    return typeof fn === 'function' ? this.fnInfo.get(fn)?.inst : undefined;
  }

  private witness(fn: unknown, builtin: string) {
    const info = typeof fn === 'function' ? this.fnInfo.get(fn) : undefined;
    if (!info) throw new Error(`the first argument of ${builtin} must be a declared function`);
    return info;
  }

  private installBuiltins(root: Scope): void {
    for (const [k, v] of Object.entries(BUILTINS)) root.set(k, v);
    const bdot = BUILTINS.dot as (u: unknown, v: unknown) => number;
    root.set('dot', (u: unknown, v: unknown) => {
      const a = toValue(u), b = toValue(v);
      return typeof a === 'number' && typeof b === 'number' ? a * b : bdot(a, b);
    });
    root.set('grad', (fn: unknown, x: unknown): Value => {
      const { inst, scalar } = this.witness(fn, 'grad');
      const g = inst.grad(plainVec(x));
      return scalar ? g[0] : Array.from(g);
    });
    root.set('hess', (fn: unknown, x: unknown): Value => {
      const { inst, scalar, name } = this.witness(fn, 'hess');
      if (!inst.hess) throw new Error(`the witness of ${name} (family ${inst.family}) has no Hessian`);
      const h = inst.hess(plainVec(x));
      if (scalar) return h[0];
      const d = inst.dim;
      return Array.from({ length: d }, (_, i) => Array.from(h.subarray(i * d, (i + 1) * d)));
    });
    const fstar = (fn: unknown) => {
      const { inst, name } = this.witness(fn, 'fstar');
      if (isProximal(inst) && inst.sum) throw new Error(`${name} is the term of the sum ${inst.sum.partner} + ${name} here: its own minimum is not known, the sum's is fstar(${inst.sum.partner} + ${name})`);
      return inst.cert.fstar;
    };
    const xstar = (fn: unknown, x?: unknown): Value => {
      const { inst, scalar, name } = this.witness(fn, 'xstar');
      const m = inst.nearestMinimiser(x === undefined ? new Array(inst.dim).fill(0) : plainVec(x));
      if (!m) throw new Error(`the witness of ${name} (family ${inst.family}) has no known minimiser`);
      return scalar ? m[0] : Array.from(m);
    };
    // fstar(f + h), xstar(f + h): the sum's minimum and the minimiser its proximal term was built around (proximal.ts)
    const ofSum = (kind: 'fstar' | 'xstar'): RawFn => {
      const raw: RawFn = (args, _m, scope) => {
        const sum = sumOf(args[0]);
        if (!sum) {
          const values = args.map((a) => this.lang.compileNode(a).evaluate(scope as unknown as Map<string, unknown>));
          return kind === 'fstar' ? fstar(values[0]) : xstar(values[0], values[1]);
        }
        const [a, b] = sum.map((n) => this.witness(scope.get(n), kind));
        const [h, f] = isProximal(a.inst) && a.inst.sum?.partner === b.name ? [a, b] : [b, a];
        if (!isProximal(h.inst) || !h.inst.sum || h.inst.sum.partner !== f.name) throw new Error(`${kind}(${sum.join(' + ')}): no witness of the sum has a known minimiser`);
        const xs = h.inst.sum.xstar;
        return kind === 'xstar' ? Array.from(xs) : f.inst.value(xs) + h.inst.value(xs);
      };
      raw.rawArgs = true;
      return raw;
    };
    root.set('fstar', ofSum('fstar'));
    root.set('xstar', ofSum('xstar'));
    root.set('prox', (fn: unknown, gamma: unknown, v: unknown): Value => {
      const { inst, name } = this.witness(fn, 'prox');
      if (!isProximal(inst)) throw new Error(`the witness of ${name} has no proximal map`);
      const g = toValue(gamma);
      if (typeof g !== 'number') throw new Error('prox(h, gamma, v): gamma must be a number');
      return Array.from(inst.prox(g, plainVec(v)));
    });
    root.set('sigmoid', elementwise(sigmoid));
    root.set('relu', elementwise(relu));
    const over = (kind: 'sum' | 'min' | 'max'): RawFn => {
      const fn: RawFn = (args, _m, scope) => this.over(kind, args, scope);
      fn.rawArgs = true;
      return fn;
    };
    root.set('sumover', over('sum'));
    root.set('minover', over('min'));
    root.set('maxover', over('max'));
    const diff: RawFn = (args, _m, scope) => this.diff(args, scope, false);
    diff.rawArgs = true;
    root.set('diff', diff);
    const diffMagnitude: RawFn = (args, _m, scope) => this.diff(args, scope, true);
    diffMagnitude.rawArgs = true;
    root.set(DIFF_MAGNITUDE, diffMagnitude);
  }

  private over(kind: 'sum' | 'min' | 'max', args: MathNode[], scope: MapLike): Value {
    const name = `${kind}over`;
    if (args.length !== 4 || args[0].type !== 'SymbolNode') throw new Error(`${name}(k, a, b, expr) takes an index name, two integer bounds and an expression`);
    const k = (args[0] as unknown as { name: string }).name;
    const bound = (node: MathNode, which: string) => {
      const v = toValue(this.lang.compileNode(node).evaluate(scope as unknown as Map<string, unknown>));
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name}: the ${which} bound is not a finite number`);
      const r = Math.round(v);
      if (Math.abs(v - r) > 1e-9 * Math.max(1, Math.abs(v))) throw new Error(`${name}: the ${which} bound ${v} is not an integer`);
      return r;
    };
    const a = bound(args[1], 'lower'), b = bound(args[2], 'upper');
    const limit = this.lang.limits.terms;
    if (b - a + 1 > limit) throw new Error(`${name}: ${b - a + 1} terms (${a}..${b}), above the budget of ${limit} (raise it with --limit terms=N)`);
    const body = this.lang.compileNode(args[3]);
    const child = new Scope(scope);
    let acc: Value = kind === 'sum' ? 0 : kind === 'min' ? Infinity : -Infinity;
    for (let i = a; i <= b; i++) {
      if ((i - a) % POLL === POLL - 1) this.lang.deadline.check();
      child.set(k, i);
      const v = toValue(body.evaluate(child as unknown as Map<string, unknown>));
      if (kind === 'sum') acc = toValue(math.add(acc as never, v as never));
      else {
        if (typeof v !== 'number') throw new Error(`${name}: the expression must be a scalar`);
        acc = kind === 'min' ? Math.min(acc as number, v) : Math.max(acc as number, v);
      }
    }
    return acc;
  }

  /** diff(expr, x): substitute defines, sigmoid and relu (by branch), differentiate in x, evaluate. */
  private diff(args: MathNode[], scope: MapLike, magnitude: boolean): Value {
    if (args.length !== 2 || args[1].type !== 'SymbolNode') throw new Error('diff(expr, x) takes an expression and the name of a scalar');
    const x = (args[1] as unknown as { name: string }).name;
    const xv = scope.get(x);
    if (typeof xv !== 'number') throw new Error(`diff: ${x} must be a scalar`);
    // the branches at this point first: the derivative of a branch is the same at every sample
    const branches: string[] = [];
    this.rewriteForDiff(args[0], scope, branches, new Set(), false);
    const sig = `${x}|${branches.join('')}`;
    let byNode = this.lang.derivatives.get(args[0]);
    if (!byNode) { byNode = new Map(); this.lang.derivatives.set(args[0], byNode); }
    let entry = byNode.get(sig);
    if (!entry) {
      const rewritten = this.rewriteForDiff(args[0], scope, [], new Set(), true);
      const consts: [string, EvalFunction][] = [];
      const folded = rewritten.transform((n) => {
        if (n.type === 'ConstantNode' || n.type === 'SymbolNode' || dependsOn(n, x)) return n;
        const name = `__const${consts.length}`;
        consts.push([name, n.compile()]);
        return new this.lang.closed.math.SymbolNode(name);
      });
      let deriv: MathNode;
      try {
        deriv = derivativeOf(folded, x, this.lang.differentiation);
      } catch (e) {
        throw new NotAtAPoint(`diff: cannot differentiate "${args[0].toString()}" in ${x}: ${(e as Error).message}`);
      }
      entry = { tree: deriv, deriv: deriv.compile(), consts };
      byNode.set(sig, entry);
    }
    const child = new Scope(scope);
    for (const [name, c] of entry.consts) child.set(name, toValue(c.evaluate(scope as unknown as Map<string, unknown>)));
    if (magnitude && this.lang.magnitudeOf) {
      entry.magnitude ??= this.lang.magnitudeOf(entry.tree).compile();
      return toValue(entry.magnitude.evaluate(child as unknown as Map<string, unknown>));
    }
    return toValue(entry.deriv.evaluate(child as unknown as Map<string, unknown>));
  }

  /**
   * Bottom-up: defined names → their (rewritten) definitions; sigmoid → its
   * stable formula at the point's sign; relu → its branch at the point; a
   * nested diff → its derivative. With `build` false only the branches are
   * recorded (in the same order) and the node is returned as it is.
   */
  private rewriteForDiff(node: MathNode, scope: MapLike, branches: string[], expanding: Set<string>, build: boolean): MathNode {
    const at = (u: MathNode) => toValue(this.lang.compileNode(u).evaluate(scope as unknown as Map<string, unknown>));
    if (node.type === 'SymbolNode') {
      const name = (node as unknown as { name: string }).name;
      const def = this.valueDefines.get(name);
      if (!def || expanding.has(name)) return node;
      const inner = this.rewriteForDiff(this.lang.parse(def.expr.source), scope, branches, new Set([...expanding, name]), build);
      return build ? new this.lang.closed.math.ParenthesisNode(inner) : node;
    }
    if (node.type === 'FunctionNode') {
      const fn = (node as unknown as { fn: MathNode }).fn;
      const fname = fn.type === 'SymbolNode' ? (fn as unknown as { name: string }).name : '';
      const raw = (node as unknown as { args: MathNode[] }).args;
      if (fname === 'diff' && raw.length === 2 && raw[1].type === 'SymbolNode') {
        // a nested derivative: differentiate its (rewritten) body symbolically; the outer one differentiates the result
        const inner = this.rewriteForDiff(raw[0], scope, branches, expanding, build);
        const y = (raw[1] as unknown as { name: string }).name;
        branches.push(`d${y}(`);
        if (!build) return node;
        try {
          return new this.lang.closed.math.ParenthesisNode(derivativeOf(inner, y, this.lang.differentiation));
        } catch (e) {
          throw new NotAtAPoint(`diff: cannot differentiate "${raw[0].toString()}" in ${y}: ${(e as Error).message}`);
        }
      }
      const args = raw.map((a) => this.rewriteForDiff(a, scope, branches, expanding, build));
      if (fname === 'sigmoid' && args.length === 1) {
        // the form that cannot overflow on this side of 0 (1/(1+e^-u) squares e^-u in its derivative)
        const u = at(raw[0]);
        const negative = typeof u === 'number' && u < 0;
        branches.push(negative ? 's-' : 's+');
        if (!build) return node;
        return fill(negative ? this.lang.sigmoidNegative : this.lang.sigmoidPositive, args[0]);
      }
      if (fname === 'relu' && args.length === 1) {
        const u = at(raw[0]);
        if (typeof u !== 'number') throw new Error('diff: relu inside diff needs a scalar argument');
        branches.push(u > 0 ? '+' : '0');
        if (!build) return node;
        const m = this.lang.closed.math;
        return u > 0 ? new m.ParenthesisNode(args[0]) : new m.ConstantNode(0);
      }
      return build ? new this.lang.closed.math.FunctionNode(fn as never, args) : node;
    }
    if (!build) {
      node.forEach((child, path) => { if (path !== 'fn') this.rewriteForDiff(child, scope, branches, expanding, false); });
      return node;
    }
    return node.map((child, path) => (path === 'fn' ? child : this.rewriteForDiff(child, scope, branches, expanding, true)));
  }
}

/** The two function names of `f + h` (a sum's fstar or xstar), or null. */
export function sumOf(node: MathNode | undefined): [string, string] | null {
  const n = node?.type === 'ParenthesisNode' ? (node as unknown as { content: MathNode }).content : node;
  if (!n || n.type !== 'OperatorNode' || (n as unknown as { fn: string }).fn !== 'add') return null;
  const args = (n as unknown as { args: MathNode[] }).args;
  if (!args.every((a) => a.type === 'SymbolNode')) return null;
  return [(args[0] as unknown as { name: string }).name, (args[1] as unknown as { name: string }).name];
}

function fill(template: MathNode, u: MathNode): MathNode {
  return template.transform((n) => (n.type === 'SymbolNode' && (n as unknown as { name: string }).name === 'U__' ? u : n));
}

function dependsOn(node: MathNode, x: string): boolean {
  let found = false;
  node.traverse((n) => {
    if (n.type === 'SymbolNode' && (n as unknown as { name: string }).name === x) found = true;
  });
  return found;
}

/** An evaluator for one file at one assignment. */
export function evaluator(file: ProofFile, assignment: Assignment, lang?: FileLanguage): Evaluator {
  return new Evaluator(file, assignment, lang);
}
