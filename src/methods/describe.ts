/**
 * A method description: an optimiser written as update rules over named
 * sequences, `"x(0)": x0` and `"x(k+1)": x(k) - gamma * grad(f, x(k))`,
 * parsed once and type-checked (scalar or vector), then compiled three ways
 * (src/methods/tfjs.ts, float64.ts, linear.ts).
 *
 * Conventions. Rules are applied in the order written: a rule may use another
 * sequence at k+1 only when that sequence's rule comes first. A sequence at an
 * index below 0 is its value at 0 (x_{−1} = x_0, as for heavy ball). The
 * sequence the theorem talks about (the iterate) is the first vector sequence written
 * unless named.
 */
import type { MathNode } from 'mathjs';
import { closest } from '../language/closest.ts';
import { ProofError } from '../language/usage.ts';
import { parseUserExpression } from './expression.ts';

export type ValueType = 'scalar' | 'vector';

/**
 * A node of an update rule. `host`: a scalar computable from parameters, k and
 * host scalar sequences alone (evaluated in float64 on the CPU, per row).
 */
export type MethodNode = { type: ValueType; host: boolean; line: number } & (
  | { op: 'num'; value: number }
  | { op: 'param'; name: string }
  | { op: 'k' }
  | { op: 'x0' }
  /** `name(k + 1 - lag)` in an update; in an initial value lag is 0 and means index 0. */
  | { op: 'seq'; name: string; lag: number }
  | { op: 'call'; fn: MethodFunction; args: MethodNode[] }
  | { op: 'arith'; fn: Arith; args: MethodNode[] }
);

export type Arith = 'add' | 'subtract' | 'multiply' | 'divide' | 'pow' | 'unaryMinus';

/** Functions an update rule may call, with what they take. */
export const METHOD_FUNCTIONS = {
  grad: 'grad(f, v): the gradient of the objective at the vector v',
  sgrad: 'sgrad(f, v, k): a stochastic gradient at v, from the sample drawn at step k (one sample per step, shared by the calls of that step)',
  f: 'f(v): the objective at v (a scalar)',
  prox: 'prox(h, gamma, v): the proximal step of a declared nonsmooth term h with step gamma',
  sign: 'sign(v): the sign, elementwise',
  clip: 'clip(v, lo, hi): v clipped to [lo, hi], elementwise',
  askew: 'askew(w, g, eps, alpha): the direction of ASkewSGD at w for the gradient g, elementwise: −g where ε − (w² − 1)² ≥ 0, where w = 0, or where −g·K > K², else K = α(ε − (w² − 1)²)/(4w(w² − 1))',
  norm: 'norm(v): the Euclidean norm (a scalar)',
  dot: 'dot(u, v): the inner product (a scalar)',
  sqrt: 'sqrt(a)', exp: 'exp(a)', log: 'log(a)', abs: 'abs(a)', max: 'max(a, b)', min: 'min(a, b)',
} as const;
export type MethodFunction = keyof typeof METHOD_FUNCTIONS;

/** A nonsmooth term whose proximal map is known in closed form. */
export interface ProxTerm {
  /** `l1`: weight·‖x‖₁ (soft threshold); `box`: the indicator of [lo, hi]^d (clipping). */
  kind: 'l1' | 'box';
  /** Parameter names: the weight for l1, the ends for box. */
  args: string[];
}

export interface SequenceRule {
  name: string;
  type: ValueType;
  /** Every value is computable on the host (a scalar sequence of parameters and k). */
  host: boolean;
  initial: MethodNode;
  initialLine: number;
  update: MethodNode;
  updateLine: number;
  /** The source texts, for display. */
  initialText: string;
  updateText: string;
}

export interface Method {
  file: string;
  /** In the order the rules are applied. */
  sequences: SequenceRule[];
  iterate: string;
  /** Scalar names the rules use that are not sequences: the optimiser's hyperparameters. */
  parameters: string[];
  /** Uses sgrad: the runs need a finite-sum family and seeds. */
  stochastic: boolean;
  proxes: Readonly<Record<string, ProxTerm>>;
  /** The name of the objective in the rules (`f`). */
  objective: string;
}

/** One rule as written: `"x(k+1)": expression` or `"x(0)": expression`, with its file line. */
export interface RuleText { key: string; text: string; line: number }

export interface DescribeOptions {
  file: string;
  /** Scalar names the rules may use (the theorem's constants and parameters). */
  scalars: readonly string[];
  /** The declared objective (default `f`). */
  objective?: string;
  iterate?: string;
  proxes?: Readonly<Record<string, ProxTerm>>;
}

const KEY_INITIAL = /^([A-Za-z_]\w*)\(\s*0\s*\)$/;
const KEY_UPDATE = /^([A-Za-z_]\w*)\(\s*k\s*\+\s*1\s*\)$/;
const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

/** Parse and type-check a method's rules; every error names file:line and the fix. */
export function describeMethod(rules: readonly RuleText[], opts: DescribeOptions): Method {
  const { file } = opts;
  const objective = opts.objective ?? 'f';
  const proxes = opts.proxes ?? {};
  const err = (line: number, detail: string) => new ProofError(file, line, detail);
  // Which sequences exist, in the order of their update rules.
  const drafts = new Map<string, { initial?: RuleText; update?: RuleText }>();
  const order: string[] = [];
  /** Sequences in the order they first appear (the iterate is the first vector one). */
  const appearance: string[] = [];
  for (const r of rules) {
    const init = KEY_INITIAL.exec(r.key.trim());
    const upd = init ? null : KEY_UPDATE.exec(r.key.trim());
    if (!init && !upd) {
      throw err(r.line, `method key '${r.key}' must be an initial value "name(0)" or an update "name(k+1)" (the step variable is k)`);
    }
    const name = (init ?? upd)![1];
    if (name === objective || name in METHOD_FUNCTIONS || name === 'k' || name === 'x0') {
      throw err(r.line, `'${name}' cannot name a sequence (it is ${name === objective ? 'the objective' : name === 'k' ? 'the step counter' : name === 'x0' ? 'the starting point' : 'a function of the method language'}); rename the sequence`);
    }
    if (opts.scalars.includes(name)) throw err(r.line, `'${name}' is already a constant or parameter of the theorem; name the sequence differently`);
    const d = drafts.get(name) ?? {};
    const slot = init ? 'initial' : 'update';
    if (d[slot]) throw err(r.line, `${name} has two ${slot === 'initial' ? 'initial values' : 'update rules'} (line ${d[slot]!.line} and here); keep one`);
    d[slot] = r;
    drafts.set(name, d);
    if (!appearance.includes(name)) appearance.push(name);
    if (upd) order.push(name);
  }
  for (const [name, d] of drafts) {
    if (!d.update) throw err(d.initial!.line, `sequence ${name} has an initial value but no update; add "${name}(k+1)": ...`);
    if (!d.initial) throw err(d.update.line, `sequence ${name} has no initial value; add "${name}(0)": ... (x0 is the witness's starting point)`);
  }
  if (order.length === 0) throw err(rules[0]?.line ?? 1, 'the method has no update rule; write at least "x(0)": x0 and "x(k+1)": ...');

  const parameters = new Set<string>();
  const types = new Map<string, ValueType>();
  const hostSeqs = new Set<string>();
  let stochastic = false;

  // Initial values in rule order: each may use x0, parameters and sequences at 0 declared before it.
  const initials = new Map<string, MethodNode>();
  for (const name of order) {
    const r = drafts.get(name)!.initial!;
    const node = convert(parseUserExpression(r.text, file, r.line, `initial value of ${name}`), { r, mode: 'initial', self: name, earlier: [...initials.keys()] });
    initials.set(name, node);
    types.set(name, node.type);
    if (node.type === 'scalar' && node.host) hostSeqs.add(name);
  }
  const updates = new Map<string, MethodNode>();
  for (const [i, name] of order.entries()) {
    const r = drafts.get(name)!.update!;
    const node = convert(parseUserExpression(r.text, file, r.line, `update of ${name}`), { r, mode: 'update', self: name, earlier: order.slice(0, i) });
    if (node.type !== types.get(name)) {
      throw err(r.line, `the update of ${name} is a ${node.type} but ${name}(0) is a ${types.get(name)}; both sides of a sequence have one type (a vector: use x0 or a vector expression; a scalar: a number or a parameter)`);
    }
    updates.set(name, node);
    if (!node.host) hostSeqs.delete(name);
  }
  // A scalar sequence stays on the host only if everything it uses does (to a fixed point).
  for (let changed = true; changed;) {
    changed = false;
    for (const name of order) {
      if (hostSeqs.has(name) && !isHost(updates.get(name)!, hostSeqs)) { hostSeqs.delete(name); changed = true; }
    }
  }
  const iterate = opts.iterate ?? appearance.find((n) => types.get(n) === 'vector');
  if (!iterate || types.get(iterate) !== 'vector') {
    throw err(rules[0].line, opts.iterate ? `the iterate '${opts.iterate}' is not a vector sequence of the method` : 'the method has no vector sequence (its iterate); start one with "x(0)": x0');
  }
  return {
    file,
    sequences: order.map((name) => {
      const d = drafts.get(name)!;
      return {
        name, type: types.get(name)!, host: hostSeqs.has(name),
        initial: markHost(initials.get(name)!, hostSeqs), initialLine: d.initial!.line, initialText: d.initial!.text.trim(),
        update: markHost(updates.get(name)!, hostSeqs), updateLine: d.update!.line, updateText: d.update!.text.trim(),
      };
    }),
    iterate,
    parameters: [...parameters],
    stochastic,
    proxes,
    objective,
  };

  interface Ctx { r: RuleText; mode: 'initial' | 'update'; self: string; earlier: string[] }

  function convert(node: MathNode, ctx: Ctx): MethodNode {
    const line = ctx.r.line;
    const where = ctx.mode === 'initial' ? `the initial value of ${ctx.self}` : `the update of ${ctx.self}`;
    const n = node as unknown as { type: string; name: string; value: unknown; fn: unknown; args: MathNode[]; content: MathNode; op: string };
    switch (node.type) {
      case 'ParenthesisNode':
        return convert(n.content, ctx);
      case 'ConstantNode': {
        if (typeof n.value !== 'number') throw err(line, `${where}: the constant ${String(n.value)} is not a number`);
        return { op: 'num', value: n.value, type: 'scalar', host: true, line };
      }
      case 'SymbolNode': {
        const name = n.name;
        if (name === 'k') {
          if (ctx.mode === 'initial') throw err(line, `${where} uses k; an initial value is at k = 0, write 0`);
          return { op: 'k', type: 'scalar', host: true, line };
        }
        if (name === 'x0') return { op: 'x0', type: 'vector', host: false, line };
        if (name in CONSTANTS) return { op: 'num', value: CONSTANTS[name], type: 'scalar', host: true, line };
        if (drafts.has(name)) throw err(line, `${where} uses the sequence ${name} without an index; write ${name}(k), ${name}(k+1) or ${name}(k-1)`);
        if (name === objective || name in proxes) throw err(line, `${where} uses the function ${name} as a value; call it, e.g. grad(${objective}, x(k))`);
        if (opts.scalars.includes(name)) {
          parameters.add(name);
          return { op: 'param', name, type: 'scalar', host: true, line };
        }
        throw err(line, `${where} uses the unknown symbol '${name}'${closest(name, [...opts.scalars, ...drafts.keys(), 'k', 'x0'])}; declare it in \`given\` (a constraint such as \`${name} > 0\`) or in \`define\``);
      }
      case 'OperatorNode': {
        const fn = n.fn as string;
        const args = n.args.map((a) => convert(a, ctx));
        if (fn === 'unaryPlus') return args[0];
        if (fn === 'unaryMinus') return { op: 'arith', fn, args, type: args[0].type, host: args[0].host, line };
        if (!['add', 'subtract', 'multiply', 'divide', 'pow'].includes(fn)) {
          throw err(line, `${where}: the operator '${n.op}' is not part of the method language (it has + - * / ^)`);
        }
        const [a, b] = args;
        const text = node.toString();
        let type: ValueType = 'scalar';
        if (fn === 'add' || fn === 'subtract') {
          if (a.type !== b.type) throw err(line, `${where}: "${text}" ${fn === 'add' ? 'adds' : 'subtracts'} a ${b.type} ${fn === 'add' ? 'to' : 'from'} a ${a.type}; both sides of + and - must be vectors, or both scalars`);
          type = a.type;
        } else if (fn === 'multiply') {
          if (a.type === 'vector' && b.type === 'vector') throw err(line, `${where}: "${text}" multiplies two vectors; use dot(u, v) for the inner product`);
          type = a.type === 'vector' || b.type === 'vector' ? 'vector' : 'scalar';
        } else if (fn === 'divide') {
          if (b.type === 'vector') throw err(line, `${where}: "${text}" divides by a vector; divide by a scalar`);
          type = a.type;
        } else if (a.type === 'vector' || b.type === 'vector') {
          throw err(line, `${where}: "${text}" raises a vector to a power; use norm(v)^2 or dot(v, v)`);
        }
        return { op: 'arith', fn: fn as Arith, args, type, host: a.host && b.host, line };
      }
      case 'FunctionNode': {
        const fnName = (n.fn as { name?: string }).name ?? '';
        if (drafts.has(fnName)) return sequenceRef(fnName, n.args, ctx);
        if (fnName === objective) return call('f', [vector(n.args, 0, 1, fnName, ctx)], 'scalar', false);
        if (!(fnName in METHOD_FUNCTIONS)) {
          throw err(line, `${where}: unknown function '${fnName}'${closest(fnName, [...Object.keys(METHOD_FUNCTIONS), ...drafts.keys()])}; the method language has ${Object.keys(METHOD_FUNCTIONS).join(', ')} and the sequences ${[...drafts.keys()].join(', ')}`);
        }
        const fn = fnName as MethodFunction;
        const arity = (k: number) => {
          if (n.args.length !== k) throw err(line, `${where}: ${METHOD_FUNCTIONS[fn]} takes ${k} argument${k > 1 ? 's' : ''}, got ${n.args.length}`);
        };
        switch (fn) {
          case 'grad':
          case 'sgrad': {
            arity(fn === 'grad' ? 2 : 3);
            objectiveArg(n.args[0], fn, ctx);
            if (fn === 'sgrad') {
              stochastic = true;
              const idx = n.args[2];
              if (!(idx.type === 'SymbolNode' && (idx as unknown as { name: string }).name === 'k')) {
                throw err(line, `${where}: the sample index of sgrad must be k (one sample is drawn per step, shared by that step's calls); write sgrad(${objective}, v, k)`);
              }
            }
            return call(fn, [vector(n.args, 1, fn === 'grad' ? 2 : 3, fn, ctx)], 'vector', false);
          }
          case 'prox': {
            arity(3);
            const h = n.args[0] as unknown as { type: string; name: string };
            if (h.type !== 'SymbolNode' || !(h.name in proxes)) {
              throw err(line, `${where}: the first argument of prox must be a declared nonsmooth term (${Object.keys(proxes).join(', ') || 'none is declared: add `nonsmooth: { h: l1(weight) }`'})`);
            }
            const step = convert(n.args[1], ctx);
            if (step.type !== 'scalar') throw err(line, `${where}: the step of prox is a scalar`);
            // the term's own parameters (its weight, its box) are the optimiser's too
            for (const a of proxes[h.name].args) parameters.add(a);
            const v = vector(n.args, 2, 3, fn, ctx);
            return { op: 'call', fn, args: [{ op: 'param', name: h.name, type: 'scalar', host: true, line }, step, v], type: 'vector', host: false, line };
          }
          case 'sign': case 'sqrt': case 'exp': case 'log': case 'abs': {
            arity(1);
            const a = convert(n.args[0], ctx);
            if (fn !== 'sign' && fn !== 'abs' && a.type === 'vector') throw err(line, `${where}: ${fn} takes a scalar here (elementwise vectors: sign, abs, clip)`);
            return call(fn, [a], a.type, a.host);
          }
          case 'clip': {
            arity(3);
            const [v, lo, hi] = n.args.map((a) => convert(a, ctx));
            if (lo.type !== 'scalar' || hi.type !== 'scalar') throw err(line, `${where}: the bounds of clip(v, lo, hi) are scalars`);
            return call(fn, [v, lo, hi], v.type, v.host && lo.host && hi.host);
          }
          case 'askew': {
            // a conditional per coordinate, which the expression language has not: a built-in, as sign and clip
            arity(4);
            const [w, g, eps, alpha] = n.args.map((a) => convert(a, ctx));
            if (w.type !== 'vector' || g.type !== 'vector') throw err(line, `${where}: askew(w, g, eps, alpha) takes the point w and the gradient g as vectors`);
            if (eps.type !== 'scalar' || alpha.type !== 'scalar') throw err(line, `${where}: the eps and alpha of askew(w, g, eps, alpha) are scalars`);
            return call(fn, [w, g, eps, alpha], 'vector', false);
          }
          case 'norm': {
            arity(1);
            const a = convert(n.args[0], ctx);
            return call(fn, [a], 'scalar', a.host);
          }
          case 'dot': {
            arity(2);
            const [a, b] = n.args.map((x) => convert(x, ctx));
            if (a.type !== 'vector' || b.type !== 'vector') throw err(line, `${where}: dot(u, v) takes two vectors`);
            return call(fn, [a, b], 'scalar', false);
          }
          case 'max': case 'min': {
            arity(2);
            const args = n.args.map((x) => convert(x, ctx));
            if (args.some((a) => a.type !== 'scalar')) throw err(line, `${where}: ${fn}(a, b) takes scalars`);
            return call(fn, args, 'scalar', args.every((a) => a.host));
          }
          case 'f':
            throw err(line, `${where}: the objective is '${objective}'; call ${objective}(v)`);
        }
        throw err(line, `${where}: unsupported function ${fnName}`);
      }
      default:
        throw err(line, `${where}: "${node.toString()}" is not part of the method language (numbers, parameters, sequences, + - * / ^ and ${Object.keys(METHOD_FUNCTIONS).join(', ')})`);
    }

    function call(fn: MethodFunction, args: MethodNode[], type: ValueType, host: boolean): MethodNode {
      return { op: 'call', fn, args, type, host, line };
    }
  }

  function objectiveArg(a: MathNode, fn: string, ctx: Ctx): void {
    const s = a as unknown as { type: string; name: string };
    if (s.type !== 'SymbolNode' || s.name !== objective) {
      throw err(ctx.r.line, `the first argument of ${fn} must be the objective ${objective}, as in ${fn}(${objective}, x(k)${fn === 'sgrad' ? ', k' : ''})`);
    }
  }

  function vector(args: MathNode[], i: number, arity: number, fn: string, ctx: Ctx): MethodNode {
    if (args.length !== arity) throw err(ctx.r.line, `${fn} takes ${arity} argument${arity > 1 ? 's' : ''}, got ${args.length}`);
    const v = convert(args[i], ctx);
    if (v.type !== 'vector') throw err(ctx.r.line, `${fn} is taken at a vector, but "${args[i].toString()}" is a scalar`);
    return v;
  }

  function sequenceRef(name: string, args: MathNode[], ctx: Ctx): MethodNode {
    const line = ctx.r.line;
    if (args.length !== 1) throw err(line, `${name}(...) takes one index, as in ${name}(k)`);
    const idx = args[0].toString().replace(/\s+/g, '');
    const type = types.get(name);
    if (ctx.mode === 'initial') {
      if (idx !== '0') throw err(line, `the initial value of ${ctx.self} may use other sequences only at 0, as in ${name}(0)`);
      if (!ctx.earlier.includes(name)) throw err(line, `the initial value of ${ctx.self} uses ${name}(0) before it is defined; put ${name}'s rules first`);
      return { op: 'seq', name, lag: 0, type: type!, host: hostSeqs.has(name), line };
    }
    let lag: number;
    const m = /^k(?:([+-])(\d+))?$/.exec(idx);
    if (!m) throw err(line, `the index of ${name}(${idx}) must be k+1, k or k-j (j a whole number)`);
    const off = m[1] ? (m[1] === '+' ? 1 : -1) * Number(m[2]) : 0;
    if (off > 1) throw err(line, `${name}(${idx}) is in the future; a rule may use values up to k+1`);
    lag = 1 - off;
    if (lag === 0 && name === ctx.self) throw err(line, `the update of ${name} uses ${name}(k+1), the value it defines; use ${name}(k)`);
    if (lag === 0 && !ctx.earlier.includes(name)) {
      throw err(line, `the update of ${ctx.self} uses ${name}(k+1) before it is defined: ${name}'s update comes later; move "${name}(k+1)" above "${ctx.self}(k+1)" or use ${name}(k)`);
    }
    // tentatively host when the sequence is (describeMethod settles it once every rule is read)
    return { op: 'seq', name, lag, type: type!, host: hostSeqs.has(name), line };
  }
}

/** Whether a node only uses host things (parameters, k, numbers, host scalar sequences). */
function isHost(node: MethodNode, hostSeqs: ReadonlySet<string>): boolean {
  switch (node.op) {
    case 'num': case 'param': case 'k': return true;
    case 'x0': return false;
    case 'seq': return hostSeqs.has(node.name);
    case 'call':
      if (node.fn === 'grad' || node.fn === 'sgrad' || node.fn === 'f' || node.fn === 'prox' || node.fn === 'dot') return false;
      return node.type === 'scalar' && node.args.every((a) => isHost(a, hostSeqs));
    case 'arith': return node.type === 'scalar' && node.args.every((a) => isHost(a, hostSeqs));
  }
}

/** The same tree with `host` recomputed now that the host sequences are known. */
function markHost(node: MethodNode, hostSeqs: ReadonlySet<string>): MethodNode {
  const host = isHost(node, hostSeqs);
  if (node.op === 'call' || node.op === 'arith') return { ...node, host, args: node.args.map((a) => markHost(a, hostSeqs)) } as MethodNode;
  return { ...node, host } as MethodNode;
}

/** Every node of a tree, depth first. */
export function nodesOf(node: MethodNode): MethodNode[] {
  return node.op === 'call' || node.op === 'arith' ? [node, ...node.args.flatMap(nodesOf)] : [node];
}

/** Evaluate a host scalar node for one row: parameters by name, k, and host sequences by (name, lag). */
export function hostValue(n: MethodNode, params: Readonly<Record<string, number>>, k: number, seq: (name: string, lag: number) => number): number {
  // Plain recursion, no closure made per call: this runs for every row at every step.
  switch (n.op) {
    case 'num': return n.value;
    case 'param': return params[n.name];
    case 'k': return k;
    case 'seq': return seq(n.name, n.lag);
    case 'arith': {
      const a = hostValue(n.args[0], params, k, seq);
      if (n.fn === 'unaryMinus') return -a;
      const b = hostValue(n.args[1], params, k, seq);
      switch (n.fn) {
        case 'add': return a + b;
        case 'subtract': return a - b;
        case 'multiply': return a * b;
        case 'divide': return a / b;
        case 'pow': return a ** b;
      }
      break;
    }
    case 'call': {
      const a = hostValue(n.args[0], params, k, seq);
      switch (n.fn) {
        case 'sqrt': return Math.sqrt(a);
        case 'exp': return Math.exp(a);
        case 'log': return Math.log(a);
        case 'abs': case 'norm': return Math.abs(a);
        case 'sign': return Math.sign(a);
        case 'max': return Math.max(a, hostValue(n.args[1], params, k, seq));
        case 'min': return Math.min(a, hostValue(n.args[1], params, k, seq));
        case 'clip': return Math.min(Math.max(a, hostValue(n.args[1], params, k, seq)), hostValue(n.args[2], params, k, seq));
      }
    }
  }
  throw new Error(`not a host scalar: ${n.op}`);
}

/** Host schedules that use no parameter (FISTA's λ_k), made once per method and shared by every row. */
const ROW_FREE = new WeakMap<Method, ((name: string, index: number) => number) | null>();

/**
 * Host scalar sequences of one row, by index (memoised): their values depend
 * only on the row's parameters and k, so every compiler shares them; when
 * they use no parameter at all, every row shares one.
 */
export function hostSequences(method: Method, params: Readonly<Record<string, number>>): (name: string, index: number) => number {
  let shared = ROW_FREE.get(method);
  if (shared === undefined) {
    const free = method.sequences.every((s) => !s.host || [...nodesOf(s.initial), ...nodesOf(s.update)].every((n) => n.op !== 'param'));
    ROW_FREE.set(method, (shared = free ? schedulesOf(method, {}) : null));
  }
  return shared ?? schedulesOf(method, params);
}

function schedulesOf(method: Method, params: Readonly<Record<string, number>>): (name: string, index: number) => number {
  const host = method.sequences.filter((s) => s.host);
  const values: Record<string, number>[] = [];
  const at = (index: number): Record<string, number> => {
    const i = Math.max(0, index);
    while (values.length <= i) {
      const k = values.length - 1; // computing index k + 1 from k
      const row: Record<string, number> = {};
      for (const s of host) {
        row[s.name] = values.length === 0
          ? hostValue(s.initial, params, 0, (name) => row[name])
          : hostValue(s.update, params, k, (name, lag) => (lag === 0 ? row[name] : values[Math.max(0, k + 1 - lag)][name]));
      }
      values.push(row);
    }
    return values[i];
  };
  return (name, index) => at(index)[name];
}
