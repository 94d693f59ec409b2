/**
 * One expression, two uses: a statement parsed once gives the KaTeX source
 * and the compiled predicate. Planted violations are rewrites of the same tree.
 */
import type { MathNode, EvalFunction } from 'mathjs';
import { parse } from './mathjs.ts';
import { toTex } from './tex.ts';
import { compileNumeric } from './numeric.ts';

export type Relation = '<=' | '>=' | '==';

/** One relation `quantity REL bound` of a statement. */
export interface StatementPart {
  relation: Relation;
  lhs: MathNode;
  rhs: MathNode;
  quantity: EvalFunction;
  bound: EvalFunction;
}

export interface Statement {
  source: string;
  parts: StatementPart[];
  tex: string;
}

const REL: Record<string, Relation> = { smallerEq: '<=', largerEq: '>=', equal: '==' };

/** Parse `a <= b`, `a >= b`, `a == b`, or a conjunction of them with `and`. */
export function parseStatement(source: string): Statement {
  const root = parse(source);
  const parts = splitConjunction(root).map((node) => {
    const rel = relationOf(node);
    if (!rel) throw new Error(`statement "${source}": each part must be a relation a <= b, a >= b or a == b, not "${node.toString()}"`);
    return makePart(rel.relation, rel.lhs, rel.rhs);
  });
  return { source, parts, tex: toTex(root) };
}

function makePart(relation: Relation, lhs: MathNode, rhs: MathNode): StatementPart {
  return { relation, lhs, rhs, quantity: compileNumeric(lhs), bound: compileNumeric(rhs) };
}

function splitConjunction(node: MathNode): MathNode[] {
  if (node.type === 'OperatorNode' && (node as unknown as { fn: string }).fn === 'and') {
    return (node as unknown as { args: MathNode[] }).args.flatMap(splitConjunction);
  }
  if (node.type === 'ParenthesisNode') return splitConjunction((node as unknown as { content: MathNode }).content);
  return [node];
}

function relationOf(node: MathNode): { relation: Relation; lhs: MathNode; rhs: MathNode } | null {
  if (node.type === 'OperatorNode') {
    const op = node as unknown as { fn: string; args: MathNode[] };
    const relation = REL[op.fn];
    if (relation) return { relation, lhs: op.args[0], rhs: op.args[1] };
  }
  if (node.type === 'RelationalNode') {
    const r = node as unknown as { conditionals: string[]; params: MathNode[] };
    if (r.conditionals.length === 1 && REL[r.conditionals[0]]) {
      return { relation: REL[r.conditionals[0]], lhs: r.params[0], rhs: r.params[1] };
    }
  }
  return null;
}

/** Rebuild a statement from parts (used by planted rewrites). */
function fromParts(parts: { relation: Relation; lhs: MathNode; rhs: MathNode }[]): Statement {
  const source = parts.map((p) => `${p.lhs.toString()} ${p.relation} ${p.rhs.toString()}`).join(' and ');
  return parseStatement(source);
}

/**
 * Tighten part `index` by `factor`: an upper bound times factor, a lower bound
 * divided by it (so a factor < 1 always claims more), an equality times factor.
 */
export function scaleBound(st: Statement, index: number, factor: number): Statement {
  return fromParts(st.parts.map((p, i) => {
    if (i !== index) return p;
    const k = p.relation === '>=' ? 1 / factor : factor;
    return { ...p, rhs: parse(`${k} * (${p.rhs.toString()})`) };
  }));
}

/** Substitute symbols in every bound (right-hand side): `{ mu: '2*mu' }`. */
export function substituteInBounds(st: Statement, map: Readonly<Record<string, string>>): Statement {
  const replacements = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, parse(`(${v})`)]));
  return fromParts(st.parts.map((p) => ({
    ...p,
    rhs: p.rhs.transform((node) =>
      node.type === 'SymbolNode' && (node as unknown as { name: string }).name in replacements
        ? replacements[(node as unknown as { name: string }).name]
        : node),
  })));
}

/** Replace every bound by another expression (a plant that is not a substitution). */
export function replaceBound(st: Statement, bound: string): Statement {
  return fromParts(st.parts.map((p) => ({ ...p, rhs: parse(bound) })));
}

/** Symbols used anywhere in an expression (function names excluded). */
export function symbolsOf(node: MathNode): Set<string> {
  const out = new Set<string>();
  node.traverse((n, path, parent) => {
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) {
      out.add((n as unknown as { name: string }).name);
    }
  });
  return out;
}

const EIGEN_FUNCTIONS = new Set(['lambda_max', 'lambda_min', 'lambda_min_pos']);

/**
 * The magnitude of an expression for rounding purposes: the same expression
 * with every sum and difference taken over absolute values (a − b → |a| + |b|),
 * and eigenvalues replaced by the norm of their matrix. Float64 rounding in
 * evaluating the expression is a small multiple of eps times this, however
 * much the expression itself cancels (‖∇f(x) − ∇f(y)‖ for y ≈ x; f(x) − f*
 * near x*; an eigenvalue near 0 is off by eps·‖A‖).
 */
export function magnitudeOf(node: MathNode): MathNode {
  return node.transform((n) => {
    const op = n as unknown as { fn: string | { name: string }; args: MathNode[] };
    if (n.type === 'FunctionNode' && EIGEN_FUNCTIONS.has((op.fn as { name: string }).name)) {
      return parse(`norm(${op.args[0].toString()})`);
    }
    if (n.type !== 'OperatorNode') return n;
    if ((op.fn === 'add' || op.fn === 'subtract') && op.args.length === 2) {
      return parse(`abs(${magnitudeOf(op.args[0]).toString()}) + abs(${magnitudeOf(op.args[1]).toString()})`);
    }
    if (op.fn === 'unaryMinus') return parse(`abs(${magnitudeOf(op.args[0]).toString()})`);
    return n;
  });
}
