/**
 * Name and simple type checks of a parsed proof file: every symbol in the
 * givens, defines, claim and chains is declared, functions are called and
 * values are not, and built-ins get arguments of the right kind.
 */
import type { MathNode } from 'mathjs';
import { ProofError, MATH_CONSTANTS, type ProofFile, type Expr } from './parse.ts';
import { closest } from '../language/closest.ts';
import { FORMAT_FUNCTIONS, MATH_FUNCTIONS, ALL_FUNCTIONS } from '../language/expression.ts';

type Kind = 'real scalar' | 'integer' | 'vector' | 'matrix' | 'function' | 'define' | 'sequence' | 'dimension' | 'constant' | 'bound';

const sym = (n: MathNode) => (n as unknown as { name: string }).name;

const isMathFunction = (name: string): boolean => Object.hasOwn(MATH_FUNCTIONS, name);
const FORMAT_BUILTINS = FORMAT_FUNCTIONS;

/** Throws a ProofError at the first undeclared name or visible type mismatch. */
export function checkNames(pf: ProofFile): void {
  const n = pf.names;
  const kinds = new Map<string, Kind>();
  for (const c of MATH_CONSTANTS) kinds.set(c, 'constant');
  for (const d of n.dims) kinds.set(d, 'dimension');
  for (const x of n.reals) kinds.set(x, 'real scalar');
  for (const x of n.integers) kinds.set(x, 'integer');
  for (const x of n.vectors) kinds.set(x, 'vector');
  for (const x of n.matrices) kinds.set(x, 'matrix');
  for (const x of n.functions) kinds.set(x, 'function');
  const allDefines = new Map(pf.define.map((d) => [d.name, d.kind === 'sequence' ? 'sequence' as Kind : 'define' as Kind]));

  const check = (expr: Expr, visible: Map<string, Kind>) => walk(expr.node, visible, new Set(), expr.line, pf, kinds);

  for (const g of pf.given) if (g.kind === 'constraint') for (const t of g.relation.terms) check(t, new Map());
  const visible = new Map<string, Kind>();
  for (const d of pf.define) {
    if (d.kind === 'value') {
      laterDefineCheck(d.expr, d.name, visible, allDefines, pf);
      check(d.expr, visible);
      visible.set(d.name, 'define');
    } else {
      visible.set(d.name, 'sequence');
      for (const b of d.bases) {
        laterDefineCheck(b.expr, d.name, visible, allDefines, pf);
        check(b.expr, visible);
      }
      if (d.step) {
        laterDefineCheck(d.step.expr, d.name, visible, allDefines, pf);
        const v = new Map(visible);
        v.set(d.step.variable, 'bound');
        walk(d.step.expr.node, v, new Set([d.step.variable]), d.step.line, pf, kinds);
      }
    }
  }
  if (pf.claim) for (const t of pf.claim.terms) check(t, visible);
  for (const c of pf.chains) {
    check(c.first, visible);
    for (const s of c.steps) check(s.expr, visible);
  }
}

/** A define may use only earlier defines. */
function laterDefineCheck(expr: Expr, self: string, visible: Map<string, Kind>, all: Map<string, Kind>, pf: ProofFile): void {
  expr.node.traverse((node) => {
    if (node.type !== 'SymbolNode') return;
    const name = sym(node);
    if (name === self && all.get(name) === 'define') {
      throw new ProofError(pf.file, expr.line, `'${self}' is used in its own definition; only sequences ("${self}(k+1)") may refer to themselves`);
    }
    if (name !== self && all.has(name) && !visible.has(name)) {
      const at = pf.define.find((d) => d.name === name)!;
      throw new ProofError(pf.file, expr.line, `'${name}' is defined below (line ${at.line}); a define may use only earlier ones: move '${name}' above '${self}'`);
    }
  });
}

function walk(node: MathNode, defines: Map<string, Kind>, bound: Set<string>, line: number, pf: ProofFile, given: Map<string, Kind>): void {
  const fail = (detail: string): never => { throw new ProofError(pf.file, line, detail); };
  const kindOf = (name: string): Kind | undefined =>
    bound.has(name) ? 'bound' : defines.get(name) ?? given.get(name);
  const known = (calls = true) => [...new Set([...given.keys(), ...defines.keys(), ...bound, ...(calls ? ALL_FUNCTIONS : [])])].filter((k) => !MATH_CONSTANTS.includes(k) || k === 'pi');
  const rec = (child: MathNode, extra?: string) => {
    if (extra === undefined) return walk(child, defines, bound, line, pf, given);
    walk(child, defines, new Set([...bound, extra]), line, pf, given);
  };

  if (node.type === 'SymbolNode') {
    const name = sym(node);
    const kind = kindOf(name);
    if (kind === 'function') fail(`${name} is a function, used here as a value; call it (${name}(x)) or pass it to grad/hess/fstar/xstar/prox`);
    if (kind === 'sequence') fail(`${name} is a sequence; use it with an index, e.g. ${name}(k)`);
    if (kind) return;
    if (Object.hasOwn(FORMAT_BUILTINS, name) || isMathFunction(name)) fail(`${name} is a function, used here as a value; call it with arguments`);
    fail(`undeclared name '${name}'${closest(name, known(false))}; declare it in \`given\` or \`define\``);
  }
  if (node.type === 'FunctionNode') {
    const fnNode = (node as unknown as { fn: MathNode }).fn;
    const args = (node as unknown as { args: MathNode[] }).args;
    if (fnNode.type !== 'SymbolNode') {
      fail(`"${node.toString()}" calls something that is not a name; write * for a product`);
    }
    const name = sym(fnNode);
    const kind = kindOf(name);
    const arity = (counts: readonly number[]) => {
      if (counts.includes(args.length) || (counts.includes(Infinity) && args.length >= 1)) return;
      const text = counts.includes(Infinity) ? 'one or more' : counts.join(' or ');
      fail(`${name} takes ${text} argument${counts.length === 1 && counts[0] === 1 ? '' : 's'}, not ${args.length}, in "${node.toString()}"`);
    };
    /** `f + h` of two declared functions (fstar and xstar of a sum); a proximal term must be one of them (checked when sampled) */
    const sumOfFunctions = (arg: MathNode | undefined): boolean => {
      const a = arg?.type === 'ParenthesisNode' ? (arg as unknown as { content: MathNode }).content : arg;
      if (!a || a.type !== 'OperatorNode' || (a as unknown as { fn: string }).fn !== 'add') return false;
      const parts = (a as unknown as { args: MathNode[] }).args;
      if (!parts.every((p) => p.type === 'SymbolNode' && kindOf(sym(p)) === 'function')) fail(`${name} of a sum takes two declared functions, f + h, not "${a.toString()}"`);
      if (sym(parts[0]) === sym(parts[1])) fail(`${name}(${a.toString()}): the two functions of a sum must differ`);
      return true;
    };
    const needFunction = (arg: MathNode | undefined) => {
      if (!arg || arg.type !== 'SymbolNode' || kindOf(sym(arg)) !== 'function') {
        const what = arg ? `"${arg.toString()}"` : 'nothing';
        fail(`the first argument of ${name} must be a declared function${pf.names.functions.length ? ` (${pf.names.functions.join(', ')})` : ' (declare one in given: `f: R^d -> R, ...`)'}, not ${what}`);
      }
    };
    if (kind === 'function' || kind === 'sequence') {
      arity([1]);
      return rec(args[0]);
    }
    if (kind !== undefined) {
      const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
      fail(`${name} is ${article} ${kind === 'define' ? 'defined value' : kind}, not a function; write ${name}*(...) for a product`);
    }
    if (Object.hasOwn(FORMAT_BUILTINS, name)) {
      arity(FORMAT_BUILTINS[name]);
      switch (name) {
        case 'grad': case 'hess': needFunction(args[0]); return rec(args[1]);
        case 'fstar': if (!sumOfFunctions(args[0])) needFunction(args[0]); return;
        case 'xstar': if (!sumOfFunctions(args[0])) needFunction(args[0]); else if (args[1]) fail('xstar(f + h) takes no second argument: the minimiser of the sum is the one the witnesses are built with'); if (args[1]) rec(args[1]); return;
        case 'prox': {
          needFunction(args[0]);
          const g = pf.given.find((x) => x.kind === 'function' && x.name === sym(args[0]));
          if (g?.kind === 'function' && (g.domain === 'scalar' || g.classes.some((c) => c.className !== 'convex') || !g.classes.length)) {
            fail(`prox(${sym(args[0])}, gamma, v) needs ${sym(args[0])} declared \`${sym(args[0])}: R^d -> R, convex\` and nothing more: it is tried on nonsmooth convex functions whose proximal map is known exactly`);
          }
          rec(args[1]);
          return rec(args[2]);
        }
        case 'sumover': case 'minover': case 'maxover': {
          const k = args[0];
          if (k.type !== 'SymbolNode') fail(`the first argument of ${name} is the index name (e.g. k), not "${k.toString()}"`);
          const kk = sym(k);
          if (given.has(kk) && given.get(kk) !== 'constant') fail(`the index '${kk}' of ${name} is already declared; use a fresh name`);
          rec(args[1]); rec(args[2]);
          return rec(args[3], kk);
        }
        case 'diff': {
          const x = args[1];
          if (x.type !== 'SymbolNode') fail(`the second argument of diff is the scalar to differentiate in, not "${x.toString()}"`);
          const xk = kindOf(sym(x));
          if (xk !== 'real scalar' && xk !== 'bound' && xk !== 'integer') {
            fail(xk === undefined
              ? `undeclared name '${sym(x)}'${closest(sym(x), known())}; diff differentiates in a declared scalar`
              : `diff differentiates in a declared scalar; '${sym(x)}' is ${xk === 'define' ? 'a defined value' : `a ${xk}`}`);
          }
          return rec(args[0]);
        }
        default: for (const a of args) rec(a); return;
      }
    }
    if (isMathFunction(name)) { arity(MATH_FUNCTIONS[name]); for (const a of args) rec(a); return; }
    fail(`unknown function '${name}'${closest(name, known())}: it is not in the proof language (docs/proof-format.md lists its functions) nor declared; declare a function in \`given\` (\`${name}: R^d -> R, ...\`) or write ${name}*(...) for a product`);
  }
  node.forEach((child) => rec(child));
}
