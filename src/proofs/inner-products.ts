/**
 * Inner products written out: `dot(u, v)` and `norm(v)^(2k)` over vectors
 * that are linear combinations of vector atoms (declared vectors, gradients,
 * minimisers: anything vector-valued that is not a sum or a scalar multiple)
 * become polynomials in the atoms' pairwise inner products, `dot(a, b)` with
 * a and b in a fixed order. Bilinearity, symmetry and ‖v‖² = ⟨v, v⟩ hold for
 * every real vector, so an equality that is 0 after this rewrite, as a
 * rational function of the scalar atoms, is proved; an identity between Gram
 * entries (a performance-estimation certificate) is one. Anything else (a
 * matrix, a vector the rewrite cannot read) leaves the call as it was.
 */
import type { MathNode } from 'mathjs';
import { math } from '../language/mathjs.ts';

type Node = MathNode;
/** A linear combination of vector atoms: atom text → (atom, scalar coefficient). */
type Linear = Map<string, { atom: Node; coef: Node }>;

const nameOf = (n: Node) => (n as unknown as { name: string }).name;
const callee = (n: Node) => nameOf((n as unknown as { fn: Node }).fn);
const argsOf = (n: Node) => (n as unknown as { args: Node[] }).args;
const opOf = (n: Node) => (n as unknown as { fn: string }).fn;
const paren = (n: Node) => new math.ParenthesisNode(n);
const times = (a: Node, b: Node) => new math.OperatorNode('*', 'multiply', [paren(a), paren(b)]);
const ONE = new math.ConstantNode(1) as Node;
/** −1 as the parser writes it (a negative literal is not one the exact arithmetic reads) */
const MINUS_ONE = new math.OperatorNode('-', 'unaryMinus', [ONE]) as Node;

/** How the caller's sample sees a leaf: a vector, a number, or something else (matrix, error). */
export type Kind = 'vector' | 'scalar' | 'other';

/**
 * The node with every `dot` and even power of `norm` whose arguments are
 * readable linear combinations written over the atoms' inner products.
 * `kindOf` classifies a leaf (a symbol or a call) by its value at a sample.
 */
export function expandInnerProducts(node: Node, kindOf: (leaf: Node) => Kind): Node {
  const kinds = new Map<string, Kind>();
  const kind = (leaf: Node): Kind => {
    const key = leaf.toString();
    let k = kinds.get(key);
    if (k === undefined) { k = kindOf(leaf); kinds.set(key, k); }
    return k;
  };
  /** Whether the node is a scalar built from scalar leaves (no vector anywhere in it). */
  const scalar = (n: Node): boolean => {
    if (n.type === 'ConstantNode') return true;
    if (n.type === 'ParenthesisNode') return scalar((n as unknown as { content: Node }).content);
    if (n.type === 'OperatorNode') return argsOf(n).every(scalar);
    if (n.type === 'SymbolNode' || n.type === 'FunctionNode') return kind(n) === 'scalar';
    return false;
  };
  const linear = (n: Node): Linear | null => {
    switch (n.type) {
      case 'ParenthesisNode': return linear((n as unknown as { content: Node }).content);
      case 'SymbolNode': case 'FunctionNode':
        return kind(n) === 'vector' ? new Map([[n.toString(), { atom: n, coef: ONE }]]) : null;
      case 'OperatorNode': {
        const args = argsOf(n);
        switch (opOf(n)) {
          case 'unaryPlus': return linear(args[0]);
          case 'unaryMinus': { const a = linear(args[0]); return a && scale(a, MINUS_ONE); }
          case 'add': case 'subtract': {
            const a = linear(args[0]), b = linear(args[1]);
            if (!a || !b) return null;
            return combine(a, opOf(n) === 'add' ? b : scale(b, MINUS_ONE));
          }
          case 'multiply': {
            const [x, y] = args;
            if (scalar(x)) { const b = linear(y); return b && scale(b, x); }
            if (scalar(y)) { const a = linear(x); return a && scale(a, y); }
            return null;
          }
          case 'divide': {
            const [x, y] = args;
            if (!scalar(y)) return null;
            const a = linear(x);
            return a && scale(a, new math.OperatorNode('/', 'divide', [ONE, paren(y)]));
          }
        }
        return null;
      }
    }
    return null;
  };
  return node.transform((n) => {
    if (n.type === 'FunctionNode' && callee(n) === 'dot' && argsOf(n).length === 2) {
      const [a, b] = argsOf(n).map((x) => linear(expandInnerProducts(x, kindOf)));
      return a && b ? paren(gram(a, b)) : n;
    }
    if (n.type === 'OperatorNode' && opOf(n) === 'pow') {
      const [base, e] = argsOf(n);
      const k = e.type === 'ConstantNode' ? Number((e as unknown as { value: unknown }).value) : NaN;
      const inner = base.type === 'ParenthesisNode' ? (base as unknown as { content: Node }).content : base;
      if (Number.isInteger(k) && k > 0 && k % 2 === 0 && inner.type === 'FunctionNode' && callee(inner) === 'norm' && argsOf(inner).length === 1) {
        const v = linear(expandInnerProducts(argsOf(inner)[0], kindOf));
        if (!v) return n;
        const sq = paren(gram(v, v));
        return k === 2 ? sq : new math.OperatorNode('^', 'pow', [sq, new math.ConstantNode(k / 2)]);
      }
    }
    return n;
  });
}

function scale(a: Linear, c: Node): Linear {
  return new Map([...a].map(([k, { atom, coef }]) => [k, { atom, coef: times(c, coef) }]));
}

function combine(a: Linear, b: Linear): Linear {
  const out: Linear = new Map(a);
  for (const [k, { atom, coef }] of b) {
    const prev = out.get(k);
    out.set(k, prev ? { atom, coef: new math.OperatorNode('+', 'add', [paren(prev.coef), paren(coef)]) } : { atom, coef });
  }
  return out;
}

/** Σ a_i b_j ⟨u_i, v_j⟩ with each inner product written dot(first, second) in text order (symmetry). */
function gram(a: Linear, b: Linear): Node {
  const terms: Node[] = [];
  for (const [ka, x] of a) {
    for (const [kb, y] of b) {
      const [p, q] = ka <= kb ? [x.atom, y.atom] : [y.atom, x.atom];
      terms.push(times(times(x.coef, y.coef), new math.FunctionNode(new math.SymbolNode('dot'), [p, q])));
    }
  }
  return terms.reduce((s, t) => new math.OperatorNode('+', 'add', [s, t]), new math.ConstantNode(0) as Node);
}
