/**
 * Equalities shown symbolically: substitute the file's defines and the
 * built-ins mathjs can expand (sigmoid; diff by mathjs's derivative), replace
 * every other call (f(w), grad, dot, norm, fstar, ...) by an opaque symbol,
 * one per distinct text, and ask mathjs to simplify the difference to 0, or
 * failing that bring it to an exact rational normal form (polynomial.ts). Only done when every remaining symbol and opaque call is a
 * scalar: mathjs's rules assume commutative products, which matrices break.
 */
import type { MathNode } from 'mathjs';
import { math } from '../language/mathjs.ts';
import type { ProofFile } from './parse.ts';
import { comparisons } from '../language/domain.ts';
import { isIdenticallyZero, literalsOf, type Literals } from './polynomial.ts';
import { derivativeOf, type DerivativeMath } from './derivative.ts';
import { expLogNormalForm } from './exponentials.ts';
import { expandInnerProducts, type Kind } from './inner-products.ts';

// looked up at the first diff: mathjs builds derivative (and simplify, which it needs) when first used
const DIFFERENTIATION: DerivativeMath = {
  derivative: (node, x, options) => math.derivative(node, x, options),
  get ConstantNode() { return math.ConstantNode as unknown as DerivativeMath['ConstantNode']; },
};

/** mathjs functions simplify can reason about; any other call is opaque. */
const ELEMENTARY = new Set(['exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh']);
const SIGMOID = math.parse('1 / (1 + exp(-(U__)))');

const nameOf = (n: MathNode) => (n as unknown as { name: string }).name;
const callee = (n: MathNode) => nameOf((n as unknown as { fn: MathNode }).fn);
const argsOf = (n: MathNode) => (n as unknown as { args: MathNode[] }).args;

/**
 * The node with value defines replaced by their (expanded) definitions, sigmoid by its formula, diff(e, x) by
 * mathjs's derivative, and relu(a) by a where `positive(a)` shows a > 0 wherever the givens hold (then relu(a) = a
 * on a neighbourhood of every point of the region, so their derivatives agree too).
 */
export function expand(node: MathNode, pf: ProofFile, expanding: ReadonlySet<string> = new Set(), positive?: (a: MathNode) => boolean): MathNode {
  return node.transform((n) => {
    if (n.type === 'SymbolNode') {
      const def = pf.define.find((d) => d.kind === 'value' && d.name === nameOf(n));
      if (!def || def.kind !== 'value' || expanding.has(def.name)) return n;
      return new math.ParenthesisNode(expand(def.expr.node, pf, new Set([...expanding, def.name]), positive));
    }
    if (n.type === 'FunctionNode') {
      const name = callee(n);
      const args = argsOf(n);
      if (name === 'sigmoid' && args.length === 1) {
        const u = expand(args[0], pf, expanding, positive);
        return new math.ParenthesisNode(SIGMOID.transform((m) => (m.type === 'SymbolNode' && nameOf(m) === 'U__' ? u : m)));
      }
      if (name === 'relu' && args.length === 1 && positive) {
        const a = expand(args[0], pf, expanding, positive);
        if (positive(a)) return new math.ParenthesisNode(a);
      }
      if (name === 'diff' && args.length === 2 && args[1].type === 'SymbolNode') {
        const inner = expand(args[0], pf, expanding, positive);
        if (hasCall(inner, (c) => !ELEMENTARY.has(c))) return n; // relu's branch, f(x): leave it to the numbers
        return new math.ParenthesisNode(derivativeOf(inner, nameOf(args[1]), DIFFERENTIATION));
      }
    }
    return n;
  });
}

function hasCall(node: MathNode, pred: (name: string) => boolean): boolean {
  let found = false;
  node.traverse((n) => { if (n.type === 'FunctionNode' && pred(callee(n))) found = true; });
  return found;
}

/** Opaque calls → symbols (same text, same symbol); returns the atoms so the caller can check they are scalars. */
function atomise(node: MathNode): { node: MathNode; atoms: Map<string, MathNode> } {
  const atoms = new Map<string, MathNode>();
  const byText = new Map<string, string>();
  const out = node.transform((n) => {
    if (n.type !== 'FunctionNode' || ELEMENTARY.has(callee(n))) return n;
    const key = n.toString();
    let sym = byText.get(key);
    // a name no file can use (identifiers have no spaces)
    if (!sym) { sym = `atom ${atoms.size}`; atoms.set(sym, n); byText.set(key, sym); }
    return new math.SymbolNode(sym);
  });
  return { node: out, atoms };
}

const isZero = (n: MathNode) => n.type === 'ConstantNode' && Number((n as unknown as { value: unknown }).value) === 0;

/**
 * Whether lhs − rhs simplifies to 0. `isScalar` says whether a symbol or an
 * opaque call is scalar-valued (the caller evaluates it at a sample); a
 * vector or matrix anywhere means no symbolic attempt.
 */
export function provedEqual(lhs: MathNode, rhs: MathNode, pf: ProofFile, kindOf: (node: MathNode) => Kind, positive: (a: MathNode) => boolean = () => false, pinned: ReadonlyMap<string, MathNode> = new Map()): string | null {
  const isScalar = (n: MathNode) => kindOf(n) === 'scalar';
  let difference: MathNode;
  try {
    difference = new math.OperatorNode('-', 'subtract', [new math.ParenthesisNode(expand(lhs, pf, new Set(), positive)), new math.ParenthesisNode(expand(rhs, pf, new Set(), positive))]);
  } catch {
    return null;
  }
  if (pinned.size) difference = difference.transform((n) => (n.type === 'SymbolNode' && pinned.has(nameOf(n)) ? pinned.get(nameOf(n))! : n));
  // dot and ‖·‖² of linear combinations written over the atoms' inner products (bilinearity)
  const gram = expandInnerProducts(difference, kindOf);
  const { node, atoms } = atomise(gram);
  for (const a of atoms.values()) if (!isScalar(a)) return null;
  const symbols = new Set<string>();
  node.traverse((n, path, parent) => { if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) symbols.add(nameOf(n)); });
  for (const s of symbols) if (!atoms.has(s) && !isScalar(new math.SymbolNode(s))) return null;
  // the exact normal form first: it is bounded (MAX_TERMS) where simplify's rewriting grows
  // faster than the tree (minutes on a three-step performance-estimation identity)
  const literals = literalsOfFile(pf);
  if (isIdenticallyZero(node, literals)) return gram === difference || gram.toString() === difference.toString() ? 'the difference of the two sides is the zero rational function (exact polynomial arithmetic)' : 'the difference of the two sides is the zero rational function once inner products are expanded bilinearly (exact polynomial arithmetic)';
  try {
    if (isZero(math.simplify(node))) return 'the difference of the two sides simplifies to 0 (mathjs simplify)';
  } catch { /* fall through to the laws */ }
  let lawful: MathNode;
  try {
    lawful = expLogNormalForm(node, positive);
  } catch {
    return null;
  }
  if (isIdenticallyZero(lawful, literals)) return 'the difference is 0 by the power and exp/log laws (their positivity conditions shown over the givens by interval arithmetic) and exact polynomial arithmetic';
  return null;
}

/**
 * Scalars the givens pin to one value: `c <= x <= c` (or `x >= c`, `x <= c`)
 * with the same literal c on both sides. Only literals, so the value
 * substituted is exactly the one written.
 */
export function pinnedByGivens(constraints: readonly MathNode[]): Map<string, MathNode> {
  const lo = new Map<string, string>(), hi = new Map<string, string>();
  const literal = (n: MathNode) => (n.type === 'ConstantNode' ? String((n as unknown as { value: unknown }).value) : null);
  for (const c of constraints) {
    for (const { a, op, b } of comparisons(c)) {
      if (op !== 'smallerEq' && op !== 'largerEq') continue;
      const [x, k, upper] = a.type === 'SymbolNode' ? [nameOf(a), literal(b), op === 'smallerEq'] : b.type === 'SymbolNode' ? [nameOf(b), literal(a), op === 'largerEq'] : [null, null, false];
      if (x === null || k === null) continue;
      (upper ? hi : lo).set(x, k);
    }
  }
  const out = new Map<string, MathNode>();
  for (const [x, k] of lo) if (hi.get(x) === k && Number.isFinite(Number(k))) out.set(x, new math.ConstantNode(Number(k)) as MathNode);
  return out;
}

const fileLiterals = new WeakMap<ProofFile, Literals>();

/** The exact literals of every expression of the file (polynomial.ts `Literals`). */
export function literalsOfFile(pf: ProofFile): Literals {
  let l = fileLiterals.get(pf);
  if (!l) {
    l = literalsOf([
      ...pf.given.map((g) => g.source),
      ...pf.define.flatMap((d) => (d.kind === 'value' ? [d.expr.source] : [...d.bases.map((b) => b.expr.source), d.step?.expr.source ?? ''])),
      ...pf.chains.flatMap((c) => [c.first.source, ...c.steps.map((s) => s.expr.source)]),
      pf.claim?.source ?? '',
    ]);
    fileLiterals.set(pf, l);
  }
  return l;
}
