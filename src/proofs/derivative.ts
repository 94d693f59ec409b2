/**
 * Symbolic derivatives for `diff`, nested to any depth. mathjs differentiates
 * x^(3 - 1) by the general power rule (x^g)' = x^g·(g'·log x + g·x'/x), which
 * brings in log x: undefined for x < 0 and opaque to exact zero-testing. Folding
 * integer arithmetic on constants (3 - 1 → 2) before and after each
 * derivative keeps a polynomial's derivatives polynomials. Only integers are
 * folded (their sums, differences and products are exact in float64 below 2^53).
 */
import type { MathNode } from 'mathjs';

/** The parts of a mathjs instance this needs (the checker's closed one, or the tree-building one). */
export interface DerivativeMath {
  derivative(node: MathNode, x: string, options: { simplify: boolean }): MathNode;
  ConstantNode: new (value: number) => MathNode;
}

const FOLD: Record<string, (a: number, b: number) => number> = { add: (a, b) => a + b, subtract: (a, b) => a - b, multiply: (a, b) => a * b };
const integerOf = (n: MathNode): number | null => {
  if (n.type !== 'ConstantNode') return null;
  const v = (n as unknown as { value: unknown }).value;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
};

/** The node with integer arithmetic on constants carried out (bottom-up), where the result stays a safe integer. */
export function foldIntegers(node: MathNode, m: DerivativeMath): MathNode {
  return node.transform(function fold(n: MathNode): MathNode {
    const folded = n.map((child) => fold(child));
    if (folded.type === 'ParenthesisNode') {
      const inner = (folded as unknown as { content: MathNode }).content;
      if (integerOf(inner) !== null) return inner;
    }
    if (folded.type !== 'OperatorNode') return folded;
    const { fn, args } = folded as unknown as { fn: string; args: MathNode[] };
    const values = args.map(integerOf);
    if (values.some((v) => v === null)) return folded;
    let r: number | null = null;
    if (fn === 'unaryMinus' && values.length === 1) r = -values[0]!;
    else if (FOLD[fn] && values.length === 2) r = FOLD[fn](values[0]!, values[1]!);
    return r !== null && Number.isSafeInteger(r) && !Object.is(r, -0) && r >= 0 ? new m.ConstantNode(r) : folded;
  });
}

/** d/dx of `node`, unsimplified apart from folded integer constants. */
export function derivativeOf(node: MathNode, x: string, m: DerivativeMath): MathNode {
  return foldIntegers(m.derivative(foldIntegers(node, m), x, { simplify: false }), m);
}
